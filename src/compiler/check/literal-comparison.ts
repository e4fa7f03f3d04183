/**
 * `==` and `!=` between a string-literal union and a string literal outside it: `verdict == "shipp"`
 * where `verdict: "ship" | "fix"` can never hold (`!=` always does), which is nearly always a typo.
 * TypeScript reports it as "no overlap"; here it is E0335, with the closest member suggested. Two
 * unions without a value in common are E0335 too.
 */
import type { BinaryExpr, Expr } from "../ast/ast.js";
import type { Type } from "../types.js";
import type { Ctx } from "./context.js";
import { E } from "./errors.js";
import { suggest } from "./suggest.js";
import { literalValues, stripOptional } from "./type-relations.js";

/** Reports the operand of `e` (an `==` or `!=` with operands typed `left` and `right`) that is a literal outside the other's union. */
export function checkLiteralComparison(ctx: Ctx, e: BinaryExpr, left: Type, right: Type): void {
  const op = e.op === "!=" ? "!=" : "==";
  for (const [union, operand] of [
    [left, e.right],
    [right, e.left],
  ] as const) {
    const allowed = literalValues(union);
    const value = plainText(operand);
    if (allowed === undefined || value === undefined || allowed.includes(value)) continue;
    ctx.state.report(E.noOverlap({ file: ctx.module.key, span: operand.span }, op, value, allowed, suggest(value, allowed)));
    return;
  }
  // Two unions (a step's output, a parameter, a `let` of a literal) that share no value.
  const l = literalValues(left);
  const r = literalValues(right);
  if (l && r && !l.some((v) => r.includes(v))) {
    ctx.state.report(E.noOverlappingTypes({ file: ctx.module.key, span: e.span }, op, stripOptional(left), stripOptional(right)));
  }
}

/** The text of a string literal without interpolations. */
function plainText(e: Expr): string | undefined {
  if (e.kind !== "StringLit" || !e.parts.every((p) => p.kind === "TextPart")) return undefined;
  return e.parts.map((p) => (p.kind === "TextPart" ? p.value : "")).join("");
}

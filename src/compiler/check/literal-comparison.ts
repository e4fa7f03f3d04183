/**
 * `==` and `!=` between a string-literal union and a string literal outside it: `verdict == "shipp"`
 * where `verdict: "ship" | "fix"` can never hold (`!=` always does), which is nearly always a typo.
 * TypeScript reports it as "no overlap"; here it is E0335, with the closest member suggested.
 */
import type { BinaryExpr, Expr } from "../ast/ast.js";
import type { Type } from "../types.js";
import type { Ctx } from "./context.js";
import { E } from "./errors.js";
import { suggest } from "./suggest.js";
import { literalValues } from "./type-relations.js";

/** Reports the operand of `e` (an `==` or `!=` with operands typed `left` and `right`) that is a literal outside the other's union. */
export function checkLiteralComparison(ctx: Ctx, e: BinaryExpr, left: Type, right: Type): void {
  for (const [union, operand] of [
    [left, e.right],
    [right, e.left],
  ] as const) {
    const allowed = literalValues(union);
    const value = plainText(operand);
    if (allowed === undefined || value === undefined || allowed.includes(value)) continue;
    ctx.state.report(E.noOverlap({ file: ctx.module.key, span: operand.span }, e.op === "!=" ? "!=" : "==", value, allowed, suggest(value, allowed)));
    return;
  }
}

/** The text of a string literal without interpolations. */
function plainText(e: Expr): string | undefined {
  if (e.kind !== "StringLit" || !e.parts.every((p) => p.kind === "TextPart")) return undefined;
  return e.parts.map((p) => (p.kind === "TextPart" ? p.value : "")).join("");
}

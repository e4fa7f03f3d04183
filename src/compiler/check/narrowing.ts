/**
 * Narrowing of optional names by a condition: where `x != none` is known to hold, a name `x` of
 * type `T?` (a local binding or a step result) has type `T`. A condition narrows where it is true
 * (`x != none`, `a && b`, `!(x == none)`) or where it is false (`x == none`, `a || b`); the checker
 * applies it to an `if`'s arms, to the right operand of `&&` and `||`, and after an `if` to what
 * holds in every arm that can complete (a guard: `if x == none { fail("…") }`).
 */
import type { Expr } from "../ast/ast.js";
import type { Type } from "../types.js";
import { Flow, Scope, withCtx, type Binding, type Ctx } from "./context.js";

/** The names a condition narrows, each with its type where the condition has the given outcome. */
export type Narrowing = ReadonlyMap<string, { readonly type: Type; readonly binding?: Binding }>;

/** Narrows nothing. */
export const NONE: Narrowing = new Map();

/** What is known about names where `cond` evaluates to `outcome`. */
export function narrowingOf(ctx: Ctx, cond: Expr, outcome: boolean): Narrowing {
  switch (cond.kind) {
    case "UnaryExpr":
      return cond.op === "!" ? narrowingOf(ctx, cond.operand, !outcome) : NONE;
    case "BinaryExpr": {
      if (cond.op === "&&" || cond.op === "||") {
        // `a && b` is true only when both are; `a || b` is false only when both are.
        if ((cond.op === "&&") !== outcome) return NONE;
        return combine(narrowingOf(ctx, cond.left, outcome), narrowingOf(ctx, cond.right, outcome));
      }
      if (cond.op !== "==" && cond.op !== "!=") return NONE;
      const named = cond.left.kind === "NoneLit" ? cond.right : cond.right.kind === "NoneLit" ? cond.left : undefined;
      if (named?.kind !== "NameExpr") return NONE;
      // `x != none` tells that x is present where it is true; `x == none`, where it is false.
      if ((cond.op === "!=") !== outcome) return NONE;
      return present(ctx, named.name.name);
    }
    default:
      return NONE;
  }
}

/** `name` as present, when it is a local or a step of optional type. */
function present(ctx: Ctx, name: string): Narrowing {
  const binding = ctx.scope.lookup(name);
  const type = binding ? binding.type : ctx.flow.lookup(name);
  if (type?.kind !== "optional") return NONE;
  return new Map([[name, binding ? { type: type.inner, binding } : { type: type.inner }]]);
}

/** What both narrowings tell (they hold together). */
export function combine(a: Narrowing, b: Narrowing): Narrowing {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  return new Map([...a, ...b]);
}

/** What every one of `narrowings` tells (one of them holds, unknown which); nothing for none. */
export function commonNarrowing(narrowings: readonly Narrowing[]): Narrowing {
  const [first, ...rest] = narrowings;
  if (first === undefined || first.size === 0) return NONE;
  if (rest.length === 0) return first;
  return new Map([...first].filter(([name]) => rest.every((n) => n.has(name))));
}

/** `ctx` with the narrowing applied, in a scope and flow of its own. */
export function withNarrowing(ctx: Ctx, narrowing: Narrowing): Ctx {
  if (narrowing.size === 0) return ctx;
  const narrowed = withCtx(ctx, new Scope(ctx.scope), new Flow(ctx.flow));
  narrowInPlace(narrowed, narrowing);
  return narrowed;
}

/**
 * Applies the narrowing to `ctx`'s own scope and flow, which the caller owns: a local is shadowed
 * by a copy of its binding with the narrower type (already used: the condition read it), a step's
 * type in the flow is replaced.
 */
export function narrowInPlace(ctx: Ctx, narrowing: Narrowing): void {
  for (const [name, { type, binding }] of narrowing) {
    if (binding) ctx.scope.set(name, { ...binding, type, used: true });
    else ctx.flow.set(name, type);
  }
}

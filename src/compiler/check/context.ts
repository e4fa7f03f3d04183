/**
 * The checker's view while it walks a workflow: lexical scopes of local bindings, the steps whose
 * results are visible at this point (definite assignment), and the enclosing `repeat` loops.
 */
import type { CallExpr, Expr, StepStmt, WorkflowDecl } from "../ast/ast.js";
import type { Span } from "../span.js";
import type { Type } from "../types.js";
import type { CheckState, ModuleInfo } from "./model.js";

/** A local name: parameter, `let`, `agent`, loop variable or catch variable. */
export interface Binding {
  readonly kind: "param" | "let" | "agent" | "loop" | "catch";
  readonly name: string;
  readonly type: Type;
  readonly span: Span;
  used: boolean;
}

/**
 * Names in a block (or branch), chained to the enclosing block's: a lookup falls through to it, and
 * a name set here shadows it there.
 */
class Layered<V> {
  /** Created on the first name: most blocks add none. */
  private own: Map<string, V> | undefined = undefined;
  constructor(private readonly parent?: Layered<V>) {}

  lookup(name: string): V | undefined {
    for (let layer: Layered<V> | undefined = this; layer !== undefined; layer = layer.parent) {
      const found = layer.own?.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Whether this layer itself (not an enclosing one) has `name`. */
  hasOwn(name: string): boolean {
    return this.own?.has(name) ?? false;
  }

  set(name: string, value: V): void {
    (this.own ??= new Map()).set(name, value);
  }

  /** What this layer itself set, in the order names were first set. */
  ownEntries(): Iterable<[string, V]> {
    return this.own?.entries() ?? [];
  }

  /** Every visible name, each once, innermost first. */
  names(): string[] {
    const names = new Set<string>();
    for (let layer: Layered<V> | undefined = this; layer !== undefined; layer = layer.parent) {
      for (const name of layer.own?.keys() ?? []) names.add(name);
    }
    return [...names];
  }
}

/** A block's local bindings. */
export class Scope extends Layered<Binding> {}

/** A step of the workflow and the type of its action's result. */
export interface StepDef {
  readonly stmt: StepStmt;
  readonly type: Type;
}

export interface WorkflowCtx {
  readonly decl: WorkflowDecl;
  readonly id: string;
  readonly name: string;
  /** Every step of the workflow by name (the first of duplicates). */
  readonly steps: ReadonlyMap<string, StepDef>;
  /** The declared return type; undefined when the workflow returns nothing. */
  readonly returns?: Type;
}

/** An enclosing `repeat`: the type each body step has at the end of a round (what `prev` reads). */
export interface RepeatCtx {
  readonly bodySteps: ReadonlyMap<string, Type>;
}

/**
 * Which step results are visible at a point, and with what type. A branch's flow is a layer over
 * the flow before the branch, holding only what the branch adds or narrows: entering an `if` arm or
 * a loop body copies nothing.
 */
export class Flow extends Layered<Type> {}

/**
 * The checks of calls in expressions (`calls.ts`, which checks their arguments as expressions):
 * the expression checker gets them from its context, so that neither module imports the other.
 */
export interface CallChecker {
  checkCallExpr(ctx: Ctx, call: CallExpr): Type;
  /** Whether `e` is `raw(…)`, allowed only inside an `sh` command. */
  isRawCall(ctx: Ctx, e: Expr): e is CallExpr;
  checkRawCall(ctx: Ctx, call: CallExpr): Type;
}

export interface Ctx {
  readonly state: CheckState;
  readonly calls: CallChecker;
  readonly module: ModuleInfo;
  /** Absent at top level (a top-level `let` or `agent`, a parameter default). */
  readonly wf?: WorkflowCtx;
  readonly scope: Scope;
  readonly flow: Flow;
  readonly repeats: readonly RepeatCtx[];
}

/** A context for expressions outside any workflow. */
export function topLevelCtx(state: CheckState, calls: CallChecker, module: ModuleInfo): Ctx {
  return { state, calls, module, wf: undefined, scope: new Scope(), flow: new Flow(), repeats: [] };
}

/**
 * `ctx` with another scope, flow and enclosing loops. Every context has this one shape (no object
 * spread per block, which costs more than building the literal).
 */
export function withCtx(ctx: Ctx, scope: Scope, flow: Flow, repeats: readonly RepeatCtx[] = ctx.repeats): Ctx {
  return { state: ctx.state, calls: ctx.calls, module: ctx.module, wf: ctx.wf, scope, flow, repeats };
}

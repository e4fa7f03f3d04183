/**
 * The checker's view while it walks a workflow: lexical scopes of local bindings, the steps whose
 * results are visible at this point (definite assignment), and the enclosing `repeat` loops.
 */
import type { StepStmt, WorkflowDecl } from "../ast/ast.js";
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

/** A block's bindings, chained to the enclosing block's. */
export class Scope {
  /** Created on the first binding: most blocks bind nothing. */
  private own: Map<string, Binding> | undefined = undefined;
  constructor(readonly parent?: Scope) {}

  lookup(name: string): Binding | undefined {
    for (let scope: Scope | undefined = this; scope !== undefined; scope = scope.parent) {
      const found = scope.own?.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Whether this block itself (not an enclosing one) binds `name`. */
  has(name: string): boolean {
    return this.own?.has(name) ?? false;
  }

  set(name: string, binding: Binding): void {
    (this.own ??= new Map()).set(name, binding);
  }

  /** This block's own bindings, in binding order. */
  bindings(): Iterable<Binding> {
    return this.own?.values() ?? [];
  }

  /** Every visible name, innermost first. */
  names(): string[] {
    return [...(this.own?.keys() ?? []), ...(this.parent?.names() ?? [])];
  }
}

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
 * Which step results are visible at a point, and with what type: a branch's flow is a layer over
 * the flow before the branch, holding only what the branch adds or narrows, so that entering an
 * `if` arm or a loop body copies nothing.
 */
export class Flow {
  /** Created on the first step: most layers add nothing. */
  private own: Map<string, Type> | undefined = undefined;
  constructor(private readonly parent?: Flow) {}

  get(name: string): Type | undefined {
    for (let flow: Flow | undefined = this; flow !== undefined; flow = flow.parent) {
      const found = flow.own?.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, type: Type): void {
    (this.own ??= new Map()).set(name, type);
  }

  /** What this layer itself (not the flow under it) set, in the order it was first set. */
  ownEntries(): Iterable<[string, Type]> {
    return this.own?.entries() ?? [];
  }

  /** Every visible step name, each once. */
  names(): string[] {
    const names = new Set<string>();
    for (let flow: Flow | undefined = this; flow !== undefined; flow = flow.parent) {
      for (const name of flow.own?.keys() ?? []) names.add(name);
    }
    return [...names];
  }
}

export interface Ctx {
  readonly state: CheckState;
  readonly module: ModuleInfo;
  /** Absent at top level (a top-level `let` or `agent`, a parameter default). */
  readonly wf?: WorkflowCtx;
  readonly scope: Scope;
  readonly flow: Flow;
  readonly repeats: readonly RepeatCtx[];
}

/** A context for expressions outside any workflow. */
export function topLevelCtx(state: CheckState, module: ModuleInfo): Ctx {
  return { state, module, wf: undefined, scope: new Scope(), flow: new Flow(), repeats: [] };
}

/**
 * `ctx` with another scope, flow and enclosing loops. Every context has this one shape (no object
 * spread per block, which costs more than building the literal).
 */
export function withCtx(ctx: Ctx, scope: Scope, flow: Flow, repeats: readonly RepeatCtx[] = ctx.repeats): Ctx {
  return { state: ctx.state, module: ctx.module, wf: ctx.wf, scope, flow, repeats };
}

/**
 * What the checker knows about a program: modules with their top-level scopes, and the side tables
 * that make up the checked tree (the AST plus a type for every expression and a resolution for
 * every name, call and step). Lowering reads these tables; the AST itself is never mutated.
 */
import type {
  AgentCtorDecl,
  AgentDecl,
  CallExpr,
  Decl,
  Expr,
  LetDecl,
  Module,
  NameExpr,
  Param,
  StepStmt,
  TypeDecl,
  WorkflowDecl,
} from "../ast/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { LineIndex } from "../line-index.js";
import type { Span } from "../span.js";
import type { Type } from "../types.js";
import type { Loc } from "./errors.js";
import type { Recorder } from "./recorder.js";

/** A top-level declaration seen from some module (its own, or imported). */
export type Sym =
  | { readonly kind: "type"; readonly module: string; readonly decl: TypeDecl }
  | { readonly kind: "workflow"; readonly module: string; readonly decl: WorkflowDecl }
  | { readonly kind: "agent"; readonly module: string; readonly decl: AgentDecl }
  | { readonly kind: "let"; readonly module: string; readonly decl: LetDecl }
  | { readonly kind: "ctor"; readonly module: string; readonly decl: AgentCtorDecl }
  /** An import that could not be resolved (already reported): anything it names is `unknown`. */
  | { readonly kind: "broken" };

export type WorkflowSym = Extract<Sym, { kind: "workflow" }>;

/** A top-level `let` or `agent`: a value an expression can read. */
export type ValueSym = Extract<Sym, { kind: "let" | "agent" }>;

export interface ScopeEntry {
  readonly sym: Sym;
  /** Where the name is introduced: the declaration's name or the import's local name. */
  readonly span: Span;
  readonly imported: boolean;
}

export interface ModuleInfo {
  readonly key: string;
  readonly source: string;
  readonly ast?: Module;
  /** Parsed without syntax errors: only such modules' names can be imported. */
  readonly parsed: boolean;
  /**
   * Declarations not type-checked because of a syntax error: each error spoils the declaration it
   * lies in or follows (up to the next one), and one among the imports spoils them all. Their names
   * are declared `broken`, so what uses them is not reported again.
   */
  readonly damaged: ReadonlySet<Decl>;
  /** Own declarations by name (the first of duplicates). */
  readonly declared: Map<string, Sym>;
  /** Every name visible at top level: declarations and imports. */
  readonly scope: Map<string, ScopeEntry>;
}

/** Whether any of the module's declarations is type-checked: it parsed, or its syntax errors spare some. */
export function isChecked(info: ModuleInfo): boolean {
  return info.ast !== undefined && (info.parsed || info.damaged.size < info.ast.decls.length);
}

/** How a name in an expression was resolved. */
export type NameRes = { readonly kind: "local" } | { readonly kind: "global"; readonly id: string };

/** How a call in an expression was resolved. */
export type CallRes =
  /** A built-in function; `args` in parameter order. */
  | { readonly kind: "builtin"; readonly fn: string; readonly args: readonly Expr[] }
  | { readonly kind: "ctor"; readonly ctor: string; readonly args: ReadonlyMap<string, Expr> }
  | { readonly kind: "prev"; readonly step: string };

/** What a step does; `args` by parameter or option name. */
export type ActionRes =
  | { readonly kind: "sh"; readonly shell: boolean; readonly args: ReadonlyMap<string, Expr> }
  | { readonly kind: "ask"; readonly agent: Expr; readonly args: ReadonlyMap<string, Expr>; readonly output?: Type }
  | { readonly kind: "approve"; readonly args: ReadonlyMap<string, Expr> }
  | { readonly kind: "call"; readonly workflow: WorkflowSym; readonly args: ReadonlyMap<string, Expr> };

/** The id of a workflow or global in the IR: `<module>:<name>`. */
export function symbolId(module: string, name: string): string {
  return `${module}:${name}`;
}

/** The checked program: modules plus side tables keyed by AST node. */
export interface CheckedProgram {
  readonly root: string;
  readonly modules: ReadonlyMap<string, ModuleInfo>;
  /**
   * Types of the expressions lowering reads: binary operands, interpolated expressions, arguments
   * of `len`/`contains`/`tojson`, string literals and step actions. Not every expression has one.
   */
  readonly exprTypes: ReadonlyMap<Expr, Type>;
  readonly names: ReadonlyMap<NameExpr, NameRes>;
  readonly calls: ReadonlyMap<CallExpr, CallRes>;
  readonly actions: ReadonlyMap<StepStmt, ActionRes>;
  readonly paramTypes: ReadonlyMap<Param, Type>;
  readonly returnTypes: ReadonlyMap<WorkflowDecl, Type>;
}

/** A `role(…)` call, kept for the check of the project's role mappings after every module. */
export interface RoleUse {
  readonly name: string;
  readonly loc: Loc;
  readonly hasDefault: boolean;
}

/** A call from one workflow to another, for the recursion check. */
export interface CallEdge {
  readonly from: string;
  readonly to: string;
  readonly loc: Loc;
}

/** Mutable state shared by the checker's phases. */
export class CheckState {
  readonly diagnostics: Diagnostic[] = [];
  readonly modules = new Map<string, ModuleInfo>();
  /** How many binary operators and list or record literals enclose the expression being checked. */
  operatorDepth = 0;
  readonly exprTypes = new Map<Expr, Type>();
  readonly names = new Map<NameExpr, NameRes>();
  readonly calls = new Map<CallExpr, CallRes>();
  readonly actions = new Map<StepStmt, ActionRes>();
  readonly paramTypes = new Map<Param, Type>();
  readonly returnTypes = new Map<WorkflowDecl, Type>();
  /** Resolved aliases; `null` while being resolved (to catch self-reference). */
  readonly aliasTypes = new Map<TypeDecl, Type | null>();
  /** Types of top-level `let`/`agent` values; `null` while being inferred. */
  readonly globalTypes = new Map<LetDecl | AgentDecl, Type | null>();
  /** `output:` expressions already resolved as types (so errors are reported once). */
  readonly outputTypes = new Map<Expr, Type>();
  /** Top-level declarations read from somewhere (for unused warnings). */
  readonly usedDecls = new Set<LetDecl | AgentDecl>();
  /** Workflows and agent constructors whose parameter types have been resolved. */
  readonly signatures = new Set<WorkflowDecl | AgentCtorDecl>();
  readonly callEdges: CallEdge[] = [];
  readonly roleUses: RoleUse[] = [];
  /** The top-level values the workflow being checked uses, when a `CheckMemo` keeps its findings. */
  usesOfWorkflow: Set<ValueSym> | undefined = undefined;
  /** Told what an editor needs as checking goes (`service/`); unset, checking records nothing more. */
  recorder: Recorder | undefined = undefined;

  constructor(readonly root: string) {}

  private readonly lineIndexes = new Map<string, LineIndex>();

  /** The line index of a module's text (made once per check). */
  lines(module: ModuleInfo): LineIndex {
    let index = this.lineIndexes.get(module.key);
    if (!index) this.lineIndexes.set(module.key, (index = new LineIndex(module.source)));
    return index;
  }

  report(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  /** A top-level value is read (it is not unused). */
  use(sym: ValueSym): void {
    this.usedDecls.add(sym.decl);
    this.usesOfWorkflow?.add(sym);
  }

  program(): CheckedProgram {
    return {
      root: this.root,
      modules: this.modules,
      exprTypes: this.exprTypes,
      names: this.names,
      calls: this.calls,
      actions: this.actions,
      paramTypes: this.paramTypes,
      returnTypes: this.returnTypes,
    };
  }
}

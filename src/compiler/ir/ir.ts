/**
 * The IR: a versioned JSON graph that the checker lowers a program to and the scheduler runs.
 * Documented in docs/ir.md; `irProgramSchema` (schema.ts) validates it (a stored run's IR is re-validated on load).
 *
 * A workflow body is a region: an ordered list of nodes joined by `success` edges from `entry` to
 * `exit`. Compound nodes (if, parallel, for, repeat, try) own sub-regions, each reached through a
 * labelled edge from the compound node. Every region is acyclic; loops are nodes that own a body
 * region and a bound.
 */
import type { Type } from "../types.js";

export const IR_VERSION = 1;

/** Where a node came from, for messages at run time and for `cmc graph`. 1-based line and column. */
export interface IrSpan {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

// ─── Expressions ────────────────────────────────────────────────────────────

/**
 * A part of an interpolated string: literal text, or a value formatted by its type. In a shell
 * command, a `command` part is command text (followed, not quoted), like a `raw(…)` call.
 */
export type IrStrPart = string | { readonly expr: IrExpr; readonly as: "text" | "duration" | "command" };

export type IrExpr =
  /** `none` is `null`; durations are milliseconds. */
  | { readonly k: "lit"; readonly value: null | boolean | number | string }
  /** `shell: true`: command text written for a `command`, each value quoted for where it lands in it. */
  | { readonly k: "str"; readonly parts: readonly IrStrPart[]; readonly shell?: boolean }
  /** A workflow-local binding: parameter, let, agent, step result, loop variable, catch variable. */
  | { readonly k: "name"; readonly name: string }
  /** A top-level `let` or `agent` of some module, by its id in `IrProgram.globals`. */
  | { readonly k: "global"; readonly id: string }
  | { readonly k: "field"; readonly object: IrExpr; readonly name: string; readonly optional: boolean }
  | { readonly k: "index"; readonly object: IrExpr; readonly index: IrExpr }
  | { readonly k: "unary"; readonly op: "!" | "-"; readonly operand: IrExpr }
  /** `int: true` when both operands are ints (so `/` truncates). */
  | {
      readonly k: "binary";
      readonly op: string;
      readonly left: IrExpr;
      readonly right: IrExpr;
      readonly int?: boolean;
    }
  | { readonly k: "list"; readonly items: readonly IrExpr[] }
  | { readonly k: "record"; readonly fields: readonly { readonly name: string; readonly value: IrExpr }[] }
  /** A built-in function of LANGUAGE.md §7: read, exists, glob, join, lines, head, tail, trim, len, contains, tojson, json, env, raw. */
  | { readonly k: "call"; readonly fn: string; readonly args: readonly IrExpr[] }
  /** `prev(step)` inside a repeat body: the previous round's result of that body step, or none. */
  | { readonly k: "prev"; readonly step: string }
  /** An agent value: `claude(model: "opus")`. Options are the constructor's named arguments. */
  | { readonly k: "agent"; readonly ctor: string; readonly options: Readonly<Record<string, IrExpr>> };

// ─── Steps ──────────────────────────────────────────────────────────────────

/** What a gate does when its timeout passes without a decision. */
export type OnTimeout = "fail" | "approve" | "reject";

export type IrAction =
  /** `sh("cmd")` (`shell: true`, command is a `str` whose interpolations are shell-quoted unless `raw`) or `sh([argv])`. */
  | {
      readonly kind: "sh";
      readonly command: IrExpr;
      readonly shell: boolean;
      readonly cwd?: IrExpr;
      readonly env?: IrExpr;
      readonly stdin?: IrExpr;
      readonly check?: IrExpr;
    }
  | {
      readonly kind: "ask";
      readonly agent: IrExpr;
      readonly prompt: IrExpr;
      /** The `output:` type, aliases resolved; the reply's `output` is validated against it. */
      readonly output?: Type;
      readonly session?: IrExpr;
      readonly interactive?: IrExpr;
      readonly files?: IrExpr;
    }
  | {
      readonly kind: "approve";
      readonly question: IrExpr;
      /** Written as a literal (most programs), or an expression evaluated when the gate starts. */
      readonly onTimeout: OnTimeout | IrExpr;
    }
  /** A sub-workflow call; `workflow` is a key of `IrProgram.workflows`; args are by parameter name (defaults filled in). */
  | { readonly kind: "call"; readonly workflow: string; readonly args: Readonly<Record<string, IrExpr>> };

/** The options every action takes. Absent means the default (no timeout, 0 retries, 2s backoff). */
export interface IrStepOptions {
  readonly timeout?: IrExpr;
  readonly retry?: IrExpr;
  readonly backoff?: IrExpr;
  readonly label?: IrExpr;
}

// ─── Nodes and regions ──────────────────────────────────────────────────────

export type EdgeLabel =
  | "success"
  | "failure"
  | "approved"
  | "rejected"
  | "timeout"
  | "exhausted"
  | "true"
  | "false";

export interface IrEdge {
  /** A node id, or `entry` (the region's start). */
  readonly from: string;
  /** A node id, a sub-region id, or `exit` (the region's end). */
  readonly to: string;
  readonly on: EdgeLabel;
}

export interface IrRegion {
  readonly id: string;
  readonly nodes: readonly IrNode[];
  readonly edges: readonly IrEdge[];
}

interface NodeBase {
  /** Unique in its workflow and stable across compiles: a step's name, else `<kind>_<n>` in source order. */
  readonly id: string;
  readonly span: IrSpan;
}

export type IrNode =
  | (NodeBase & {
      readonly kind: "step";
      readonly name: string;
      readonly action: IrAction;
      readonly options: IrStepOptions;
    })
  /** `let` and `agent` statements: bind `name` to the value. */
  | (NodeBase & { readonly kind: "let"; readonly name: string; readonly value: IrExpr })
  /**
   * `if`/`else if`/`else`: the first arm whose condition is true runs; else `otherwise`.
   * `steps` lists every step defined anywhere inside, so those not run are bound to none.
   */
  | (NodeBase & {
      readonly kind: "if";
      readonly arms: readonly { readonly condition: IrExpr; readonly region: IrRegion }[];
      readonly otherwise?: IrRegion;
      readonly steps: readonly string[];
    })
  | (NodeBase & {
      readonly kind: "parallel";
      readonly limit?: IrExpr;
      readonly branches: readonly IrRegion[];
    })
  /** After the loop each body step is bound to the list of its results, in item order. */
  | (NodeBase & {
      readonly kind: "for";
      readonly variable: string;
      readonly items: IrExpr;
      readonly parallel: boolean;
      readonly limit?: IrExpr;
      readonly body: IrRegion;
      readonly steps: readonly string[];
    })
  /** After the loop each body step is bound to its last round's result. */
  | (NodeBase & {
      readonly kind: "repeat";
      readonly max: IrExpr;
      readonly body: IrRegion;
      readonly until: IrExpr;
      readonly otherwise?: IrRegion;
      readonly steps: readonly string[];
    })
  | (NodeBase & {
      readonly kind: "try";
      readonly body: IrRegion;
      readonly errorName: string;
      readonly handler: IrRegion;
      readonly steps: readonly string[];
    })
  | (NodeBase & { readonly kind: "fail"; readonly message: IrExpr })
  | (NodeBase & { readonly kind: "escalate"; readonly message: IrExpr })
  | (NodeBase & { readonly kind: "return"; readonly value?: IrExpr });

export interface IrParam {
  readonly name: string;
  readonly type: Type;
  readonly default?: IrExpr;
}

export interface IrWorkflow {
  /** Key in `IrProgram.workflows`: `<module>:<name>`, e.g. `examples/feature.cm:feature`, `std/patterns:testAndFix`. */
  readonly id: string;
  readonly name: string;
  readonly module: string;
  readonly exported: boolean;
  readonly doc?: string;
  readonly params: readonly IrParam[];
  readonly returns?: Type;
  readonly body: IrRegion;
  readonly span: IrSpan;
}

export interface IrProgram {
  readonly version: typeof IR_VERSION;
  /** The module key of the file that was compiled; its workflows are the ones `cmc run` can start. */
  readonly root: string;
  readonly workflows: Readonly<Record<string, IrWorkflow>>;
  /** Top-level `let` and `agent` values by id `<module>:<name>`; evaluated on first use. */
  readonly globals: Readonly<Record<string, IrExpr>>;
}

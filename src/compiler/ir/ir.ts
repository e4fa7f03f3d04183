/**
 * The IR: a versioned JSON graph that the checker lowers a program to and the scheduler runs.
 * Documented in docs/ir.md; `irProgramSchema` validates it (a stored run's IR is re-validated on load).
 *
 * A workflow body is a region: an ordered list of nodes joined by `success` edges from `entry` to
 * `exit`. Compound nodes (if, parallel, for, repeat, try) own sub-regions, each reached through a
 * labelled edge from the compound node. Every region is acyclic; loops are nodes that own a body
 * region and a bound.
 */
import * as z from "zod";
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

/** A part of an interpolated string: literal text, or a value formatted by its type. */
export type IrStrPart = string | { readonly expr: IrExpr; readonly as: "text" | "duration" };

export type IrExpr =
  /** `none` is `null`; durations are milliseconds. */
  | { readonly k: "lit"; readonly value: null | boolean | number | string }
  | { readonly k: "str"; readonly parts: readonly IrStrPart[] }
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
      readonly onTimeout: "fail" | "approve" | "reject";
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

// ─── Schema ─────────────────────────────────────────────────────────────────

const typeSchema: z.ZodType<Type> = z.lazy(() =>
  z.union([
    z.object({
      kind: z.enum(["string", "int", "float", "bool", "duration", "path", "json", "none", "agent", "unknown"]),
    }),
    z.object({ kind: z.literal("list"), element: typeSchema }),
    z.object({
      kind: z.literal("record"),
      fields: z.array(z.object({ name: z.string(), type: typeSchema })),
      name: z.string().optional(),
    }),
    z.object({ kind: z.literal("optional"), inner: typeSchema }),
    z.object({ kind: z.literal("literal"), value: z.string() }),
    z.object({ kind: z.literal("union"), members: z.array(typeSchema) }),
  ]),
) as z.ZodType<Type>;

const exprSchema: z.ZodType<IrExpr> = z.lazy(() =>
  z.discriminatedUnion("k", [
    z.object({ k: z.literal("lit"), value: z.union([z.null(), z.boolean(), z.number(), z.string()]) }),
    z.object({
      k: z.literal("str"),
      parts: z.array(z.union([z.string(), z.object({ expr: exprSchema, as: z.enum(["text", "duration"]) })])),
    }),
    z.object({ k: z.literal("name"), name: z.string() }),
    z.object({ k: z.literal("global"), id: z.string() }),
    z.object({ k: z.literal("field"), object: exprSchema, name: z.string(), optional: z.boolean() }),
    z.object({ k: z.literal("index"), object: exprSchema, index: exprSchema }),
    z.object({ k: z.literal("unary"), op: z.enum(["!", "-"]), operand: exprSchema }),
    z.object({
      k: z.literal("binary"),
      op: z.string(),
      left: exprSchema,
      right: exprSchema,
      int: z.boolean().optional(),
    }),
    z.object({ k: z.literal("list"), items: z.array(exprSchema) }),
    z.object({ k: z.literal("record"), fields: z.array(z.object({ name: z.string(), value: exprSchema })) }),
    z.object({ k: z.literal("call"), fn: z.string(), args: z.array(exprSchema) }),
    z.object({ k: z.literal("prev"), step: z.string() }),
    z.object({ k: z.literal("agent"), ctor: z.string(), options: z.record(z.string(), exprSchema) }),
  ]),
) as z.ZodType<IrExpr>;

const spanSchema = z.object({
  file: z.string(),
  start: z.number(),
  end: z.number(),
  line: z.number(),
  column: z.number(),
});

const actionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("sh"),
    command: exprSchema,
    shell: z.boolean(),
    cwd: exprSchema.optional(),
    env: exprSchema.optional(),
    stdin: exprSchema.optional(),
    check: exprSchema.optional(),
  }),
  z.object({
    kind: z.literal("ask"),
    agent: exprSchema,
    prompt: exprSchema,
    output: typeSchema.optional(),
    session: exprSchema.optional(),
    interactive: exprSchema.optional(),
    files: exprSchema.optional(),
  }),
  z.object({ kind: z.literal("approve"), question: exprSchema, onTimeout: z.enum(["fail", "approve", "reject"]) }),
  z.object({ kind: z.literal("call"), workflow: z.string(), args: z.record(z.string(), exprSchema) }),
]);

const edgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  on: z.enum(["success", "failure", "approved", "rejected", "timeout", "exhausted", "true", "false"]),
});

const regionSchema: z.ZodType<IrRegion> = z.lazy(() =>
  z.object({ id: z.string(), nodes: z.array(nodeSchema), edges: z.array(edgeSchema) }),
) as z.ZodType<IrRegion>;

const base = { id: z.string(), span: spanSchema };
const nodeSchema: z.ZodType<IrNode> = z.lazy(() =>
  z.discriminatedUnion("kind", [
    z.object({
      ...base,
      kind: z.literal("step"),
      name: z.string(),
      action: actionSchema,
      options: z.object({
        timeout: exprSchema.optional(),
        retry: exprSchema.optional(),
        backoff: exprSchema.optional(),
        label: exprSchema.optional(),
      }),
    }),
    z.object({ ...base, kind: z.literal("let"), name: z.string(), value: exprSchema }),
    z.object({
      ...base,
      kind: z.literal("if"),
      arms: z.array(z.object({ condition: exprSchema, region: regionSchema })),
      otherwise: regionSchema.optional(),
      steps: z.array(z.string()),
    }),
    z.object({ ...base, kind: z.literal("parallel"), limit: exprSchema.optional(), branches: z.array(regionSchema) }),
    z.object({
      ...base,
      kind: z.literal("for"),
      variable: z.string(),
      items: exprSchema,
      parallel: z.boolean(),
      limit: exprSchema.optional(),
      body: regionSchema,
      steps: z.array(z.string()),
    }),
    z.object({
      ...base,
      kind: z.literal("repeat"),
      max: exprSchema,
      body: regionSchema,
      until: exprSchema,
      otherwise: regionSchema.optional(),
      steps: z.array(z.string()),
    }),
    z.object({
      ...base,
      kind: z.literal("try"),
      body: regionSchema,
      errorName: z.string(),
      handler: regionSchema,
      steps: z.array(z.string()),
    }),
    z.object({ ...base, kind: z.literal("fail"), message: exprSchema }),
    z.object({ ...base, kind: z.literal("escalate"), message: exprSchema }),
    z.object({ ...base, kind: z.literal("return"), value: exprSchema.optional() }),
  ]),
) as z.ZodType<IrNode>;

export const irProgramSchema: z.ZodType<IrProgram> = z.object({
  version: z.literal(IR_VERSION),
  root: z.string(),
  workflows: z.record(
    z.string(),
    z.object({
      id: z.string(),
      name: z.string(),
      module: z.string(),
      exported: z.boolean(),
      doc: z.string().optional(),
      params: z.array(z.object({ name: z.string(), type: typeSchema, default: exprSchema.optional() })),
      returns: typeSchema.optional(),
      body: regionSchema,
      span: spanSchema,
    }),
  ),
  globals: z.record(z.string(), exprSchema),
}) as z.ZodType<IrProgram>;

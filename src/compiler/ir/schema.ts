/**
 * The zod schema of the IR (ir.ts), which validates a stored run's IR when it is loaded and the
 * output of `cmc compile` in tests. Kept apart from the types so that checking and compiling do not
 * load zod.
 */
import * as z from "zod";
import type { Type } from "../types.js";
import { IR_VERSION, type IrExpr, type IrNode, type IrProgram, type IrRegion } from "./ir.js";

const typeSchema: z.ZodType<Type> = z.lazy(() =>
  z.union([
    z.object({
      kind: z.enum(["string", "int", "float", "bool", "duration", "path", "command", "json", "none", "agent", "unknown"]),
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
      parts: z.array(z.union([z.string(), z.object({ expr: exprSchema, as: z.enum(["text", "duration", "command"]) })])),
      shell: z.boolean().optional(),
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
  z.object({ kind: z.literal("approve"), question: exprSchema, onTimeout: z.union([z.enum(["fail", "approve", "reject"]), exprSchema]) }),
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

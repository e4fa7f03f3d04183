#!/usr/bin/env node
/**
 * The YAML peer of `cmc check`: parses a workflow file with `yaml` and validates it against a zod
 * schema of the format gen-yaml.js writes (what YAML-defined orchestrators do before running),
 * then checks that every `workflow:` call names a defined workflow. Exit 0 valid, 1 invalid.
 *
 *   node bench/peers/yaml-check.js FILE.yaml
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const typeExpr = z.string().regex(/^[A-Za-z_][A-Za-z0-9_<>, ?]*$/);
const duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/);
const id = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);
const common = { timeout: duration.optional(), retry: z.number().int().min(0).optional(), label: z.string().optional() };

/** @type {z.ZodType} */
const step = z.lazy(() =>
  z.union([
    z.strictObject({ let: id, value: scalar }),
    z.strictObject({ id, sh: z.string(), check: z.boolean().optional(), ...common }),
    z.strictObject({ id, agent: id, prompt: z.string(), output: typeExpr.optional(), ...common }),
    z.strictObject({ id, workflow: id, with: z.record(z.string(), scalar).optional(), ...common }),
    z.strictObject({
      repeat: z.strictObject({ max: z.union([z.number().int(), z.string()]), until: z.string(), steps: z.array(step), else: z.array(step).optional() }),
    }),
    z.strictObject({ for: z.strictObject({ each: id, in: z.string(), parallel: z.number().int().min(1).optional(), steps: z.array(step) }) }),
    z.strictObject({ parallel: z.strictObject({ max: z.number().int().optional(), branches: z.array(z.array(step)) }) }),
    z.strictObject({ try: z.array(step), catch: z.strictObject({ as: id, steps: z.array(step) }) }),
    z.strictObject({ if: z.string(), then: z.array(step), elif: z.array(step).optional(), else: z.array(step).optional() }),
    z.strictObject({ escalate: z.string() }),
    z.strictObject({ fail: z.string() }),
  ]),
);

const workflow = z.strictObject({
  description: z.string().optional(),
  export: z.boolean().optional(),
  types: z.record(id, z.record(id, typeExpr)).optional(),
  constants: z.record(id, z.record(id, z.union([scalar, z.array(scalar)]))).optional(),
  inputs: z.record(id, z.strictObject({ type: typeExpr, default: scalar.optional() })).optional(),
  outputs: z.record(id, typeExpr).optional(),
  agents: z.record(id, z.strictObject({ kind: z.enum(["claude", "codex", "gemini", "opencode", "cursor", "scripted"]), file: z.string().optional(), model: z.string().optional() })).optional(),
  steps: z.array(step),
  return: z.record(id, scalar).optional(),
});

const document = z.strictObject({ workflows: z.record(id, workflow) });

function calls(steps, out) {
  for (const s of steps) {
    if ("workflow" in s) out.push(s.workflow);
    for (const key of ["then", "elif", "else", "try"]) if (Array.isArray(s[key])) calls(s[key], out);
    if (s.repeat) calls(s.repeat.steps, out), s.repeat.else && calls(s.repeat.else, out);
    if (s.for) calls(s.for.steps, out);
    if (s.parallel) for (const b of s.parallel.branches) calls(b, out);
    if (s.catch) calls(s.catch.steps, out);
  }
  return out;
}

const file = process.argv[2];
const result = document.safeParse(parse(readFileSync(file, "utf8")));
if (!result.success) {
  console.error(z.prettifyError(result.error));
  process.exit(1);
}
const flows = result.data.workflows;
const unknown = Object.values(flows).flatMap((w) => calls(w.steps, [])).filter((name) => !(name in flows));
if (unknown.length) {
  console.error(`unknown workflows: ${unknown.join(", ")}`);
  process.exit(1);
}

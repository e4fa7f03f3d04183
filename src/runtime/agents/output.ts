/**
 * Structured output of an agent step (`ask(…, output: T)`): the JSON Schema handed to CLIs, the
 * instruction appended to prompts for CLIs without native schema support, extracting JSON from a
 * reply's text, and validating the value against the step's type.
 */
import * as z from "zod";
import { StepError } from "../errors.js";
import { MAX_JSON_DEPTH, nestsTooDeep } from "../json-depth.js";
import { typeToString, type Type } from "../../compiler/types.js";
import { parseDuration } from "../scheduler/format.js";


type Mode = "validate" | "schema";

/**
 * The zod validator of a type. `validate` is lenient where a model may reasonably differ
 * (durations as `"20m"`, optional fields absent or `null`, extra record fields dropped);
 * `schema` is the strict shape described to the model (every record field listed as required,
 * optional ones nullable, as OpenAI's strict structured outputs demand).
 */
function zodOf(type: Type, mode: Mode): z.ZodType {
  switch (type.kind) {
    case "string":
    case "path":
    // The checker lets command text come only from the program (never a reply or a json value).
    case "command":
      return z.string();
    case "int":
      // Past ±(2^53 − 1) a JSON number has already been rounded: it is no exact int.
      return z.number().int().refine(Number.isSafeInteger, "a whole number within ±9007199254740991");
    case "float":
      return z.number();
    case "bool":
      return z.boolean();
    case "duration":
      if (mode === "schema") return z.number().describe("a duration in milliseconds");
      return z.union([
        z.number().nonnegative(),
        // Or written as text, `"20m"`, `"1h30m"`.
        z
          .string()
          .refine((s) => parseDuration(s) !== undefined)
          .transform((s) => parseDuration(s)!),
      ]);
    case "json":
    case "agent":
    case "unknown":
      return z.unknown();
    case "none":
      return z.null();
    case "list":
      return z.array(zodOf(type.element, mode));
    case "record": {
      const shape: Record<string, z.ZodType> = {};
      for (const field of type.fields) {
        const inner = zodOf(field.type, mode);
        shape[field.name] =
          field.type.kind === "optional" && mode === "validate"
            ? (inner as z.ZodNullable<z.ZodType>).default(null)
            : field.type.kind === "json" && mode === "validate"
              ? z.unknown().optional().transform((v) => v ?? null)
              : inner;
      }
      return z.object(shape);
    }
    case "optional":
      return zodOf(type.inner, mode).nullable();
    case "literal":
      return z.literal(type.value);
    case "union": {
      const members = type.members;
      if (members.length > 0 && members.every((m) => m.kind === "literal")) {
        return z.enum(members.map((m) => (m as { value: string }).value) as [string, ...string[]]);
      }
      if (members.length === 1) return zodOf(members[0]!, mode);
      const [first, second, ...rest] = members.map((m) => zodOf(m, mode));
      return first && second ? z.union([first, second, ...rest]) : z.never();
    }
    default:
      return assertNever(type);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected type ${JSON.stringify(x)}`);
}

/**
 * The JSON Schema (draft-07) of a step's `output:` type, for the CLIs and prompts. Draft-07, not
 * zod's default 2020-12: Claude Code 2.1.197 given a `"$schema"` of draft 2020-12 in `--json-schema`
 * silently offers the model no structured-output tool.
 */
export function outputSchema(type: Type): Record<string, unknown> {
  return z.toJSONSchema(zodOf(type, "schema"), { target: "draft-7", unrepresentable: "any" }) as Record<string, unknown>;
}

/**
 * The schema handed to a CLI natively (Claude's `--json-schema`, Codex's `--output-schema`).
 * Those require an object at the root, so any other type is wrapped as `{ "value": T }`;
 * `unwrapNativeOutput` undoes it.
 */
export function nativeOutputSchema(type: Type): Record<string, unknown> {
  if (type.kind === "record") return outputSchema(type);
  const { $schema, ...inner } = outputSchema(type);
  return { $schema, type: "object", properties: { value: inner }, required: ["value"], additionalProperties: false };
}

/** The value of a reply to `nativeOutputSchema(type)`: `{ "value": x }` gives `x` unless `type` is a record. */
export function unwrapNativeOutput(type: Type, raw: unknown): unknown {
  if (type.kind === "record" || typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const keys = Object.keys(raw);
  return keys.length === 1 && keys[0] === "value" ? (raw as { value: unknown }).value : raw;
}

/** The instruction appended to the prompt for CLIs that cannot be given a schema natively. */
export function outputInstruction(type: Type): string {
  const what = type.kind === "record" ? "a JSON object" : "JSON";
  return `Reply with only ${what} matching this JSON Schema, in a \`\`\`json fenced block:\n${JSON.stringify(outputSchema(type))}`;
}

/** `prompt` with the output instruction appended, or unchanged when the step has no `output:`. */
export function promptWithOutputInstruction(prompt: string, type: Type | undefined): string {
  return type ? `${prompt.replace(/\s+$/, "")}\n\n${outputInstruction(type)}\n` : prompt;
}

/**
 * The JSON value in a reply's text: the last ```json fenced block, else the whole text, else the
 * last fenced block of any language. Throws `invalid_output` when none of them is JSON.
 */
export function extractJson(text: string): unknown {
  const candidates: string[] = [];
  const fences = [...text.matchAll(/```([A-Za-z0-9_-]*)[^\n]*\n([\s\S]*?)```/g)];
  const jsonFences = fences.filter((m) => (m[1] ?? "").toLowerCase() === "json");
  if (jsonFences.length > 0) candidates.push(jsonFences[jsonFences.length - 1]![2]!);
  candidates.push(text);
  if (fences.length > 0) candidates.push(fences[fences.length - 1]![2]!);
  for (const candidate of candidates) {
    const trimmed = candidate.trim();
    if (trimmed === "") continue;
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      // try the next candidate
    }
  }
  throw new StepError("invalid_output", `the reply is not JSON: ${preview(text)}`);
}

/** Validators by type: a type (a workflow's parameter, its result, a step's `output:`) is checked again and again. */
const validators = new WeakMap<Type, z.ZodType>();

function validatorOf(type: Type): z.ZodType {
  let validator = validators.get(type);
  if (!validator) validators.set(type, (validator = zodOf(type, "validate")));
  return validator;
}

/**
 * `value` checked against `type`, normalised (durations in milliseconds, absent optional fields
 * `null`, unknown record fields dropped). Throws `StepError("invalid_output")` naming the first
 * field that does not match, e.g. "reply field `tasks[0].title`: expected string, got number".
 */
export function validateOutput(type: Type, value: unknown, subject = "reply"): unknown {
  if (nestsTooDeep(value)) fail(`${subject}: nests deeper than ${MAX_JSON_DEPTH} levels`);
  const result = validatorOf(type).safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0]!;
  const path = first.path.filter((p): p is string | number => typeof p !== "symbol");
  const where = path.length === 0 ? subject : `${subject} field \`${formatPath(path)}\``;
  const expected = typeAt(type, path);
  const actual = valueAt(value, path);
  const problem =
    actual.found === false
      ? `missing, expected ${expected ? typeToString(expected) : "a value"}`
      : `expected ${expected ? typeToString(expected) : first.message}, got ${describe(actual.value, expected)}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return fail(`${where}: ${problem}${more}`);
}

function fail(message: string): never {
  throw new StepError("invalid_output", message);
}

/** `tasks[0].title` */
function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

function typeAt(type: Type, path: readonly (string | number)[]): Type | undefined {
  let t: Type | undefined = type;
  for (const p of path) {
    while (t?.kind === "optional") t = t.inner;
    if (!t) return undefined;
    if (typeof p === "number") t = t.kind === "list" ? t.element : undefined;
    else t = t.kind === "record" ? t.fields.find((f) => f.name === p)?.type : undefined;
  }
  return t;
}

function valueAt(value: unknown, path: readonly (string | number)[]): { found: boolean; value?: unknown } {
  let v: unknown = value;
  for (const p of path) {
    if (typeof v !== "object" || v === null || !Object.hasOwn(v, p)) return { found: false };
    v = (v as Record<string | number, unknown>)[p];
  }
  return { found: true, value: v };
}

/** How a wrong value is named: its kind, or the value itself when the kind was right. */
function describe(value: unknown, expected: Type | undefined): string {
  const kind =
    value === null
      ? "null"
      : Array.isArray(value)
        ? "list"
        : typeof value === "number"
          ? "number"
          : typeof value === "boolean"
            ? "bool"
            : typeof value === "string"
              ? "string"
              : "object";
  const sameKind =
    expected !== undefined &&
    ((kind === "number" && (expected.kind === "int" || expected.kind === "duration")) ||
      (kind === "string" && (expected.kind === "literal" || expected.kind === "union" || expected.kind === "duration")));
  return sameKind ? preview(JSON.stringify(value)) : kind;
}

function preview(text: string): string {
  const oneLine = text.trim().replace(/\s+/g, " ");
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}

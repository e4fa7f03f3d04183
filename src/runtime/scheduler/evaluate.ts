/**
 * Evaluates IR expressions against a scope of bindings. Pure but for the built-ins that read the
 * workspace (read, exists, glob) and the environment (env). Errors are `StepError`s of kind `runtime`.
 */
import type { IrExpr, IrStrPart } from "../../compiler/ir/ir.js";
import { StepError } from "../errors.js";
import { ShellScanner, ShellSpliceError } from "../../compiler/shell-context.js";
import { globPaths, pathExists, readText } from "../workspace.js";
import { formatValue } from "./format.js";
import { MAX_JSON_DEPTH, nestsTooDeep } from "../json-depth.js";

/** Bindings of one region execution; step results are kept apart so compound nodes can hand them up. */
export class Scope {
  readonly vars = new Map<string, unknown>();
  readonly steps = new Map<string, unknown>();
  constructor(
    readonly parent?: Scope,
    /** In a repeat round: the loop's body steps, and the previous round's results of them. */
    readonly prev?: { readonly steps: readonly string[]; readonly results: ReadonlyMap<string, unknown> },
  ) {}

  lookup(name: string): { found: boolean; value: unknown } {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.steps.has(name)) return { found: true, value: s.steps.get(name) };
      if (s.vars.has(name)) return { found: true, value: s.vars.get(name) };
    }
    return { found: false, value: undefined };
  }

  /** `prev(step)`: the previous round of the innermost enclosing `repeat` whose body has `step`. */
  lookupPrev(step: string): unknown {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.prev?.steps.includes(step)) return s.prev.results.get(step) ?? null;
    }
    return null;
  }
}

export interface EvalEnv {
  readonly scope: Scope;
  readonly workspace: string;
  readonly allowOutside: boolean;
  /** The value of a top-level `let`/`agent` by id (evaluated once, on first use). */
  global(id: string): unknown;
  /**
   * How a built-in that reads the world (`read`, `exists`, `glob`, `env`) is answered: the driver
   * journals what `read` returned the first time and answers a replay from the journal. Without
   * it, the world is read each time.
   */
  readonly observe?: (call: string, read: () => unknown) => unknown;
}

/** A built-in that reads the world, through `env.observe` when there is one. */
function observed(fn: string, args: readonly unknown[], env: EvalEnv, read: () => unknown): unknown {
  return env.observe ? env.observe(`${fn}(${args.map((a) => JSON.stringify(a)).join(", ")})`, read) : read();
}

/** Evaluates an expression. */
export function evaluate(e: IrExpr, env: EvalEnv): unknown {
  switch (e.k) {
    case "lit":
      return e.value;
    case "str":
      return interpolate(e.parts, env, e.shell === true);
    case "name": {
      const { found, value } = env.scope.lookup(e.name);
      if (!found) throw new StepError("runtime", `\`${e.name}\` has no value here`);
      return value;
    }
    case "global":
      return env.global(e.id);
    case "field": {
      const object = evaluate(e.object, env);
      if (object === null || object === undefined) {
        if (e.optional) return null;
        throw new StepError("runtime", `cannot read field \`${e.name}\` of none`);
      }
      if (typeof object !== "object" || Array.isArray(object)) {
        if (e.optional) return null;
        throw new StepError("runtime", `cannot read field \`${e.name}\` of ${describeValue(object)}`);
      }
      const record = object as Record<string, unknown>;
      // Own fields only: `constructor` or `toString` of a json object is no field of it.
      if (!Object.hasOwn(record, e.name)) {
        if (e.optional) return null;
        throw new StepError("runtime", `the value has no field \`${e.name}\``);
      }
      return record[e.name] ?? null;
    }
    case "index": {
      const object = evaluate(e.object, env);
      const index = evaluate(e.index, env);
      if (Array.isArray(object) && typeof index === "number") {
        const i = index < 0 ? object.length + index : index;
        if (!Number.isInteger(i) || i < 0 || i >= object.length) {
          throw new StepError("runtime", `index ${index} is out of range for a list of ${object.length}`);
        }
        return object[i];
      }
      if (object && typeof object === "object" && !Array.isArray(object) && typeof index === "string") {
        return Object.hasOwn(object, index) ? ((object as Record<string, unknown>)[index] ?? null) : null;
      }
      throw new StepError("runtime", `cannot index ${describeValue(object)} with ${describeValue(index)}`);
    }
    case "unary": {
      const v = evaluate(e.operand, env);
      return e.op === "!" ? !bool(v, "!") : -num(v, "-");
    }
    case "binary":
      return binary(e.op, e.left, e.right, e.int === true, env);
    case "list":
      return e.items.map((item) => evaluate(item, env));
    case "record": {
      const out: Record<string, unknown> = {};
      // Defined, not assigned: a field named `__proto__` is a field, not the object's prototype.
      for (const f of e.fields) Object.defineProperty(out, f.name, { value: evaluate(f.value, env), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case "call":
      return callBuiltin(e.fn, e.args.map((a) => evaluate(a, env)), env);
    case "prev":
      return env.scope.lookupPrev(e.step);
    case "agent": {
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(e.options)) options[k] = evaluate(v, env);
      return { $agent: e.ctor, options };
    }
  }
}

/**
 * Builds an interpolated string. With `shell`, every interpolated value is spliced into the command
 * as inert text for where it lands (unquoted, inside quotes, in a here-document…) unless it is a
 * `raw(…)` call, whose text is followed as command text: a value can never inject shell syntax
 * (LANGUAGE.md §6.1).
 */
export function interpolate(parts: readonly IrStrPart[], env: EvalEnv, shell: boolean): string {
  const scanner = shell ? new ShellScanner() : undefined;
  let out = "";
  try {
    for (const part of parts) {
      if (typeof part === "string") {
        scanner?.feed(part);
        out += part;
        continue;
      }
      const value = evaluate(part.expr, env);
      const text = formatValue(value, part.as === "duration" ? "duration" : "text");
      if (!scanner) out += text;
      else if (part.as === "command" || (part.expr.k === "call" && part.expr.fn === "raw")) {
        scanner.feed(text);
        out += text;
      } else out += scanner.splice(text, typeof value === "number");
    }
    const problem = scanner?.finish();
    if (problem) throw new ShellSpliceError(problem);
  } catch (error) {
    if (error instanceof ShellSpliceError) throw new StepError("runtime", `cannot build the command: ${error.message}`);
    throw error;
  }
  return out;
}

function binary(op: string, left: IrExpr, right: IrExpr, int: boolean, env: EvalEnv): unknown {
  switch (op) {
    case "&&":
      return bool(evaluate(left, env), op) && bool(evaluate(right, env), op);
    case "||":
      return bool(evaluate(left, env), op) || bool(evaluate(right, env), op);
    case "??": {
      const l = evaluate(left, env);
      return l === null || l === undefined ? evaluate(right, env) : l;
    }
  }
  const l = evaluate(left, env);
  const r = evaluate(right, env);
  switch (op) {
    case "==":
      return equal(l, r);
    case "!=":
      return !equal(l, r);
    case "<":
    case "<=":
    case ">":
    case ">=": {
      // Numbers (durations are numbers too), or two strings; json lets anything else through the checker.
      const [a, b] = typeof l === "string" && typeof r === "string" ? [l, r] : [num(l, op), num(r, op)];
      return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
    }
    case "+":
      if (typeof l === "string" || typeof r === "string") return formatValue(l) + formatValue(r);
      return exact(num(l, op) + num(r, op), int, l, op, r);
    case "-":
      return exact(num(l, op) - num(r, op), int, l, op, r);
    case "*":
      return exact(num(l, op) * num(r, op), int, l, op, r);
    case "/": {
      // Floats too: Infinity and NaN have no JSON form, so a result would turn into null.
      if (r === 0) throw new StepError("runtime", "division by zero");
      const q = num(l, op) / num(r, op);
      return int ? Math.trunc(q) : q;
    }
    case "%":
      if (r === 0) throw new StepError("runtime", "division by zero");
      return num(l, op) % num(r, op);
    default:
      throw new StepError("runtime", `unknown operator \`${op}\``);
  }
}

/** An operand of an arithmetic or ordering operator, which must be a number. */
function num(v: unknown, op: string): number {
  if (typeof v !== "number") throw new StepError("runtime", `cannot apply \`${op}\` to ${describeValue(v)}`);
  return v;
}

/** An operand of `!`, `&&` or `||`, which must be a bool (a `json` value is not read for truthiness). */
function bool(v: unknown, op: string): boolean {
  if (typeof v !== "boolean") throw new StepError("runtime", `cannot apply \`${op}\` to ${describeValue(v)}`);
  return v;
}

/** An `int` result, which must be exact: past ±(2^53 − 1) a float would silently round it. */
function exact(result: number, int: boolean, l: unknown, op: string, r: unknown): number {
  if (int && !Number.isSafeInteger(result)) {
    throw new StepError("runtime", `integer overflow: ${String(l)} ${op} ${String(r)} is beyond ±9007199254740991`);
  }
  return result;
}

/** Structural equality: lists item by item, records field by field whatever their order. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** What kind of value `v` is, for messages: `none`, `a list`, `a record`, `a string`. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return "none";
  if (Array.isArray(v)) return "a list";
  return `a ${typeof v === "object" ? "record" : typeof v}`;
}

function str(v: unknown, fn: string): string {
  if (typeof v !== "string") throw new StepError("runtime", `${fn}() expects a string, got ${describeValue(v)}`);
  return v;
}

function list(v: unknown, fn: string): unknown[] {
  if (!Array.isArray(v)) throw new StepError("runtime", `${fn}() expects a list, got ${describeValue(v)}`);
  return v;
}

function lineList(text: string): string[] {
  const all = text.split("\n");
  if (all.length > 0 && all[all.length - 1] === "") all.pop();
  return all;
}

/** The built-in functions of LANGUAGE.md §7. */
export function callBuiltin(fn: string, args: readonly unknown[], env: EvalEnv): unknown {
  const [a, b] = args;
  switch (fn) {
    case "read":
      return observed(fn, args, env, () => readText(env.workspace, str(a, fn), env.allowOutside));
    case "exists":
      return observed(fn, args, env, () => pathExists(env.workspace, str(a, fn), env.allowOutside));
    case "glob":
      return observed(fn, args, env, () => globPaths(env.workspace, str(a, fn), env.allowOutside));
    case "join":
      return list(a, fn).map((x) => formatValue(x)).join(str(b, fn));
    case "lines":
      return lineList(str(a, fn));
    case "head":
      return lineList(str(a, fn)).slice(0, Math.max(0, b as number)).join("\n");
    case "tail": {
      const all = lineList(str(a, fn));
      const n = Math.max(0, b as number);
      return (n === 0 ? [] : all.slice(-n)).join("\n");
    }
    case "trim":
      return str(a, fn).trim();
    case "len":
      return typeof a === "string" || Array.isArray(a) ? a.length : 0;
    case "contains":
      if (typeof a === "string") return a.includes(formatValue(b));
      if (Array.isArray(a)) return a.some((x) => equal(x, b));
      return false;
    case "tojson":
      return JSON.stringify(a ?? null, null, 2);
    case "json": {
      let value: unknown;
      try {
        value = JSON.parse(str(a, fn));
      } catch (error) {
        throw new StepError("runtime", `json(): the text is not valid JSON (${(error as Error).message})`);
      }
      if (nestsTooDeep(value)) throw new StepError("runtime", `json(): the document nests deeper than ${MAX_JSON_DEPTH} levels`);
      return value;
    }
    case "env":
      return observed(fn, args, env, () => (Object.hasOwn(process.env, str(a, fn)) ? (process.env[str(a, fn)] ?? null) : null));
    case "raw":
      return a;
    default:
      throw new StepError("runtime", `unknown function \`${fn}\``);
  }
}

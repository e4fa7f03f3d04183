/**
 * Expressions at run time: whatever values reach an operator or a built-in function — `json` lets
 * any value through the checker — the result is a value or a located `StepError` of kind `runtime`,
 * never a JavaScript exception that surfaces as "internal error".
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { IrExpr } from "../../src/compiler/ir/ir.js";
import { StepError } from "../../src/runtime/errors.js";
import { formatCount, formatDuration, parseDuration } from "../../src/runtime/scheduler/format.js";
import { evaluate, Scope, type EvalEnv } from "../../src/runtime/scheduler/evaluate.js";

const workspace = mkdtempSync(path.join(tmpdir(), "cmc-eval-"));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const BUILTINS = ["read", "exists", "glob", "join", "lines", "head", "tail", "trim", "len", "contains", "tojson", "json", "env", "raw"];
const OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&&", "||", "??"];

/** Evaluates `e` with `a` and `b` bound to the given values; returns the error it threw, if any. */
function failure(e: IrExpr, a: unknown, b: unknown): unknown {
  const scope = new Scope();
  scope.vars.set("a", a);
  scope.vars.set("b", b);
  const env: EvalEnv = { scope, workspace, allowOutside: false, global: () => null };
  try {
    evaluate(e, env);
    return undefined;
  } catch (error) {
    return error;
  }
}

const a: IrExpr = { k: "name", name: "a" };
const b: IrExpr = { k: "name", name: "b" };
const value = fc.oneof(fc.jsonValue(), fc.constant(null), fc.string(), fc.integer());

describe("evaluating expressions on any values", () => {
  it("every built-in function gives a value or a StepError", () => {
    fc.assert(
      fc.property(fc.constantFrom(...BUILTINS), value, value, (fn, x, y) => {
        const error = failure({ k: "call", fn, args: [a, b] }, x, y);
        if (error !== undefined) expect(error).toBeInstanceOf(StepError);
      }),
      { numRuns: 3000 },
    );
  });

  it("every operator, field access, index and interpolation gives a value or a StepError", () => {
    fc.assert(
      fc.property(fc.constantFrom(...OPERATORS), fc.boolean(), value, value, (op, int, x, y) => {
        for (const e of [
          { k: "binary", op, left: a, right: b, ...(int ? { int: true } : {}) },
          { k: "unary", op: "-", operand: a },
          { k: "field", object: a, name: "f", optional: int },
          { k: "index", object: a, index: b },
          { k: "str", parts: ["<", { expr: a, as: "duration" }, { expr: b, as: "text" }, ">"] },
        ] as IrExpr[]) {
          const error = failure(e, x, y);
          if (error !== undefined) expect(error).toBeInstanceOf(StepError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("names what join was given instead of a list", () => {
    const error = failure({ k: "call", fn: "join", args: [a, b] }, { x: 1 }, ",");
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).message).toBe("join() expects a list, got a record");
  });
});

/** Evaluates `e` with `a` and `b` bound; the value, or throws what it threw. */
function value2(e: IrExpr, x: unknown, y: unknown = null): unknown {
  const scope = new Scope();
  scope.vars.set("a", x);
  scope.vars.set("b", y);
  return evaluate(e, { scope, workspace, allowOutside: false, global: () => null });
}

const json = (text: string): IrExpr => ({ k: "call", fn: "json", args: [{ k: "lit", value: text }] });

describe("values from json reach no JavaScript behaviour", () => {
  it("reads own fields only: a json object's `constructor` or `toString` is no field", () => {
    expect(() => value2({ k: "field", object: json("{}"), name: "constructor", optional: false }, null)).toThrow("the value has no field `constructor`");
    expect(value2({ k: "field", object: json("{}"), name: "toString", optional: true }, null)).toBeNull();
    expect(value2({ k: "index", object: a, index: { k: "lit", value: "constructor" } }, {})).toBeNull();
    expect(value2({ k: "index", object: a, index: { k: "lit", value: "__proto__" } }, {})).toBeNull();
    expect(value2({ k: "field", object: json('{"constructor": 3}'), name: "constructor", optional: false }, null)).toBe(3);
    expect(value2({ k: "call", fn: "env", args: [{ k: "lit", value: "toString" }] }, null)).toBeNull();
    const proto: IrExpr = { k: "record", fields: [{ name: "__proto__", value: { k: "record", fields: [{ name: "x", value: { k: "lit", value: 1 } }] } }] };
    expect(value2({ k: "field", object: proto, name: "__proto__", optional: false }, null)).toEqual({ x: 1 });
    expect(value2({ k: "field", object: proto, name: "x", optional: true }, null)).toBeNull();
    expect(value2({ k: "binary", op: "==", left: proto, right: json('{"__proto__": {"x": 1}}') }, null)).toBe(true);
  });

  it("compares records by their fields, whatever the order of their keys", () => {
    const eq = (x: unknown, y: unknown) => value2({ k: "binary", op: "==", left: a, right: b }, x, y);
    expect(value2({ k: "binary", op: "==", left: json('{"b":2,"a":1}'), right: { k: "record", fields: [{ name: "a", value: { k: "lit", value: 1 } }, { name: "b", value: { k: "lit", value: 2 } }] } }, null)).toBe(true);
    expect(eq({ x: [{ b: 1, a: 2 }] }, { x: [{ a: 2, b: 1 }] })).toBe(true);
    expect(eq({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(eq({ a: 1, c: 2 }, { a: 1, b: 2 })).toBe(false);
    expect(eq([1, 2], [2, 1])).toBe(false);
    expect(eq([], {})).toBe(false);
    expect(value2({ k: "call", fn: "contains", args: [a, b] }, [{ b: 2, a: 1 }], { a: 1, b: 2 })).toBe(true);
  });

  it("refuses `-`, `!`, `&&` and `||` on a value of the wrong kind, naming it", () => {
    expect(() => value2({ k: "unary", op: "-", operand: json('"5"') }, null)).toThrow("cannot apply `-` to a string");
    expect(() => value2({ k: "unary", op: "!", operand: json('"no"') }, null)).toThrow("cannot apply `!` to a string");
    expect(() => value2({ k: "binary", op: "&&", left: a, right: b }, true, 1)).toThrow("cannot apply `&&` to a number");
    expect(() => value2({ k: "binary", op: "||", left: a, right: b }, [], true)).toThrow("cannot apply `||` to a list");
    expect(() => value2({ k: "binary", op: "&&", left: a, right: b }, null, true)).toThrow(StepError);
    expect(value2({ k: "binary", op: "||", left: a, right: b }, true, "never read")).toBe(true);
    expect(value2({ k: "unary", op: "!", operand: a }, false)).toBe(true);
  });

  it("keeps ints exact: an int result past ±(2^53 − 1) is an overflow error, a float's is not", () => {
    const max = Number.MAX_SAFE_INTEGER;
    for (const [op, x, y] of [["+", max, 1], ["-", -max, 1], ["*", 2 ** 27, 2 ** 27]] as const) {
      expect(() => value2({ k: "binary", op, left: a, right: b, int: true }, x, y)).toThrow(/integer overflow/);
      const error = failure({ k: "binary", op, left: a, right: b, int: true }, x, y);
      expect((error as StepError).kind).toBe("runtime");
      expect(value2({ k: "binary", op, left: a, right: b }, x, y)).toBeTypeOf("number");
    }
    expect(value2({ k: "binary", op: "+", left: a, right: b, int: true }, max - 1, 1)).toBe(max);
  });
});

describe("parseDuration", () => {
  it("reads what formatDuration writes, compound durations and spaced ones included", () => {
    for (const ms of [0, 1, 1500, 90_000, 1_200_000, 5_400_000, 90_061_001]) expect(parseDuration(formatDuration(ms))).toBe(ms);
    expect(parseDuration("1h 30m")).toBe(5_400_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("20")).toBeUndefined();
    expect(parseDuration("m20")).toBeUndefined();
    expect(parseDuration("-5s")).toBeUndefined();
  });

  it("prints a fraction of a millisecond rounded, never as nothing", () => {
    expect(formatDuration(1 / 3)).toBe("0s");
    expect(formatDuration(0.4)).toBe("0s");
    expect(formatDuration(1500.4)).toBe("1s500ms");
  });

  it("groups the digits of a count as toLocaleString(\"en-US\") does", () => {
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double()), (n) => formatCount(n) === n.toLocaleString("en-US")));
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(-1000)).toBe("-1,000");
    expect(formatCount(999)).toBe("999");
  });
});

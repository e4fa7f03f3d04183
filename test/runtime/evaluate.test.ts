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
import { formatDuration, parseDuration } from "../../src/runtime/scheduler/format.js";
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
});

/** The driver's replay check: `sameJson` agrees with the inputs' digest, and is never fooled. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inputsDigest, sameJson } from "../../src/runtime/scheduler/driver.js";

/** JSON-like values with what canonical JSON ignores: undefined fields, key order. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -3, max: 3 }), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
  node: fc.oneof({ depthSize: "small" }, tie("leaf"), fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(fc.constantFrom("a", "b", "c", "__proto__x"), tie("node"), { maxKeys: 3 })),
})).node;

/** The same value rebuilt: keys in reverse order, fresh objects and arrays. */
function rebuilt(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rebuilt);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, rebuilt(x)]));
  return v;
}

const digest = (v: unknown) => inputsDigest(v === undefined ? null : v);

describe("sameJson", () => {
  it("calls two values the same only when their canonical JSON is the same", () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        if (sameJson(a, b)) expect(digest(a)).toBe(digest(b));
      }),
      { numRuns: 3000 },
    );
  });

  it("finds a value rebuilt in another key order the same", () => {
    fc.assert(
      fc.property(value, (a) => {
        // NaN is the one JSON value not equal to itself: left to the digest.
        const nan = String(JSON.stringify(a, (_k, x: unknown) => (Number.isNaN(x) ? "<NaN>" : x))).includes("<NaN>");
        if (!nan) expect(sameJson(a, rebuilt(a))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("tells apart what JSON tells apart, and leaves out undefined fields as JSON does", () => {
    expect(sameJson({ command: "make a" }, { command: "make b" })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] })).toBe(true);
    expect(sameJson("1", 1)).toBe(false);
    expect(sameJson([], {})).toBe(false);
    // Not plain JSON: left to the digest.
    expect(sameJson(new Date(0), new Date(0))).toBe(false);
  });
});

/** parse() never throws and never fails internally, on random text or on mutations of valid programs. */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/compiler/parser/index.js";

const feature = readFileSync(new URL("./programs/feature.cm", import.meta.url), "utf8");
const pieces = [
  "{", "}", "(", ")", "[", "]", '"', '"""', "${", "\\", "\n", ";", ",", ":", ".", "?.", "??", "|", "<", ">", "=", "->",
  "step", "if", "else", "repeat", "max", "until", "parallel", "for", "in", "try", "catch", "return", "workflow", "type",
  "agent", "let", "import", "export", "x", "1", "2.5", "3m", "5x", "//", "/*", "*/", "///", "$", "#", " ", "\t", "\r\n",
];

function check(text: string): void {
  const result = parse(text, "fuzz.cm");
  expect(result.module.kind).toBe("Module");
  expect(result.diagnostics.filter((d) => d.code === "E0100")).toEqual([]);
  for (const d of result.diagnostics) {
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.start).toBeLessThanOrEqual(text.length + 1);
    expect(d.message).not.toMatch(/Expecting|-->|Redundant input/);
  }
}

describe("parse on arbitrary input", () => {
  it("never throws on 1,000 random strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => check(s)), { numRuns: 500 });
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (a) => check(a.join(""))), { numRuns: 500 });
  });

  it("never throws on 1,000 mutations of the LANGUAGE.md §1 program", () => {
    const mutation = fc.record({
      at: fc.nat({ max: feature.length }),
      cut: fc.nat({ max: 12 }),
      insert: fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        let text = feature;
        for (const m of ms) text = text.slice(0, m.at) + m.insert + text.slice(m.at + m.cut);
        check(text);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("parse on pathological input", () => {
  it("returns a diagnostic, not an exception, for nesting deeper than the stack allows", () => {
    const text = `let x = ${"(".repeat(100_000)}1${")".repeat(100_000)}`;
    const { diagnostics } = parse(text, "deep.cm");
    expect(diagnostics).toHaveLength(1);
    // Located where the brackets are deepest, with a hint.
    expect(diagnostics[0]).toMatchObject({ code: "E0100", span: { start: 8 + 99_999, end: 8 + 100_000 } });
    expect(diagnostics[0]?.label).toBe("brackets are nested 100000 deep here");
    // The parser still works afterwards.
    expect(parse("let y = [1, 2]", "after.cm").diagnostics).toEqual([]);
    expect(parse("let y = [1 2]", "after.cm").diagnostics.map((d) => d.code)).toEqual(["E0101"]);
  });

  it("parses moderately deep nesting normally", () => {
    const text = `let x = ${"[".repeat(200)}1${"]".repeat(200)}`;
    expect(parse(text, "deep.cm").diagnostics).toEqual([]);
  });
});

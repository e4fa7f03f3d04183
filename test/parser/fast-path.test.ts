/**
 * The fast parse path (fast-parser.ts) against the chevrotain path: whenever the fast path accepts a
 * text, the chevrotain path reports nothing and builds the identical AST (same nodes, spans and key
 * order); and every valid program takes the fast path. With errors, `parse()` reads only the failing
 * top-level items the chevrotain way, and gives what chevrotain gives for the whole file.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FastReader, fastParse } from "../../src/compiler/parser/fast-parser.js";
import { parse, parseWithRecovery } from "../../src/compiler/parser/index.js";
import { corpus, mutation, pieces } from "./corpus.js";

/** Fails unless the two paths agree on `text`; returns whether the fast path took it. */
function agree(text: string): boolean {
  const fast = fastParse(text, "t.cm");
  const slow = parseWithRecovery(text, "t.cm");
  if (fast === undefined) return false;
  expect(slow.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.module));
  return true;
}

describe("the fast parse path", () => {
  it("builds the same AST as the chevrotain path for every .cm file in the repository", () => {
    expect(corpus.length).toBeGreaterThan(10);
    for (const { text } of corpus) agree(text);
  });

  it("agrees on every file after a leading blank line (a doc comment on line 2 once hung both paths)", () => {
    for (const { name, text } of corpus) {
      if (parseWithRecovery(text, "t.cm").diagnostics.length > 0) continue;
      for (const blank of ["\n", "\r\n", "\n\n"]) expect({ name, fast: agree(blank + text) }).toEqual({ name, fast: true });
    }
  });

  it("takes every file the chevrotain path parses without diagnostics", () => {
    for (const { name, text } of corpus) {
      const clean = parseWithRecovery(text, "t.cm").diagnostics.length === 0;
      expect({ name, fast: fastParse(text, "t.cm") !== undefined }).toEqual({ name, fast: clean });
    }
  });

  it("agrees with the chevrotain path on mutations of every file (a piece inserted, text deleted or duplicated)", () => {
    fc.assert(
      fc.property(mutation(pieces), (mutated) => {
        agree(mutated);
        const clean = parseWithRecovery(mutated, "t.cm").diagnostics.length === 0;
        expect(fastParse(mutated, "t.cm") !== undefined).toBe(clean);
      }),
      { numRuns: 600 },
    );
  });

  it("agrees on short random token soups", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (a) => {
        const text = `workflow w() {\n  let v = ${a.join("")}\n}\n`;
        agree(text);
        expect(fastParse(text, "t.cm") !== undefined).toBe(parseWithRecovery(text, "t.cm").diagnostics.length === 0);
      }),
      { numRuns: 1500 },
    );
  });
});

/** Fails unless `parse()` (fast path, with the failing items read by chevrotain) gives what chevrotain gives for the whole file. */
function sameAsWholeFile(text: string): void {
  const mixed = parse(text, "t.cm");
  const whole = parseWithRecovery(text, "t.cm");
  expect(mixed.diagnostics).toEqual(whole.diagnostics);
  expect(JSON.stringify(mixed.module)).toBe(JSON.stringify(whole.module));
}

const five = ["let a = 1", "workflow b() {\n  step s = sh(\"x\")\n}", "type C = { f: int }", "workflow d() {}", "/// doc\nlet e = 2"];

describe("a file with errors on the fast path", () => {
  it("keeps the items before a syntax error and hands chevrotain that item and the next", () => {
    const items = [...five];
    items[1] = "workflow b() {\n  step s = sh(\"x\"\n}";
    const text = items.join("\n") + "\n";
    const reader = new FastReader(text, "t.cm");
    const { decls, stop } = reader.read(0);
    expect(decls.map((d) => d.name.name)).toEqual(["a"]);
    expect(stop).toEqual({ itemStart: text.indexOf("workflow b"), resume: text.indexOf("workflow d") });
    const rest = reader.read(stop!.resume);
    expect(rest.stop).toBeUndefined();
    expect(rest.decls.map((d) => d.name.name)).toEqual(["d", "e"]);
    sameAsWholeFile(text);
  });

  it("stops at the item a lexical error is in, and goes on after the next one", () => {
    const items = [...five];
    items[2] = "type C = { f: int & }";
    const text = items.join("\n") + "\n";
    const reader = new FastReader(text, "t.cm");
    const { decls, stop } = reader.read(0);
    expect(decls.map((d) => d.name.name)).toEqual(["a", "b"]);
    expect(stop).toEqual({ itemStart: text.indexOf("type C"), resume: text.indexOf("let e") });
    // (parse() goes on from the doc comment above the resume point.)
    expect(reader.read(text.indexOf("/// doc")).decls.map((d) => [d.name.name, d.doc])).toEqual([["e", "doc"]]);
    sameAsWholeFile(text);
  });

  it("keeps a doc comment above where the fast path takes over again", () => {
    const items = [...five];
    items[2] = "type C = { f: int, }}";
    const text = items.join("\n") + "\n";
    const { module, diagnostics } = parse(text, "t.cm");
    expect(diagnostics.map((d) => d.code)).toEqual(["E0101"]);
    expect(module.decls.map((d) => [d.name.name, d.doc])).toEqual([["a", undefined], ["b", undefined], ["C", undefined], ["d", undefined], ["e", "doc"]]);
    sameAsWholeFile(text);
  });

  it("keeps the doc comment of an indented item with an error", () => {
    const text = "/// doc\n  let c = 1\n  step s = sh(c)\n";
    expect(parse(text, "t.cm").module.decls.map((d) => [d.name.name, d.doc])).toEqual([["c", "doc"]]);
    sameAsWholeFile(text);
  });

  it("reads an unterminated triple-quoted string or block comment to the end of the file", () => {
    for (const open of ['let z = """', "/*"]) {
      const items = [...five];
      items[1] = open;
      sameAsWholeFile(items.join("\n") + "\n");
    }
  });

  it("gives chevrotain's diagnostics and AST for the whole file on mutations of every file", () => {
    fc.assert(fc.property(mutation([...pieces, "workflow", "let", "export", "\nlet"]), sameAsWholeFile), { numRuns: 600 });
  });
});

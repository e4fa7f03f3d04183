/**
 * Parsing again after an edit (parser/incremental.ts) gives what parsing the new text gives: the
 * same AST, nodes, offsets and key order, and the same diagnostics, on edits of every file in the
 * repository and on typing in a generated 5,000-line program.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateProgram } from "../../bench/gen-program.js";
import { reparse } from "../../src/compiler/parser/incremental.js";
import { parse } from "../../src/compiler/parser/index.js";
import { corpus, edit, pieces } from "./corpus.js";

/** Fails unless reparsing gives what parsing gives; returns whether it kept a declaration of the old parse. */
function same(before: string, after: string): boolean {
  const old = parse(before, "t.cm");
  const again = reparse({ text: before, result: old }, after, "t.cm");
  const whole = parse(after, "t.cm");
  expect(JSON.stringify(again.module)).toBe(JSON.stringify(whole.module));
  expect(again.diagnostics).toEqual(whole.diagnostics);
  return again.module.decls.length > 0 && again.module.decls[0] === old.module.decls[0];
}

describe("parsing again after an edit", () => {
  it("gives what parsing the new text gives, on edits of every file of the repository", () => {
    let kept = 0;
    fc.assert(
      fc.property(edit(pieces), ({ before, after }) => {
        if (same(before, after)) kept++;
      }),
      { numRuns: 1500 },
    );
    // Most edits leave an error (the text is parsed whole) or hit a file of one or two declarations;
    // about 15 % of the clean ones keep the first declaration (31 of 221 when this was written).
    expect(kept).toBeGreaterThan(15);
  });

  it("gives the same on typing anywhere in a generated program (a piece inserted or a character deleted)", () => {
    const text = generateProgram(400);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), fc.constantFrom(...pieces, ""), (at, piece) => {
        same(text, piece === "" ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + piece + text.slice(at));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same on edits at declaration boundaries: doc comments, continuation lines, new items", () => {
    const text = 'let a = 1\n\n/// twice\nworkflow w() -> int {\n  return a\n}\n\nexport let b = "x"\n\nworkflow v() {\n  step s = sh("y")\n}\n';
    const at = (needle: string) => text.indexOf(needle);
    const edits = [
      [at("workflow w"), "/// new doc\n"],
      [at("\nexport let b"), "\n///"],
      [at("export let b"), "."],
      [at("export let b"), "  + 2\n"],
      [at("workflow v"), "workflow u() {}\n"],
      [at("/// twice"), "//"],
      [text.length, "\nlet c = a"],
      [at("return a") + "return a".length, " +"],
      [at("let a"), "import { x } from \"./y.cm\"\n"],
    ] as const;
    const kept = edits.map(([offset, piece]) => same(text, text.slice(0, offset) + piece + text.slice(offset)));
    expect(kept.filter(Boolean).length).toBeGreaterThan(3);
  });

  it("keeps the declarations an edit does not touch, moving those after it", () => {
    const before = generateProgram(5_000);
    const at = before.indexOf("rounds * 2 + ") + "rounds * 2 + ".length;
    const after = `${before.slice(0, at)}12${before.slice(at + 1)}`;
    const old = parse(before, "big.cm");
    const oldDecls = [...old.module.decls];
    const lastStart = oldDecls.at(-1)!.span.start;
    const again = reparse({ text: before, result: old }, after, "big.cm");
    const edited = again.module.decls.findIndex((d) => d.span.start <= at && at <= d.span.end);
    expect(edited).toBeGreaterThan(0);
    expect(again.module.decls[edited]).not.toBe(oldDecls[edited]);
    expect(again.module.decls[0]).toBe(oldDecls[0]);
    expect(again.module.decls.at(-1)).toBe(oldDecls.at(-1));
    expect(again.module.decls.at(-1)!.span.start).toBe(lastStart + 1);
    expect(JSON.stringify(again.module)).toBe(JSON.stringify(parse(after, "big.cm").module));
  });

  it("is parse itself without a text before, after errors, or for another file", () => {
    const text = corpus[0]!.text;
    expect(reparse(undefined, text, "t.cm")).toEqual(parse(text, "t.cm"));
    same("workflow w( {\n}\n", text);
    const other = reparse({ text, result: parse(text, "a.cm") }, `${text}\n`, "t.cm");
    expect(other.module.file).toBe("t.cm");
  });
});

/**
 * The fast parse path (fast-parser.ts) against the chevrotain path: whenever the fast path accepts a
 * text, the chevrotain path reports nothing and builds the identical AST (same nodes, spans and key
 * order); and every valid program takes the fast path.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastParse } from "../../src/compiler/parser/fast-parser.js";
import { parseWithRecovery } from "../../src/compiler/parser/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

function cmFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) cmFiles(p, out);
    else if (p.endsWith(".cm")) out.push(p);
  }
  return out;
}

const corpus = [...cmFiles(path.join(root, "test")), ...cmFiles(path.join(root, "examples")), ...cmFiles(path.join(root, "stdlib"))]
  .sort()
  .map((f) => ({ name: path.relative(root, f), text: readFileSync(f, "utf8") }));

/** Fails unless the two paths agree on `text`; returns whether the fast path took it. */
function agree(text: string): boolean {
  const fast = fastParse(text, "t.cm");
  const slow = parseWithRecovery(text, "t.cm");
  if (fast === undefined) return false;
  expect(slow.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.module));
  return true;
}

const pieces = [
  "{", "}", "(", ")", "[", "]", '"', '"""', "${", "}", "\\", "\n", ";", ",", ":", ".", "?.", "??", "|", "<", ">", "=", "->",
  "-", "!", "?", "step", "if", "else", "return", "x", "1", "2.5", "3m", "5x", "///", " ", '"a${b}"', "agent", "max",
  "\r\n", "\t", "é", "\u00a0", "/*", "*/", "//", "&&", "&", "\\n", "\\q", "${}", '"""\n  a\n  """',
];

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
    const sources = corpus.filter((c) => c.text.length < 20_000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sources.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(...pieces),
        fc.integer({ min: 1, max: 30 }),
        (which, where, op, piece, width) => {
          const text = sources[which]!.text;
          const at = Math.floor(where * text.length);
          const mutated =
            op === 0 ? text.slice(0, at) + piece + text.slice(at) : op === 1 ? text.slice(0, at) + text.slice(at + width) : text.slice(0, at) + text.slice(at, at + width) + text.slice(at);
          agree(mutated);
          const clean = parseWithRecovery(mutated, "t.cm").diagnostics.length === 0;
          expect(fastParse(mutated, "t.cm") !== undefined).toBe(clean);
        },
      ),
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

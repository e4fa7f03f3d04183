import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryHost } from "../../src/compiler/host.js";
import { compile } from "../../src/compiler/index.js";
import { irProgramSchema } from "../../src/compiler/ir/schema.js";
import { featureProgram, stdlib } from "./helpers.js";

const TOKENS = [
  "import", "from", "export", "as", "type", "workflow", "agent", "step", "let", "if", "else", "parallel", "for", "in",
  "repeat", "max", "until", "try", "catch", "fail", "escalate", "return", "true", "false", "none", "{", "}", "(", ")",
  "[", "]", "<", ">", ",", ":", ";", "\n", "=", "->", "?", "?.", "??", ".", "+", "-", "*", "/", "%", "!", "==", "&&",
  "||", "|", '"std/agents"', '"./x.cm"', '"a ${b} c"', '"""\n  x ${y}\n  """', "42", "3.5", "20m", "sh", "approve",
  "prev", "raw", "read", "claude", "codex", "x", "y", "plan", "list", "string", "int", "json", "Plan", "ask", "output:",
];

const root = fileURLToPath(new URL("../..", import.meta.url));

function cmFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) cmFiles(p, out);
    else if (p.endsWith(".cm")) out.push(p);
  }
  return out;
}

/** Every program in the repository (examples, standard library, test programs and fixtures). */
const corpus = ["examples", "stdlib", "test"]
  .flatMap((d) => cmFiles(path.join(root, d)))
  .sort()
  .map((f) => readFileSync(f, "utf8"))
  .filter((text) => text.length < 20_000);

function run(source: string): void {
  const host = memoryHost({ ...stdlib, "main.cm": source, "x.cm": source });
  const r = compile("main.cm", host);
  expect(Array.isArray(r.diagnostics)).toBe(true);
  for (const d of r.diagnostics) expect(typeof d.code).toBe("string");
  if (r.ir) irProgramSchema.parse(r.ir);
}

describe("compile never throws", () => {
  it("on random token soup", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), (tokens) => {
        run(tokens.join(" "));
      }),
      { numRuns: 300 },
    );
  });

  it("on mutations of a valid program (delete, duplicate, swap slices)", () => {
    const n = featureProgram.length;
    const slice = fc.tuple(fc.nat(n), fc.nat(200)).map(([a, len]) => [a, Math.min(n, a + len)] as const);
    const mutation = fc.oneof(
      slice.map(([a, b]) => (s: string) => s.slice(0, a) + s.slice(b)),
      slice.map(([a, b]) => (s: string) => s.slice(0, b) + s.slice(a, b) + s.slice(b)),
      fc.tuple(slice, slice).map(([[a, b], [c, d]]) => (s: string) => {
        if (b > c) return s;
        return s.slice(0, a) + s.slice(c, d) + s.slice(b, c) + s.slice(a, b) + s.slice(d);
      }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        run(ms.reduce((s, m) => m(s), featureProgram));
      }),
      { numRuns: 300 },
    );
  });

  it("on mutations of every program in the repository (a token inserted, text deleted or duplicated)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: corpus.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(...TOKENS, "!=", "none", "&&", "||", "list<string>", "?"),
        fc.integer({ min: 1, max: 30 }),
        (which, where, op, token, width) => {
          const text = corpus[which]!;
          const at = Math.floor(where * text.length);
          run(
            op === 0
              ? `${text.slice(0, at)} ${token} ${text.slice(at)}`
              : op === 1
                ? text.slice(0, at) + text.slice(at + width)
                : text.slice(0, at) + text.slice(at, at + width) + text.slice(at),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it("on random text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        run(s);
      }),
      { numRuns: 200 },
    );
  });
});

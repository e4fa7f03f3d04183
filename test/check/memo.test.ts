/**
 * Checking a module again with a CheckMemo (check/memo.ts) gives the module the diagnostics that
 * checking it whole gives, after edits of every file in the repository and after chains of edits of
 * a generated program that imports another module; and it does not check again what an edit did
 * not touch.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateProgram } from "../../bench/gen-program.js";
import { CheckMemo } from "../../src/compiler/check/index.js";
import type { Diagnostic } from "../../src/compiler/diagnostics.js";
import { memoryHost } from "../../src/compiler/host.js";
import { checkWith, diagnose } from "../../src/compiler/index.js";
import { reparse, type Parsed } from "../../src/compiler/parser/incremental.js";
import { edit, pieces } from "../parser/corpus.js";
import { stdlib } from "./helpers.js";

const lib = 'export type Plan = { summary: string, steps: list<string> }\nexport workflow build(name: string) -> string { return name }\nexport let model = "opus"\n';

const show = (ds: readonly Diagnostic[]) => ds.filter((d) => d.file === "main.cm").map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message} | ${d.label ?? ""} | ${d.help ?? ""}`);

/** A recorder that counts the expressions the checker types. */
function counter() {
  const c = { typed: 0, exprType: () => void c.typed++, link() {}, field() {}, local() {}, recordOrigin() {}, visible() {} };
  return c;
}

/**
 * Checks `texts` one after another with one memo (and parses reused as the language server does),
 * each against a whole check; returns how many expressions the memo's checks typed, and a whole check's.
 */
function chain(texts: readonly string[], extra: Record<string, string> = {}): { again: number; whole: number } {
  const memo = new CheckMemo();
  let last: Parsed | undefined;
  const typed = { again: 0, whole: 0 };
  for (const text of texts) {
    const parse = (t: string, file: string) => {
      if (file !== "main.cm") return reparse(undefined, t, file);
      const result = reparse(last, t, file);
      last = { text: t, result };
      return result;
    };
    const again = counter();
    const diagnostics = diagnose("main.cm", memoryHost({ ...stdlib, ...extra, "main.cm": text }), memo, { parse, recorder: again }).diagnostics;
    const all = counter();
    const expected = show(checkWith("main.cm", memoryHost({ ...stdlib, ...extra, "main.cm": text }), { onlyModule: "main.cm", recorder: all }).diagnostics);
    expect(show(diagnostics)).toEqual(expected);
    if (text !== texts[0]) {
      typed.again += again.typed;
      typed.whole += all.typed;
    }
  }
  return typed;
}

describe("checking again with a memo", () => {
  it("gives what a whole check gives after an edit of any file of the repository", () => {
    fc.assert(
      fc.property(edit(pieces), ({ before, after }) => void chain([before, after])),
      { numRuns: 400 },
    );
  });

  it("gives what a whole check gives along chains of edits of a program that imports another", () => {
    const base = `import { Plan, build, model } from "./lib.cm"\n\n${generateProgram(300)}\nworkflow extra(p: Plan) -> string {\n  step b = build(name: p.summary)\n  step s = sh("echo \${model} \${b}")\n  return s.stdout\n}\n`;
    const snippets = [...pieces, "", 'step z = sh("x")\n', "let q = rounds\n", "return 1\n", "build(name: 1)", "p.nothing", "extra(p: p)", "model", "\n\n"];
    const typed = { again: 0, whole: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...snippets), fc.integer({ min: 0, max: 8 })), { minLength: 1, maxLength: 6 }),
        (edits) => {
          const texts = [base];
          for (const [where, piece, cut] of edits) {
            const text = texts.at(-1)!;
            const at = Math.floor(where * text.length);
            texts.push(text.slice(0, at) + piece + text.slice(at + cut));
          }
          const { again, whole } = chain(texts, { "lib.cm": lib });
          typed.again += again;
          typed.whole += whole;
        },
      ),
      { numRuns: 150 },
    );
    // Most edits here break the syntax (the module is then checked whole); the others reuse.
    expect(typed.again).toBeLessThan(typed.whole * 0.9);
  });

  it("keeps what reused workflows find: line numbers in messages, recursion, uses, lazily checked headers", () => {
    const program = [
      "let only = 3",
      "",
      "workflow edited() {",
      '  step a = sh("x")',
      "}",
      "",
      "workflow later() {",
      '  step b = sh("echo ${c.stdout}")',
      '  step c = sh("echo ${only}")',
      "}",
      "",
      "workflow ping(n: int) {",
      "  step p = pong(n: n)",
      "}",
      "",
      "workflow pong(n: int) {",
      "  step q = ping(n: n)",
      "}",
      "",
      "workflow caller() {",
      "  step r = badHeader(x: 1)",
      "}",
      "",
      "workflow badHeader(x: nosuchtype) {",
      '  step s = sh("y")',
      "}",
      "",
    ].join("\n");
    const at = program.indexOf('  step a = sh("x")');
    const texts = [
      program,
      `${program.slice(0, at)}\n\n${program.slice(at)}`,
      `${program.slice(0, at)}  step extra = sh("z")\n${program.slice(at)}`,
      `${program.slice(0, at)}  step a2 = sh("\${only}")\n${program.slice(at)}`,
      program,
      program.replace("badHeader(x: 1)", "badHeader(x: 2)"),
    ];
    const { again, whole } = chain(texts);
    expect(again).toBeLessThan(whole);
    const codes = (text: string) => show(checkWith("main.cm", memoryHost({ ...stdlib, "main.cm": text }), { onlyModule: "main.cm" }).diagnostics).map((d) => d.slice(0, 5));
    expect(codes(program)).toEqual(["E0206", "E0403", "W0201", "E0208"]);
  });

  it("checks again only the workflow an edit touched", () => {
    const text = generateProgram(2_000);
    const at = text.indexOf("rounds * 2 + ") + "rounds * 2 + ".length;
    const edited = `${text.slice(0, at)}"x"${text.slice(at + 1)}`;
    const line = text.lastIndexOf("\n", at) + 1;
    const inserted = `${text.slice(0, line)}  step late = sh("echo \${rounds.nope}")\n${text.slice(line)}`;
    const { again, whole } = chain([text, edited, text, inserted, text]);
    expect(whole).toBeGreaterThan(5_000);
    // The edited workflow is about a 25th of the program.
    expect(again).toBeLessThan(whole / 8);
  });
});

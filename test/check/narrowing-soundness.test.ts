/**
 * Narrowing is sound: wherever the checker accepts a read of an optional value as present (`s.ok`,
 * `${s.stdout}`, `${a}`), no run reads it while it is none. Random programs over a step `s` that
 * exists only when `c` holds and a parameter `a: string?` are checked, then executed by a small
 * interpreter of the same programs for every `c` and `a`: every line where a run reads a value that
 * is none must carry an error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSource } from "./helpers.js";

type Cond =
  | { k: "atom"; text: string; needsS?: true; value: (env: Env) => boolean }
  | { k: "not"; c: Cond }
  | { k: "and" | "or"; l: Cond; r: Cond };
type Stmt = { k: "if"; c: Cond; then: Stmt[]; otherwise?: Stmt[] } | { k: "use"; what: "s" | "a" } | { k: "fail" };
interface Env {
  readonly s: boolean;
  readonly a: boolean;
}

const ATOMS: Cond[] = [
  { k: "atom", text: "s != none", value: (e) => e.s },
  { k: "atom", text: "none != s", value: (e) => e.s },
  { k: "atom", text: "s == none", value: (e) => !e.s },
  { k: "atom", text: "a != none", value: (e) => e.a },
  { k: "atom", text: "a == none", value: (e) => !e.a },
  { k: "atom", text: 'a == "v"', value: (e) => e.a },
  { k: "atom", text: "c", value: (e) => e.s },
  { k: "atom", text: "s.ok", needsS: true, value: () => true },
];

const cond: fc.Memo<Cond> = fc.memo((depth) =>
  depth <= 1
    ? fc.constantFrom(...ATOMS)
    : fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...ATOMS) },
        { weight: 1, arbitrary: cond(depth - 1).map((c): Cond => ({ k: "not", c })) },
        { weight: 2, arbitrary: fc.tuple(fc.constantFrom("and" as const, "or" as const), cond(depth - 1), cond(depth - 1)).map(([k, l, r]): Cond => ({ k, l, r })) },
      ),
);

const stmts: fc.Memo<Stmt[]> = fc.memo((depth) => {
  const leaf = fc.oneof(fc.constantFrom<Stmt>({ k: "use", what: "s" }, { k: "use", what: "a" }), fc.constant<Stmt>({ k: "fail" }));
  const stmt =
    depth <= 1
      ? leaf
      : fc.oneof(
          { weight: 1, arbitrary: leaf },
          { weight: 4, arbitrary: fc.record({ k: fc.constant("if" as const), c: cond(3), then: stmts(depth - 1), otherwise: fc.option(stmts(depth - 1), { nil: undefined }) }).map((s): Stmt => (s.otherwise ? s : { k: "if", c: s.c, then: s.then })) },
        );
  return fc.array(stmt, { minLength: 1, maxLength: 3 });
});

function condText(c: Cond): string {
  switch (c.k) {
    case "atom":
      return c.text;
    case "not":
      return `!(${condText(c.c)})`;
    default:
      return `(${condText(c.l)} ${c.k === "and" ? "&&" : "||"} ${condText(c.r)})`;
  }
}

/**
 * The program's text, and the line (1-based) of each statement by its path (`0`, `0.then.1`, …):
 * generated statements may be one shared object in several places.
 */
function program(body: Stmt[]): { text: string; lineOf: Map<string, number> } {
  let n = 0;
  const out = ["workflow main(a: string?, c: bool) {", '  if c { step s = sh("echo s") }'];
  const lineOf = new Map<string, number>();
  const emit = (list: Stmt[], indent: string, path: string): void => {
    for (const [i, s] of list.entries()) {
      lineOf.set(`${path}${i}`, out.length + 1);
      switch (s.k) {
        case "use":
          out.push(`${indent}step t${n++} = sh("echo \${${s.what === "s" ? "s.stdout" : "a"}}")`);
          break;
        case "fail":
          out.push(`${indent}fail("stop")`);
          break;
        case "if":
          out.push(`${indent}if ${condText(s.c)} {`);
          emit(s.then, `${indent}  `, `${path}${i}.then.`);
          if (s.otherwise) {
            out.push(`${indent}} else {`);
            emit(s.otherwise, `${indent}  `, `${path}${i}.else.`);
          }
          out.push(`${indent}}`);
      }
    }
  };
  emit(body, "  ", "");
  out.push("}", "");
  return { text: out.join("\n"), lineOf };
}

class Stop {}

/** Runs the program for `env`; returns the lines where it reads a value that is none. */
function absentReads(body: Stmt[], env: Env, lineOf: Map<string, number>): Set<number> {
  const lines = new Set<number>();
  const evalCond = (c: Cond, line: number): boolean => {
    switch (c.k) {
      case "atom":
        if (c.needsS && !env.s) lines.add(line);
        return c.value(env);
      case "not":
        return !evalCond(c.c, line);
      case "and":
        return evalCond(c.l, line) && evalCond(c.r, line);
      case "or":
        return evalCond(c.l, line) || evalCond(c.r, line);
    }
  };
  const exec = (list: Stmt[], path: string): void => {
    for (const [i, s] of list.entries()) {
      const line = lineOf.get(`${path}${i}`)!;
      if (s.k === "fail") throw new Stop();
      if (s.k === "use") {
        if (!(s.what === "s" ? env.s : env.a)) lines.add(line);
      } else if (evalCond(s.c, line)) exec(s.then, `${path}${i}.then.`);
      else if (s.otherwise) exec(s.otherwise, `${path}${i}.else.`);
    }
  };
  try {
    exec(body, "");
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return lines;
}

describe("narrowing", () => {
  it("never lets a read of a value that is none pass the checker", () => {
    let guardedReads = 0;
    fc.assert(
      fc.property(stmts(3), (body) => {
        const { text, lineOf } = program(body);
        const errorLines = new Set(
          compileSource(text)
            .diagnostics.filter((d) => d.severity === "error")
            .map((d) => text.slice(0, d.span.start).split("\n").length),
        );
        for (const env of [{ s: false, a: false }, { s: false, a: true }, { s: true, a: false }, { s: true, a: true }]) {
          const unflagged = [...absentReads(body, env, lineOf)].filter((line) => !errorLines.has(line));
          expect({ text, env, unflagged }).toEqual({ text, env, unflagged: [] });
        }
        // Reads the checker accepted: what the property is about.
        for (const line of lineOf.values()) if (/step t\d+ = /.test(text.split("\n")[line - 1]!) && !errorLines.has(line)) guardedReads++;
      }),
      { numRuns: 500 },
    );
    expect(guardedReads).toBeGreaterThan(200);
  });
});

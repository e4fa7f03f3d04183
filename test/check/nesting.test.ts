/** The nesting limits that keep a checked program storable and runnable: E0410 for blocks, E0330 for expressions. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_BLOCK_DEPTH } from "../../src/compiler/check/nesting.js";
import { runCli } from "../helpers/cli.js";
import { first, wfCodes } from "./helpers.js";

/** `depth` blocks around one step, taking turns through every kind of block. */
function nestedBlocks(depth: number): string {
  let body = 'step s = sh("true")';
  for (let i = 0; i < depth; i++) {
    const wrap = [
      (b: string) => `parallel {\n${b}\n}`,
      (b: string) => `for x${i} in [1] parallel 2 {\n${b}\n}`,
      (b: string) => `repeat max 2 {\n${b}\n} until true`,
      (b: string) => `try {\n${b}\n} catch e${i} {\n  step q${i} = sh("true")\n}`,
      (b: string) => `if true {\n${b}\n} else {\n  step r${i} = sh("true")\n}`,
    ][i % 5]!;
    body = wrap(body);
  }
  return body;
}

describe("nesting limits", () => {
  it(`accepts blocks nested ${MAX_BLOCK_DEPTH} deep and refuses one more with E0410 at the block too deep`, () => {
    const errors = (body: string) => wfCodes(body).filter((code) => code.startsWith("E"));
    expect(errors(nestedBlocks(MAX_BLOCK_DEPTH))).toEqual([]);
    expect(errors(nestedBlocks(MAX_BLOCK_DEPTH + 1))).toEqual(["E0410"]);
    const d = first(`workflow main() {\n${"parallel {\n".repeat(350)}step s = sh("true")\n${"}\n".repeat(350)}}\n`);
    expect(d).toMatchObject({ code: "E0410", message: `blocks nest more than ${MAX_BLOCK_DEPTH} deep here` });
    // The outermost block past the limit: line 1 is `workflow`, then one `parallel {` per line.
    expect(d?.span.start).toBe("workflow main() {\n".length + "parallel {\n".length * MAX_BLOCK_DEPTH);
  });

  it("does not count an else-if chain as nesting", () => {
    const chain = Array.from({ length: 400 }, (_, i) => `if n == ${i} { step s${i} = sh("true") }`).join(" else ");
    expect(wfCodes(chain, "n: int")).toEqual([]);
  });

  it("refuses list and record literals nested deeper than 256 (E0330), which could not be stored", () => {
    const listCodes = (depth: number) => wfCodes(`let v = ${"[".repeat(depth)}1${"]".repeat(depth)}\nreturn v`, "", "json");
    const recordCodes = (depth: number) => wfCodes(`let v = ${"{a: ".repeat(depth)}1${"}".repeat(depth)}\nreturn v`, "", "json");
    expect(listCodes(250)).toEqual([]);
    expect(recordCodes(250)).toEqual([]);
    expect(listCodes(1000)).toEqual(["E0330"]);
    expect(recordCodes(1000)).toEqual(["E0330"]);
    // Checked against a declared type, literals go through another path: the same limit holds.
    expect(wfCodes(`return ${"[".repeat(1000)}1${"]".repeat(1000)}`, "", "list<json>")).toEqual(["E0330"]);
  });

  it("makes cmc run refuse what cmc check refuses, and run what it passes, leaving no run behind", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cmc-nest-"));
    try {
      writeFileSync(path.join(dir, "deep.cm"), `workflow main() {\n${nestedBlocks(350)}\n}\n`);
      writeFileSync(path.join(dir, "ok.cm"), `workflow main() {\n${nestedBlocks(MAX_BLOCK_DEPTH)}\n}\n`);
      const check = await runCli(["check", "deep.cm"], { cwd: dir });
      expect(check.code).toBe(1);
      expect(check.stdout + check.stderr).toContain("E0410");
      const run = await runCli(["run", "deep.cm"], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("E0410");
      expect(run.stderr).not.toContain("internal error");
      expect((await runCli(["runs"], { cwd: dir })).stdout).toBe("no runs yet\n");
      const ok = await runCli(["run", "ok.cm"], { cwd: dir });
      expect(ok.code, ok.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

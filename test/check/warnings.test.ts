import { describe, expect, it } from "vitest";
import { codes, diags, first, wfCodes, wfDiags } from "./helpers.js";

describe("warnings", () => {
  it("an unused let is W0201", () => {
    expect(wfDiags("let x = 1")).toEqual(["W0201 unused let `x`"]);
  });

  it("an unused agent in a body is W0201", () => {
    expect(wfDiags("agent b = claude()")).toEqual(["W0201 unused agent `b`"]);
  });

  it("an unused parameter is W0201", () => {
    expect(wfDiags("", "name: string")).toEqual(["W0201 unused parameter `name`"]);
  });

  it("names starting with _ are never unused", () => {
    expect(wfCodes("let _x = 1", "_p: int")).toEqual([]);
  });

  it("an unused top-level let that is not exported is W0201", () => {
    expect(codes("let x = 1\n")).toEqual(["W0201"]);
  });

  it("an exported top-level let is never unused", () => {
    expect(codes("export let x = 1\n")).toEqual([]);
  });

  it("an unused warning says how to keep the name", () => {
    expect(first("let model = 1\n")?.help).toBe("remove it, or name it `_model` to keep it");
  });

  it("a statement after return is W0401", () => {
    expect(wfDiags('return 1\nstep s = sh("x")', "", "int")).toEqual(["W0401 unreachable statement"]);
  });

  it("a statement after fail is W0401, reported once", () => {
    expect(wfCodes('fail("x")\nstep s = sh("x")\nstep t = sh("y")')).toEqual(["W0401"]);
  });

  it("a statement after an if/else that returns in every arm is W0401", () => {
    expect(wfCodes('if c { return 1 } else { fail("no") }\nreturn 3', "c: bool", "int")).toEqual(["W0401"]);
  });

  it("an until condition that reads nothing from the body is W0402", () => {
    expect(wfDiags('repeat max 3 { step s = sh("x") } until done', "done: bool")).toEqual([
      "W0402 this loop can only exhaust or stop after its first round",
    ]);
  });

  it("an until condition reading a nested body step is fine", () => {
    expect(wfCodes('repeat max 3 {\n  if true { step s = sh("x") }\n} until s?.ok ?? false')).toEqual([]);
  });

  it("warnings alone still lower to IR", () => {
    expect(diags("let x = 1\nexport workflow main() { }\n")).toEqual(["W0201 unused let `x`"]);
  });
});

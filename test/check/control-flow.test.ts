import { describe, expect, it } from "vitest";
import { codes, diags, first, wfCodes, wfDiags } from "./helpers.js";

describe("control flow", () => {
  it("repeat max takes an int literal of at least 1", () => {
    expect(wfCodes('repeat max 0 { step s = sh("x") } until s.ok')).toEqual(["E0402"]);
  });

  it("repeat max takes an int parameter", () => {
    expect(wfCodes('repeat max n { step s = sh("x") } until s.ok', "n: int")).toEqual([]);
  });

  it("repeat max does not take a computed value (E0402)", () => {
    expect(wfCodes('repeat max n + 1 { step s = sh("x") } until s.ok', "n: int")).toEqual(["E0402"]);
  });

  it("repeat max does not take a float (E0402)", () => {
    expect(wfCodes('repeat max 2.5 { step s = sh("x") } until s.ok')).toEqual(["E0402"]);
  });

  it("a workflow calling itself is E0403 at the call", () => {
    const d = first("export workflow main() {\n  step again = main()\n}\n");
    expect(d?.code).toBe("E0403");
    expect(d?.message).toBe("workflows cannot call themselves: `main` → `main`");
  });

  it("indirect recursion is E0403 naming the cycle", () => {
    const src = "workflow a() { step x = b() }\nworkflow b() { step y = a() }\nexport workflow main() { step z = a() }\n";
    expect(diags(src)).toEqual(["E0403 workflows cannot call themselves: `a` → `b` → `a`"]);
  });

  it("a return value is checked against the declared type (E0304)", () => {
    expect(wfDiags('return "x"', "", "int")).toEqual(['E0304 expected `int`, found `string`']);
  });

  it("a reachable end without return is E0404", () => {
    expect(wfCodes('step s = sh("x")', "", "int")).toEqual(["E0404"]);
  });

  it("a workflow ending in if/else that returns in both arms needs no final return", () => {
    expect(wfCodes("if c { return 1 } else { return 2 }", "c: bool", "int")).toEqual([]);
  });

  it("a workflow ending in fail needs no return", () => {
    expect(wfCodes('fail("never")', "", "int")).toEqual([]);
  });

  it("returning a value without a declared type is E0305", () => {
    expect(wfCodes("return 1")).toEqual(["E0305"]);
  });

  it("return without a value in a workflow with a type is E0405", () => {
    expect(wfCodes("return", "", "int")).toEqual(["E0405"]);
  });

  it("an if condition must be a bool", () => {
    expect(wfDiags('if 1 { step s = sh("x") }')).toEqual(["E0304 expected `bool`, found `int`"]);
  });

  it("an until condition must be a bool", () => {
    expect(wfCodes('repeat max 2 { step s = sh("x") } until s.code')).toEqual(["E0304"]);
  });

  it("a parallel limit must be an int", () => {
    expect(wfCodes('parallel "2" {\n  step s = sh("x")\n}')).toEqual(["E0304"]);
  });

  it("a for parallel limit must be an int", () => {
    expect(wfCodes('for x in xs parallel 2s { step s = sh("${x}") }', "xs: list<string>")).toEqual(["E0304"]);
  });

  it("fail and escalate take a message string", () => {
    expect(wfCodes("escalate(1)")).toEqual(["E0304"]);
  });

  it("a program with errors is not lowered", () => {
    expect(codes("export workflow main() -> int { }\n")).toEqual(["E0404"]);
  });
});

import { describe, expect, it } from "vitest";
import { codes, diags, first, wfCodes, wfDiags } from "./helpers.js";

describe("types", () => {
  it("an unknown type is E0208 with a suggestion", () => {
    const d = first("type Plan = { a: strng }\n");
    expect(d?.message).toBe("unknown type `strng`");
    expect(d?.help).toBe("did you mean `string`?");
  });

  it("a type alias that refers to itself is E0316", () => {
    expect(codes("type A = list<A>\n")).toEqual(["E0316"]);
  });

  it("list takes exactly one type argument", () => {
    expect(codes("type A = list\n")).toEqual(["E0324"]);
  });

  it("a union of non-literal types is E0325", () => {
    expect(codes("type A = string | int\n")).toEqual(["E0325"]);
  });

  it("an int is accepted where a float is expected", () => {
    expect(wfCodes("return 1", "", "float")).toEqual([]);
  });

  it("a float is not accepted where an int is expected", () => {
    expect(wfDiags("return 1.5", "", "int")).toEqual(["E0304 expected `int`, found `float`"]);
  });

  it("a string is accepted where a path is expected", () => {
    expect(wfCodes('let t = read("docs/x.md")\nreturn t', "", "string")).toEqual([]);
  });

  it("a string literal is accepted where a literal union member is expected", () => {
    expect(wfCodes('return "low"', "", '"low" | "high"')).toEqual([]);
  });

  it("a string outside a literal union is E0308 listing the allowed values", () => {
    const d = first(`import { codex } from "std/agents"\nexport agent c = codex(effort: "max")\n`);
    expect(d?.code).toBe("E0308");
    expect(d?.help).toBe('expected one of "minimal", "low", "medium", "high", "xhigh"');
  });

  it("a value is accepted where its optional is expected", () => {
    expect(wfCodes("return 3", "", "int?")).toEqual([]);
  });

  it("none is accepted where an optional is expected", () => {
    expect(wfCodes("return none", "", "int?")).toEqual([]);
  });

  it("an optional is not accepted where its value is expected, with a ?? hint", () => {
    const d = first(`export workflow main(x: int?) -> int {\n  return x\n}\n`);
    expect(d?.message).toBe("expected `int`, found `int?`");
    expect(d?.help).toBe("give a default with `??`");
  });

  it("a record literal with a missing field is E0320", () => {
    expect(wfDiags("return { a: 1 }", "", "{ a: int, b: string }")).toEqual(["E0320 missing field `b` for `{ a: int, b: string }`"]);
  });

  it("a record literal with an extra field is E0319", () => {
    expect(wfDiags("return { a: 1, c: 2 }", "", "{ a: int }")).toEqual(["E0319 unexpected field `c` for `{ a: int }`"]);
  });

  it("a record literal may leave out optional fields", () => {
    expect(wfCodes("return { a: 1 }", "", "{ a: int, b: string? }")).toEqual([]);
  });

  it("records are structural: a wider record value fits a narrower type", () => {
    expect(wfCodes('step s = sh("x")\nreturn s', "", "{ ok: bool, code: int }")).toEqual([]);
  });

  it("lists are covariant", () => {
    expect(wfCodes("return [1, 2]", "", "list<float>")).toEqual([]);
  });

  it("list items of unrelated types are E0304", () => {
    expect(wfCodes('let x = [1, "a"]\nreturn x', "", "json")).toEqual(["E0304"]);
  });

  it("json accepts anything and any field of json is json", () => {
    expect(wfCodes("return x.a.b[0].c", "x: json", "{ n: int }")).toEqual([]);
  });

  it("agent is a type", () => {
    expect(wfCodes('step r = x.ask("hi")', "x: agent")).toEqual([]);
  });

  it("Shell, Decision and Failure are type names", () => {
    expect(codes("type A = { s: Shell, d: Decision, f: Failure, r: Reply<int> }\n")).toEqual([]);
  });

  it("an error type does not cascade into more errors", () => {
    expect(wfCodes("let x = nope\nlet y = x.a.b + 1\nreturn y", "", "int")).toEqual(["E0207"]);
  });

  it("a parameter default must match the parameter type", () => {
    expect(codes('export workflow main(n: int = "x") { return }\n')).toEqual(["W0201", "E0304"]);
  });
});

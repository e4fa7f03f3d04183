import { describe, expect, it } from "vitest";
import { compileSource, first, wfCodes, wfDiags } from "./helpers.js";

describe("expressions", () => {
  it("+ adds ints to an int", () => {
    expect(wfCodes("return 1 + 2", "", "int")).toEqual([]);
  });

  it("+ on an int and a float gives a float", () => {
    expect(wfDiags("return 1 + 2.5", "", "int")).toEqual(["E0304 expected `int`, found `float`"]);
  });

  it("+ joins strings", () => {
    expect(wfCodes('return "a" + x', "x: string", "string")).toEqual([]);
  });

  it("+ adds durations", () => {
    expect(wfCodes("return 1m + 30s", "", "duration")).toEqual([]);
  });

  it("+ on an int and a string is E0313", () => {
    expect(wfDiags('return 1 + "a"', "", "string")).toEqual(["E0313 cannot apply `+` to `int` and `string`"]);
  });

  it("* scales a duration by an int", () => {
    expect(wfCodes("return 2s * n", "n: int", "duration")).toEqual([]);
  });

  it("- on bools is E0313", () => {
    expect(wfCodes("return true - false", "", "int")).toEqual(["E0313"]);
  });

  it("comparisons work on numbers, durations and strings and give a bool", () => {
    expect(wfCodes('return 1 < 2.5 && 1m >= 30s && "a" <= "b"', "", "bool")).toEqual([]);
  });

  it("comparing a duration with an int is E0313", () => {
    expect(wfCodes("return 1m < 3", "", "bool")).toEqual(["E0313"]);
  });

  it("== on different types is E0313", () => {
    expect(wfCodes('return 1 == "1"', "", "bool")).toEqual(["E0313"]);
  });

  it("== compares an optional with none", () => {
    expect(wfCodes("return x == none", "x: int?", "bool")).toEqual([]);
  });

  it("! needs a bool", () => {
    expect(wfCodes("return !1", "", "bool")).toEqual(["E0313"]);
  });

  it("&& needs bools", () => {
    expect(wfCodes("return true && 1", "", "bool")).toEqual(["E0313"]);
  });

  it("?? on an optional gives the value type", () => {
    expect(wfCodes("return x ?? 0", "x: int?", "int")).toEqual([]);
  });

  it("a field of an optional needs ?. or ?? (E0302)", () => {
    const d = first('export workflow main(x: { a: int }?) -> int {\n  return x.a\n}\n');
    expect(d?.code).toBe("E0302");
    expect(d?.message).toBe("cannot read `a` of `x`, which may be none");
    expect(d?.help).toBe('guard it with `if x != none { … }` (or stop first: `if x == none { fail("…") }`), or write `x?.a ?? …`');
  });

  it("comparing a literal union with a literal outside it is E0335, either way round, optional too", () => {
    expect(wfDiags('return v == "shipp"', 'v: "ship" | "fix"', "bool")).toEqual(['E0335 this comparison is always false: "shipp" is not one of "ship", "fix"']);
    expect(wfCodes('return "x" != v', 'v: ("ship" | "fix")?', "bool")).toEqual(["E0335"]);
    // Members, plain strings, json and interpolated text can all be equal.
    expect(wfCodes('return v == "fix" || s == "shipp" || j == "shipp" || v == "${s}"', 'v: "ship" | "fix", s: string, j: json', "bool")).toEqual([]);
  });

  it("a field of an optional that is not a name says so without naming a guard (only names narrow)", () => {
    const d = first("export workflow main(r: { x: { a: int }? }) -> int {\n  return r.x.a\n}\n");
    expect(d?.message).toBe("cannot read `a` of an optional value");
    expect(d?.help).toBe("use `?.` or `??`");
  });

  it("?. on an optional gives an optional field", () => {
    expect(wfDiags("return x?.a", "x: { a: int }?", "int")).toEqual(["E0304 expected `int`, found `int?`"]);
  });

  it("?. with ?? gives the field type", () => {
    expect(wfCodes("return x?.a ?? 0", "x: { a: int }?", "int")).toEqual([]);
  });

  it("an unknown field is E0306 with a suggestion", () => {
    const d = first('export workflow main() -> bool {\n  step t = sh("x")\n  return t.okk\n}\n');
    expect(d?.message).toBe("no field `okk` on `Shell`");
    expect(d?.help).toBe("did you mean `ok`?");
  });

  it("indexing a list with an int gives the item type", () => {
    expect(wfCodes("return xs[0]", "xs: list<string>", "string")).toEqual([]);
  });

  it("indexing a list with a string is E0304", () => {
    expect(wfCodes('return xs["a"]', "xs: list<string>", "string")).toEqual(["E0304"]);
  });

  it("indexing a string is E0317", () => {
    expect(wfCodes("return s[0]", "s: string", "string")).toEqual(["E0317"]);
  });

  it("an unknown name is E0207 with a suggestion", () => {
    const d = compileSource("export workflow main(count: int) -> int {\n  return cout\n}\n").diagnostics.find((x) => x.code === "E0207");
    expect(d?.message).toBe("unknown name `cout`");
    expect(d?.help).toBe("did you mean `count`?");
  });

  it("a workflow used as a value is E0209", () => {
    expect(wfCodes("let x = main\nreturn x", "", "json")).toEqual(["E0209"]);
  });

  it("calling a value is E0314", () => {
    expect(wfCodes("return n(1)", "n: int", "int")).toEqual(["E0314"]);
  });

  it("built-in functions have their signatures", () => {
    const body =
      'let t = read("a")\nlet e = exists("a")\nlet g = glob("*.ts")\nlet j = join(lines(t), ",")\nlet h = head(t, 3) + tail(t, 2) + trim(t)\nlet n = len(g) + len(t)\nlet c = contains(t, "x") && contains(lines(t), "y") && e\nlet s = tojson({ a: 1 })\nlet v = json(s)\nlet w = env("HOME") ?? ""\nreturn "${j}${h}${n}${c}${v}${w}"';
    expect(wfDiags(body, "", "string")).toEqual([]);
  });

  it("a built-in given a wrong argument type is E0304", () => {
    expect(wfCodes('return head("abc", "2")', "", "string")).toEqual(["E0304"]);
  });

  it("a built-in given too many arguments is E0315", () => {
    expect(wfCodes('return trim("a", "b")', "", "string")).toEqual(["E0315"]);
  });

  it("a built-in missing an argument is E0309", () => {
    expect(wfCodes('return join(["a"])', "", "string")).toEqual(["E0309"]);
  });

  it("env returns an optional string", () => {
    expect(wfDiags('return env("HOME")', "", "string")).toEqual(["E0304 expected `string`, found `string?`"]);
  });

  it("len of a number is E0304", () => {
    expect(wfCodes("return len(3)", "", "int")).toEqual(["E0304"]);
  });

  it("contains checks the item against the list's item type", () => {
    expect(wfCodes("return contains([1, 2], \"a\")", "", "bool")).toEqual(["E0304"]);
  });

  it("raw outside an sh command interpolation is E0312", () => {
    expect(wfCodes('return raw("x")', "", "string")).toEqual(["E0312"]);
  });

  it("raw inside an sh command interpolation is allowed", () => {
    expect(wfCodes('step s = sh("ls ${raw(flags)}")', "flags: string")).toEqual([]);
  });

  it("raw inside a non-command sh argument is E0312", () => {
    expect(wfCodes('step s = sh("cat", stdin: "${raw(x)}")', "x: string")).toEqual(["E0312"]);
  });

  it("interpolation accepts strings, numbers, bools, durations and paths", () => {
    expect(wfCodes('return "${s} ${i} ${f} ${b} ${d} ${p}"', "s: string, i: int, f: float, b: bool, d: duration, p: path", "string")).toEqual([]);
  });

  it("interpolating a list is E0303 with a join hint", () => {
    const d = first('export workflow main(xs: list<string>) -> string {\n  return "${xs}"\n}\n');
    expect(d?.code).toBe("E0303");
    expect(d?.help).toContain("join");
  });

  it("interpolating a record is E0303 with a tojson hint", () => {
    expect(first('export workflow main(r: { a: int }) -> string {\n  return "${r}"\n}\n')?.help).toContain("tojson");
  });

  it("interpolating an optional is E0303 with a ?? hint", () => {
    expect(first('export workflow main(r: string?) -> string {\n  return "${r}"\n}\n')?.help).toContain("??");
  });

  it("a bare expression statement is E0318", () => {
    expect(wfCodes("1 + 2")).toEqual(["E0318"]);
  });
});

describe("unknown names before a field", () => {
  it("a misspelt loop variable before a field is an unknown name, not an unknown step", () => {
    expect(wfDiags('for task in xs { step s = sh("${tsk.title}") }', "xs: list<{ title: string }>")).toEqual(["E0207 unknown name `tsk`"]);
  });

  it("a misspelt step before a field is an unknown step", () => {
    expect(wfDiags('step test = sh("x")\nstep s = sh("${tset.stdout}")')).toEqual(["E0301 unknown step `tset`"]);
  });

  it("an unknown name before a field at top level is an unknown name", () => {
    expect(first("export let x = nope.field\n")?.code).toBe("E0207");
  });
});

describe("very long operator chains", () => {
  it("are E0330 past 256 operators deep, once, and check as usual below that", () => {
    const chain = (n: number) => `return ${Array.from({ length: n + 1 }, (_, i) => `${i}`).join(" + ")}`;
    expect(wfCodes(chain(250), "", "int")).toEqual([]);
    expect(wfCodes(chain(1500), "", "int")).toEqual(["E0330"]);
  });
});

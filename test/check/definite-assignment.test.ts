import { describe, expect, it } from "vitest";
import { first, wfCodes, wfDiags } from "./helpers.js";

describe("definite assignment", () => {
  it("a step read after it runs has its type", () => {
    expect(wfCodes('step s = sh("x")\nreturn s.ok', "", "bool")).toEqual([]);
  });

  it("a step read before it is defined is E0206", () => {
    const d = first('export workflow main() {\n  step a = sh("${b.stdout}")\n  step b = sh("x")\n}\n');
    expect(d?.code).toBe("E0206");
    expect(d?.message).toBe("step `b` is used before it is defined");
  });

  it("a step read in its own action is E0206", () => {
    expect(wfCodes('step a = sh("${a.stdout}")')).toEqual(["E0206"]);
  });

  it("a step read after an if without else is optional", () => {
    expect(wfDiags('if c { step s = sh("x") }\nreturn s', "c: bool", "Shell")).toEqual(["E0304 expected `Shell`, found `Shell?`"]);
  });

  it("a step read after an if/else where only one arm defines it is optional", () => {
    expect(wfCodes('if c { step s = sh("x") } else { step t = sh("y") }\nreturn s.ok', "c: bool", "bool")).toEqual(["E0302"]);
  });

  it("a step is definite after an if/else whose other arm cannot finish", () => {
    expect(wfCodes('if c { step s = sh("x") } else { fail("no") }\nreturn s.ok', "c: bool", "bool")).toEqual([]);
  });

  it("a step read after an else-if chain is optional", () => {
    expect(wfCodes('if c { step s = sh("x") } else if !c { step t = sh("y") }\nreturn s?.ok ?? t?.ok ?? false', "c: bool", "bool")).toEqual([]);
  });

  it("a step of a for body is a list after the loop", () => {
    expect(wfCodes('for x in xs { step s = sh("${x}") }\nreturn s[0].ok', "xs: list<string>", "bool")).toEqual([]);
  });

  it("a step of a for body has its own type inside the body", () => {
    expect(wfCodes('for x in xs {\n  step s = sh("${x}")\n  step t = sh("${s.stdout}")\n}', "xs: list<string>")).toEqual([]);
  });

  it("the loop variable is only in scope in the body", () => {
    expect(wfCodes('for x in xs { step s = sh("${x}") }\nreturn x', "xs: list<string>", "string")).toEqual(["E0207"]);
  });

  it("for over something that is not a list is E0304", () => {
    expect(wfCodes('for x in n { step s = sh("${x}") }', "n: int")).toEqual(["E0304"]);
  });

  it("for over json gives json items", () => {
    expect(wfCodes('for x in j { step s = sh("${x.name}") }', "j: json")).toEqual([]);
  });

  it("a step of a repeat body has the last round's type after the loop", () => {
    expect(wfCodes('repeat max 3 { step s = sh("x") } until s.ok\nreturn s.stdout', "", "string")).toEqual([]);
  });

  it("prev of a body step is optional inside the loop", () => {
    expect(wfDiags('repeat max 3 {\n  step s = sh("${prev(s).stdout}")\n} until s.ok')).toEqual([
      "E0302 cannot read `stdout` of an optional value",
    ]);
  });

  it("prev of a body step defined later in the round is allowed", () => {
    expect(wfCodes('repeat max 3 {\n  step a = sh("${prev(b)?.stdout ?? ""}")\n  step b = sh("y")\n} until b.ok')).toEqual([]);
  });

  it("prev outside a repeat is E0401", () => {
    expect(wfCodes('step s = sh("x")\nstep t = sh("${prev(s)?.stdout ?? ""}")')).toEqual(["E0401"]);
  });

  it("prev of a step outside the loop body is E0401", () => {
    expect(wfCodes('step s = sh("x")\nrepeat max 2 {\n  step t = sh("${prev(s)?.stdout ?? ""}")\n} until t.ok')).toEqual(["E0401"]);
  });

  it("a step read after try/catch is optional", () => {
    expect(wfCodes('try { step s = sh("x") } catch e { escalate(e.message) }\nreturn s.ok', "", "bool")).toEqual(["E0302"]);
  });

  it("a try step is definite when the handler cannot finish", () => {
    expect(wfCodes('try { step s = sh("x") } catch e { fail(e.message) }\nreturn s.ok', "", "bool")).toEqual([]);
  });

  it("a step of the catch block is optional after try/catch", () => {
    expect(wfCodes('try { step s = sh("x") } catch e { step h = sh("y") }\nreturn h.ok', "", "bool")).toEqual(["E0302"]);
    expect(wfCodes('try { step s = sh("x") } catch e { step h = sh("y") }\nreturn h?.ok ?? false', "", "bool")).toEqual([]);
  });

  it("the catch variable is a Failure in scope only in its block", () => {
    expect(wfCodes('try { step s = sh("x") } catch e { escalate("${e.kind} ${e.step}") }\nreturn e.message', "", "string")).toEqual(["E0301"]);
  });

  it("every branch's steps are definite after parallel", () => {
    expect(wfCodes('parallel {\n  step s = sh("x")\n  {\n    step t = sh("y")\n    step u = sh("${t.stdout}")\n  }\n}\nreturn s.ok && u.ok', "", "bool")).toEqual([]);
  });

  it("a parallel branch cannot read a sibling branch's step", () => {
    expect(wfCodes('parallel {\n  step s = sh("x")\n  step t = sh("${s.stdout}")\n}')).toEqual(["E0206"]);
  });

  it("step names are unique across branches (E0204)", () => {
    expect(wfCodes('if c { step s = sh("x") } else { step s = sh("y") }', "c: bool")).toEqual(["E0204"]);
  });

  it("step names are unique across loops (E0204)", () => {
    expect(wfCodes('step s = sh("x")\nrepeat max 2 { step s = sh("y") } until s.ok')).toEqual(["E0204"]);
  });

  it("a let in a block is scoped to it", () => {
    expect(wfCodes('if c {\n  let m = "x"\n  step s = sh(m)\n}\nreturn m', "c: bool", "string")).toEqual(["E0207"]);
  });

  it("an agent in a block is scoped to it", () => {
    expect(wfCodes('if c {\n  agent b = claude()\n  step s = b.ask("x")\n}\nstep t = b.ask("y")', "c: bool")).toEqual(["E0207"]);
  });

  it("a let may not reuse a step name (E0204)", () => {
    expect(wfCodes('step s = sh("x")\nlet s = 1')).toEqual(["E0204", "W0201"]);
  });
});

describe("narrowing an optional name by `!= none`", () => {
  const maybe = 'if c { step s = sh("x") }\n';

  it("narrows a step where `s != none` holds, and only there", () => {
    expect(wfCodes(`${maybe}if s != none { step t = sh("\${s.stdout}") }`, "c: bool")).toEqual([]);
    expect(wfCodes(`${maybe}if none != s { step t = sh("\${s.stdout}") }`, "c: bool")).toEqual([]);
    expect(wfCodes(`${maybe}if s != none { step t = sh("x") } else { step u = sh("\${s.stdout}") }`, "c: bool")).toEqual(["E0302"]);
    expect(wfCodes(`${maybe}if s != none { step t = sh("x") }\nstep u = sh("\${s.stdout}")`, "c: bool")).toEqual(["E0302"]);
  });

  it("narrows in the else of `== none` and in later else-ifs", () => {
    expect(wfCodes(`${maybe}if s == none { step t = sh("x") } else { step u = sh("\${s.stdout}") }`, "c: bool")).toEqual([]);
    expect(wfCodes(`${maybe}if s == none { step t = sh("x") } else if s.ok { step u = sh("y") }`, "c: bool")).toEqual([]);
    expect(wfCodes(`${maybe}if s == none { step t = sh("x") } else if !c { step u = sh("\${s.stdout}") }`, "c: bool")).toEqual([]);
  });

  it("narrows through `&&`, `||` and `!`", () => {
    expect(wfCodes(`${maybe}return s != none && s.ok`, "c: bool", "bool")).toEqual([]);
    expect(wfCodes(`${maybe}return s == none || s.ok`, "c: bool", "bool")).toEqual([]);
    expect(wfCodes(`${maybe}if !(s == none) && c { step t = sh("\${s.stdout}") }`, "c: bool")).toEqual([]);
    expect(wfCodes(`${maybe}if s == none || !s.ok { fail("no") }\nreturn s.stdout`, "c: bool", "string")).toEqual([]);
    // `||` tells nothing where it is true, `&&` nothing where it is false.
    expect(wfCodes(`${maybe}return s == none && s.ok`, "c: bool", "bool")).toEqual(["E0302"]);
    expect(wfCodes(`${maybe}if s != none || c { step t = sh("\${s.stdout}") }`, "c: bool")).toEqual(["E0302"]);
  });

  it("narrows what follows a guard whose block cannot finish", () => {
    expect(wfCodes(`${maybe}if s == none { fail("no s") }\nreturn s.stdout`, "c: bool", "string")).toEqual([]);
    expect(wfCodes(`${maybe}if s == none { return "none" }\nreturn s.stdout`, "c: bool", "string")).toEqual([]);
    // A guard that can finish narrows nothing.
    expect(wfCodes(`${maybe}if s == none { step t = sh("x") }\nreturn s.stdout`, "c: bool", "string")).toEqual(["E0302"]);
    // escalate parks the run, which continues after it when resumed: the block can finish.
    expect(wfCodes(`${maybe}if s == none { escalate("no s") }\nreturn s.stdout`, "c: bool", "string")).toEqual(["E0302"]);
  });

  it("narrows what follows an if whose arms that can finish all tell the name is present", () => {
    expect(wfCodes(`${maybe}if s != none { step t = sh("x") } else { fail("no s") }\nreturn s.stdout`, "c: bool", "string")).toEqual([]);
    expect(wfCodes(`${maybe}if s != none && c { step t = sh("x") } else if s != none { step u = sh("y") } else { return "no" }\nreturn s.stdout`, "c: bool", "string")).toEqual([]);
    // One arm that can finish without it is enough to narrow nothing.
    expect(wfCodes(`${maybe}if s != none { step t = sh("x") } else if c { step u = sh("y") } else { fail("no s") }\nreturn s.stdout`, "c: bool", "string")).toEqual(["E0302"]);
  });

  it("narrows parameters and lets, without warning about the copy", () => {
    expect(wfDiags('if who != none { step t = sh("hi ${who}") }', "who: string?")).toEqual([]);
    expect(wfDiags('let w = who\nif w == none { fail("who?") }\nstep t = sh("hi ${w}")', "who: string?")).toEqual([]);
    expect(wfCodes('if who != none { step t = sh("x") }\nstep u = sh("hi ${who}")', "who: string?")).toEqual(["E0303"]);
  });

  it("does not narrow a field path or a name that is not optional", () => {
    // A value that cannot be none may still be compared with `none` (a narrowed name tested again).
    expect(wfCodes('step s = sh("x")\nif s != none { step t = sh("${s.stdout}") }')).toEqual([]);
    expect(wfCodes('if c { step s = sh("x") }\nif s != none && s != none { if s != none { step t = sh("${s.stdout}") } }', "c: bool")).toEqual([]);
    expect(wfCodes('if r.a != none { step t = sh("${r.a}") }', "r: { a: string? }")).toEqual(["E0303"]);
  });
});

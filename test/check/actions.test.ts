import { describe, expect, it } from "vitest";
import { codes, diags, first, wfCodes, wfDiags } from "./helpers.js";

describe("actions", () => {
  it("sh takes a command string and its options", () => {
    expect(wfCodes('step s = sh("npm test", cwd: "app", env: { CI: "1" }, stdin: "x", check: false, timeout: 5m, retry: 2, backoff: 1s, label: "tests")')).toEqual([]);
  });

  it("sh takes an argv list", () => {
    expect(wfCodes('step s = sh(["git", "status"])')).toEqual([]);
  });

  it("sh given a number is E0304 naming both forms", () => {
    expect(wfDiags("step s = sh(3)")).toEqual(["E0304 expected `string | list<string>`, found `int`"]);
  });

  it("sh env must be a record of strings", () => {
    expect(wfCodes('step s = sh("x", env: { N: 1 })')).toEqual(["E0304"]);
  });

  it("sh env accepts a json value", () => {
    expect(wfCodes('step s = sh("x", env: e)', "e: json")).toEqual([]);
  });

  it("an unknown option is E0307 with a suggestion", () => {
    const d = first('import { claude } from "std/agents"\nexport workflow main() {\n  step s = sh("x", tmeout: 5m)\n}\n');
    expect(d?.message).toBe("unknown option `tmeout` for `sh`");
    expect(d?.help).toBe("did you mean `timeout`?");
  });

  it("names an ask on a constructed agent by what the program wrote", () => {
    const d = first('import { claude } from "std/agents"\nexport workflow main() {\n  step s = claude().ask("x", bogus: 1)\n}\n');
    expect(d?.message).toBe("unknown option `bogus` for `claude(…).ask`");
  });

  it("an option of the wrong type is E0304", () => {
    expect(wfDiags('step s = sh("x", timeout: 5)')).toEqual(["E0304 expected `duration`, found `int`"]);
  });

  it("a second positional argument is E0315", () => {
    expect(wfCodes('step s = sh("x", "y")')).toEqual(["E0315"]);
  });

  it("an argument given twice is E0321", () => {
    expect(wfCodes('step s = sh("x", check: true, check: false)')).toEqual(["E0321"]);
  });

  it("ask without output gives a reply without an output field", () => {
    expect(wfDiags('step r = a.ask("hi")\nreturn r.output', "", "json")).toEqual(["E0306 no field `output` on `Reply`"]);
  });

  it("ask with output: a type alias gives a typed output field", () => {
    const src =
      'import { claude } from "std/agents"\ntype Plan = { summary: string }\nexport agent a = claude()\nexport workflow main() -> string {\n  step r = a.ask("plan", output: Plan, session: "s", interactive: false, files: ["a.ts"])\n  return r.output.summary\n}\n';
    expect(diags(src)).toEqual([]);
  });

  it("ask with output: a record type works too", () => {
    expect(wfCodes('step r = a.ask("x", output: { n: int })\nreturn r.output.n', "", "int")).toEqual([]);
  });

  it("ask with output: any type written inline (list, optional, union)", () => {
    expect(wfCodes('step r = a.ask("x", output: list<{ n: int }>)\nreturn r.output[0].n', "", "int")).toEqual([]);
    expect(wfCodes('step r = a.ask("x", output: int?)\nreturn r.output ?? 0', "", "int")).toEqual([]);
    expect(wfCodes('step r = a.ask("x", output: "yes" | "no")\nreturn r.output == "yes"', "", "bool")).toEqual([]);
    expect(wfCodes('step r = a.ask("x", output: list<int>)\nreturn r.output', "", "string")).toEqual(["E0304"]);
  });

  it("a type written as the value of a workflow's `output` parameter is E0209", () => {
    const source = 'workflow render(output: string) {\n  step s = sh("echo ${output}")\n}\nexport workflow main() {\n  step r = render(output: list<string>)\n}\n';
    expect(codes(source)).toEqual(["E0209"]);
  });

  it("ask with an unknown output type is E0208", () => {
    expect(wfCodes('step r = a.ask("x", output: Pln)')).toEqual(["E0208"]);
  });

  it("ask on something that is not an agent is E0304", () => {
    expect(wfCodes('step r = s.ask("x")', "s: string")).toEqual(["E0304"]);
  });

  it("an agent has no other method (E0323)", () => {
    expect(wfCodes('step r = a.tell("x")')).toEqual(["E0323"]);
  });

  it("approve gives a decision and takes timeout and onTimeout", () => {
    expect(wfCodes('step d = approve("ok?", timeout: 1d, onTimeout: "reject")\nreturn d.approved && d.reason != d.by', "", "bool")).toEqual([]);
  });

  it("a wrong onTimeout value is E0308 listing the values", () => {
    const d = first('export workflow main() {\n  step d = approve("ok?", onTimeout: "later")\n}\n');
    expect(d?.code).toBe("E0308");
    expect(d?.help).toBe('expected one of "fail", "approve", "reject"');
  });

  it("a workflow call takes named arguments and gives the return type", () => {
    const src = 'workflow inner(n: int, _s: string = "x") -> int { return n }\nexport workflow main() -> int {\n  step r = inner(n: 2, retry: 1)\n  return r\n}\n';
    expect(diags(src)).toEqual([]);
  });

  it("a workflow call takes positional arguments in order", () => {
    const src = 'workflow inner(n: int, s: string) -> string { return "${n}${s}" }\nexport workflow main() -> string {\n  step r = inner(2, "a")\n  return r\n}\n';
    expect(diags(src)).toEqual([]);
  });

  it("a workflow call missing a required argument is E0309", () => {
    const src = "workflow inner(n: int) { }\nexport workflow main() {\n  step r = inner()\n}\n";
    expect(diags(src)).toEqual(["W0201 unused parameter `n`", "E0309 missing argument `n` for `inner`"]);
  });

  it("a workflow call with a mistyped argument is E0304", () => {
    const src = 'workflow inner(n: int) { return }\nexport workflow main() {\n  step r = inner(n: "x")\n}\n';
    expect(diags(src).filter((d) => d.startsWith("E"))).toEqual(["E0304 expected `int`, found `string`"]);
  });

  it("a workflow call with an unknown argument is E0307", () => {
    const src = "workflow inner(count: int) -> int { return count }\nexport workflow main() {\n  step r = inner(count: 1, cuont: 2)\n}\n";
    expect(diags(src)).toEqual(["E0307 unknown option `cuont` for `inner`"]);
  });

  it("an agent constructor call is checked like a call", () => {
    expect(diags('import { claude } from "std/agents"\nexport agent a = claude(modle: "opus")\n')).toEqual(["E0307 unknown option `modle` for `claude`"]);
  });

  it("command requires argv", () => {
    expect(diags('import { command } from "std/agents"\nexport agent a = command()\n')).toEqual(["E0309 missing argument `argv` for `command`"]);
  });

  it("scripted takes a path", () => {
    expect(diags('import { scripted } from "std/agents"\nexport agent a = scripted(file: "replies.json")\n')).toEqual([]);
  });

  it("an action in a let is E0310", () => {
    expect(wfDiags('let x = sh("ls")\nreturn x', "", "json")).toEqual(["E0310 `sh(…)` is an action and can only be the value of a step"]);
  });

  it("an ask inside an expression is E0310", () => {
    expect(wfCodes('return "${a.ask("x")}"', "", "string")).toEqual(["E0310"]);
  });

  it("an action as a bare statement is E0310", () => {
    expect(wfCodes('sh("ls")')).toEqual(["E0310"]);
  });

  it("a step whose value is not an action is E0311", () => {
    expect(wfCodes('step x = read("f")')).toEqual(["E0311"]);
  });

  it("a step whose value is a literal is E0311", () => {
    expect(wfCodes("step x = 3")).toEqual(["E0311"]);
  });
});

describe("standard agent constructors", () => {
  it("every constructor of LANGUAGE.md §6.2 takes its documented options", () => {
    const src = `import { claude, codex, gemini, opencode, cursor, command, scripted } from "std/agents"
export agent a1 = claude(model: "opus", system: "be brief", tools: ["Read"], permission: "acceptEdits", maxTurns: 3, budget: 1.5)
export agent a2 = codex(model: "o4", sandbox: "read-only", effort: "high")
export agent a3 = gemini(model: "pro", approval: "yolo")
export agent a4 = opencode(model: "x", agent: "build")
export agent a5 = cursor(model: "x", force: true)
export agent a6 = command(argv: ["my-agent", "--json"])
export agent a7 = scripted(file: "replies.json")
`;
    expect(diags(src)).toEqual([]);
  });

  it("a wrong gemini approval value lists the allowed ones", () => {
    const d = first('import { gemini } from "std/agents"\nexport agent g = gemini(approval: "auto")\n');
    expect(d?.help).toBe('expected one of "default", "auto_edit", "yolo", "plan"');
    expect(diags('import { gemini } from "std/agents"\nexport agent g = gemini(approval: "plan")\n')).toEqual([]);
  });

  it("gemini takes trust: as a bool, to trust the workspace", () => {
    expect(diags('import { gemini } from "std/agents"\nexport agent g = gemini(trust: true)\n')).toEqual([]);
    expect(diags('import { gemini } from "std/agents"\nexport agent g = gemini(trust: "yes")\n')).toEqual(['E0304 expected `bool`, found `string`']);
  });

  it("an option of the wrong type for a constructor is E0304", () => {
    expect(diags('import { cursor } from "std/agents"\nexport agent c = cursor(force: "yes")\n')).toEqual(['E0304 expected `bool`, found `string`']);
  });
});

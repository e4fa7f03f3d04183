import { describe, expect, it } from "vitest";
import type { IrNode, IrProgram, IrRegion } from "../../src/compiler/ir/ir.js";
import { irProgramSchema } from "../../src/compiler/ir/schema.js";
import { compileSource, featureProgram, wf } from "./helpers.js";

function lower(source: string, extra: Record<string, string> = {}): IrProgram {
  const r = compileSource(source, extra);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(r.ir).toBeDefined();
  return irProgramSchema.parse(r.ir);
}

const node = (region: IrRegion, id: string): IrNode => {
  const n = region.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id} in ${region.id}`);
  return n;
};

describe("lowering", () => {
  const ir = lower(featureProgram);
  const feature = ir.workflows["main.cm:feature"]!;

  it("the §1 program lowers and passes the IR schema", () => {
    expect(ir.version).toBe(1);
    expect(ir.root).toBe("main.cm");
    expect(Object.keys(ir.workflows)).toEqual(["main.cm:feature"]);
  });

  it("the workflow keeps its parameters, defaults, return type and doc", () => {
    expect(feature.params.map((p) => [p.name, p.type.kind, p.default])).toEqual([
      ["name", "string", undefined],
      ["standards", "path", { k: "lit", value: "docs/api-standards.md" }],
    ]);
    expect(feature.returns).toEqual({ kind: "record", fields: [{ name: "summary", type: { kind: "string" } }] });
    expect(feature.doc).toContain("Scaffold a feature end to end.");
    expect(feature.exported).toBe(true);
  });

  it("top-level statements become nodes in order with <kind>_<n> ids", () => {
    expect(feature.body.nodes.map((n) => `${n.kind}:${n.id}`)).toEqual([
      "let:let_1",
      "let:let_2",
      "repeat:repeat_1",
      "for:for_1",
      "repeat:repeat_2",
      "return:return_1",
    ]);
  });

  it("a region is a chain of success edges from entry to exit, plus edges into sub-regions", () => {
    expect(feature.body.edges).toEqual([
      { from: "entry", to: "let_1", on: "success" },
      { from: "let_1", to: "let_2", on: "success" },
      { from: "let_2", to: "repeat_1", on: "success" },
      { from: "repeat_1", to: "for_1", on: "success" },
      { from: "for_1", to: "repeat_2", on: "success" },
      { from: "repeat_2", to: "return_1", on: "success" },
      { from: "return_1", to: "exit", on: "success" },
      { from: "repeat_1", to: "repeat_1.body", on: "success" },
      { from: "repeat_1", to: "repeat_1.else", on: "exhausted" },
      { from: "for_1", to: "for_1.body", on: "success" },
      { from: "repeat_2", to: "repeat_2.body", on: "success" },
    ]);
  });

  it("agent constructor calls become agent values", () => {
    expect(node(feature.body, "let_1")).toMatchObject({
      kind: "let",
      name: "architect",
      value: { k: "agent", ctor: "claude", options: { model: { k: "lit", value: "opus" }, permission: { k: "lit", value: "plan" } } },
    });
  });

  it("an approve step leaves through approved and rejected edges", () => {
    const repeat = node(feature.body, "repeat_1");
    if (repeat.kind !== "repeat") throw new Error("not a repeat");
    expect(repeat.steps).toEqual(["plan", "review"]);
    expect(repeat.body.edges).toEqual([
      { from: "entry", to: "plan", on: "success" },
      { from: "plan", to: "review", on: "success" },
      { from: "review", to: "exit", on: "approved" },
      { from: "review", to: "exit", on: "rejected" },
    ]);
    expect(node(repeat.body, "review")).toMatchObject({ kind: "step", action: { kind: "approve", onTimeout: "fail" } });
  });

  it("an ask step carries the resolved output type, prev and its options", () => {
    const repeat = node(feature.body, "repeat_1");
    if (repeat.kind !== "repeat") throw new Error("not a repeat");
    const plan = node(repeat.body, "plan");
    if (plan.kind !== "step" || plan.action.kind !== "ask") throw new Error("not an ask");
    expect(plan.action.output).toMatchObject({ kind: "record", name: "Plan" });
    expect(plan.options.timeout).toEqual({ k: "lit", value: 20 * 60_000 });
    expect(JSON.stringify(plan.action.prompt)).toContain('{"k":"prev","step":"review"}');
    expect(plan.span).toMatchObject({ file: "main.cm", line: 15, column: 5 });
  });

  it("a for loop records its variable, limit and body steps", () => {
    expect(node(feature.body, "for_1")).toMatchObject({ kind: "for", variable: "task", parallel: true, limit: { k: "lit", value: 3 }, steps: ["build"] });
  });

  it("an if node has true edges to its arms and lists its steps", () => {
    const repeat = node(feature.body, "repeat_2");
    if (repeat.kind !== "repeat") throw new Error("not a repeat");
    const ifNode = node(repeat.body, "if_1");
    expect(ifNode).toMatchObject({ kind: "if", steps: ["fix"] });
    expect(repeat.body.edges).toContainEqual({ from: "if_1", to: "if_1.arm1", on: "true" });
    expect(node(repeat.body, "test")).toMatchObject({
      action: { kind: "sh", shell: true, command: { k: "str", parts: ["npm test"] }, check: { k: "lit", value: false } },
    });
  });

  it("if/else, try/catch and parallel get labelled edges to their regions", () => {
    const ir2 = lower(
      wf(
        'if c { step a1 = sh("a") } else if !c { step a2 = sh("b") } else { step a3 = sh("c") }\ntry { step t = sh("t") } catch e { escalate(e.message) }\nparallel 2 {\n  step p = sh("p")\n  { step q = sh("q") }\n}',
        "c: bool",
      ),
    );
    const body = ir2.workflows["main.cm:main"]!.body;
    expect(body.edges.filter((e) => e.from !== "entry" && e.on !== "success" || e.to.includes("."))).toEqual([
      { from: "if_1", to: "if_1.arm1", on: "true" },
      { from: "if_1", to: "if_1.arm2", on: "true" },
      { from: "if_1", to: "if_1.else", on: "false" },
      { from: "try_1", to: "try_1.body", on: "success" },
      { from: "try_1", to: "try_1.catch", on: "failure" },
      { from: "parallel_1", to: "parallel_1.branch1", on: "success" },
      { from: "parallel_1", to: "parallel_1.branch2", on: "success" },
    ]);
    expect(node(body, "if_1")).toMatchObject({ steps: ["a1", "a2", "a3"] });
    expect(node(body, "try_1")).toMatchObject({ errorName: "e", steps: ["t"] });
  });

  it("durations in strings are marked and int arithmetic is flagged", () => {
    const ir2 = lower(wf('step s = sh("sleep ${d}; echo ${n / 2} ${x / 2}")', "d: duration, n: int, x: float"));
    const s = node(ir2.workflows["main.cm:main"]!.body, "s");
    if (s.kind !== "step" || s.action.kind !== "sh") throw new Error("not sh");
    const parts = s.action.command.k === "str" ? s.action.command.parts : [];
    expect(parts[1]).toEqual({ expr: { k: "name", name: "d" }, as: "duration" });
    expect(parts[3]).toMatchObject({ expr: { k: "binary", op: "/", int: true } });
    expect(parts[5]).toMatchObject({ expr: { k: "binary", op: "/" } });
    expect((parts[5] as { expr: object }).expr).not.toHaveProperty("int");
  });

  it("an argv command runs without a shell", () => {
    const ir2 = lower(wf('step s = sh(["git", "status"])'));
    expect(node(ir2.workflows["main.cm:main"]!.body, "s")).toMatchObject({ action: { kind: "sh", shell: false, command: { k: "list" } } });
  });

  it("a workflow call fills in defaults and includes the callee from another module", () => {
    const lib = 'export workflow build(name: string, mode: string = "fast", n: int?) -> string { return "${name}${mode}${n ?? 0}" }\n';
    const ir2 = lower('import { build } from "./lib.cm"\nexport workflow main() {\n  step b = build(name: "x", timeout: 1m)\n}\n', { "lib.cm": lib });
    expect(Object.keys(ir2.workflows).sort()).toEqual(["lib.cm:build", "main.cm:main"]);
    expect(node(ir2.workflows["main.cm:main"]!.body, "b")).toMatchObject({
      action: {
        kind: "call",
        workflow: "lib.cm:build",
        args: { name: { k: "lit", value: "x" }, mode: { k: "lit", value: "fast" }, n: { k: "lit", value: null } },
      },
      options: { timeout: { k: "lit", value: 60_000 } },
    });
  });

  it("top-level lets and agents become globals, imported ones by their own module", () => {
    const lib = 'import { claude } from "std/agents"\nexport let model = "opus"\nexport agent helper = claude(model: model)\n';
    const ir2 = lower('import { helper } from "./lib.cm"\nexport workflow main() {\n  step r = helper.ask("x")\n}\n', { "lib.cm": lib });
    expect(ir2.globals).toEqual({
      "lib.cm:helper": { k: "agent", ctor: "claude", options: { model: { k: "global", id: "lib.cm:model" } } },
      "lib.cm:model": { k: "lit", value: "opus" },
    });
    expect(node(ir2.workflows["main.cm:main"]!.body, "r")).toMatchObject({ action: { agent: { k: "global", id: "lib.cm:helper" } } });
  });

  it("approve onTimeout is carried when given", () => {
    const ir2 = lower(wf('step d = approve("ok?", timeout: 1h, onTimeout: "approve")'));
    expect(node(ir2.workflows["main.cm:main"]!.body, "d")).toMatchObject({ action: { kind: "approve", onTimeout: "approve" } });
  });

  it("a command value run by sh is spliced raw", () => {
    const ir2 = lower(wf("step s = sh(cmd)", "cmd: command"));
    expect(node(ir2.workflows["main.cm:main"]!.body, "s")).toMatchObject({
      action: { command: { k: "str", parts: [{ expr: { k: "call", fn: "raw", args: [{ k: "name", name: "cmd" }] }, as: "text" }] } },
    });
  });

  it("a literal given for a command parameter is lowered as shell text, and a command spliced into sh is command text", () => {
    const ir2 = lower(`
      workflow run(cmd: command) {
        step s = sh("\${cmd} --verbose")
      }
      workflow main(x: string) {
        step r = run(cmd: "echo \${x}")
      }
    `);
    expect(node(ir2.workflows["main.cm:main"]!.body, "r")).toMatchObject({
      action: { args: { cmd: { k: "str", shell: true, parts: ["echo ", { expr: { k: "name", name: "x" }, as: "text" }] } } },
    });
    expect(node(ir2.workflows["main.cm:run"]!.body, "s")).toMatchObject({
      action: { command: { k: "str", parts: [{ expr: { k: "name", name: "cmd" }, as: "command" }, " --verbose"] } },
    });
  });
});

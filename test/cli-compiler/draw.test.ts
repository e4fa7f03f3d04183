/** The Mermaid and DOT renderers on a hand-made IR workflow shaped like LANGUAGE.md's example. */
import { describe, expect, it } from "vitest";
import type { IrEdge, IrExpr, IrNode, IrRegion, IrWorkflow } from "../../src/compiler/ir/ir.js";
import { irProgramSchema } from "../../src/compiler/ir/schema.js";
import { toDot } from "../../src/cli/draw/dot.js";
import { toMermaid } from "../../src/cli/draw/mermaid.js";
import type { NodeState } from "../../src/cli/draw/diagram.js";

const span = { file: "f.cm", start: 0, end: 1, line: 1, column: 1 };
const name = (n: string): IrExpr => ({ k: "name", name: n });
const str = (s: string): IrExpr => ({ k: "str", parts: [s] });
const field = (object: IrExpr, f: string): IrExpr => ({ k: "field", object, name: f, optional: false });

/** A region whose nodes run in order. */
function seq(id: string, nodes: IrNode[]): IrRegion {
  const ids = ["entry", ...nodes.map((n) => n.id), "exit"];
  const edges: IrEdge[] = ids.slice(1).map((to, i) => ({ from: ids[i]!, to, on: "success" }));
  return { id, nodes, edges };
}

function sh(id: string): IrNode {
  return { id, span, kind: "step", name: id, action: { kind: "sh", command: str("npm test"), shell: true }, options: {} };
}
function ask(id: string, agent: string): IrNode {
  return { id, span, kind: "step", name: id, action: { kind: "ask", agent: name(agent), prompt: str("go") }, options: {} };
}
function approve(id: string): IrNode {
  return { id, span, kind: "step", name: id, action: { kind: "approve", question: str("ok?"), onTimeout: "fail" }, options: {} };
}

const workflow: IrWorkflow = {
  id: "f.cm:feature",
  name: "feature",
  module: "f.cm",
  exported: true,
  params: [],
  span,
  body: seq("body", [
    { id: "let_1", span, kind: "let", name: "coder", value: { k: "agent", ctor: "codex", options: {} } },
    {
      id: "repeat_1",
      span,
      kind: "repeat",
      max: { k: "lit", value: 3 },
      body: seq("repeat_1.body", [ask("plan", "architect"), approve("review")]),
      until: field(name("review"), "approved"),
      otherwise: seq("repeat_1.else", [{ id: "escalate_1", span, kind: "escalate", message: str("rejected") }]),
      steps: ["plan", "review"],
    },
    {
      id: "for_1",
      span,
      kind: "for",
      variable: "task",
      items: field(field(name("plan"), "output"), "tasks"),
      parallel: true,
      limit: { k: "lit", value: 3 },
      body: seq("for_1.body", [ask("build", "coder")]),
      steps: ["build"],
    },
    {
      id: "if_1",
      span,
      kind: "if",
      arms: [{ condition: { k: "unary", op: "!", operand: field(name("build"), "ok") }, region: seq("if_1.then", [sh("fix")]) }],
      steps: ["fix"],
    },
    {
      id: "parallel_1",
      span,
      kind: "parallel",
      branches: [seq("parallel_1.0", [sh("lint")]), seq("parallel_1.1", [sh("types"), sh("end")])],
    },
    {
      id: "try_1",
      span,
      kind: "try",
      body: seq("try_1.body", [{ id: "deploy", span, kind: "step", name: "deploy", action: { kind: "call", workflow: "f.cm:ship", args: {} }, options: {} }]),
      errorName: "e",
      handler: seq("try_1.catch", [{ id: "fail_1", span, kind: "fail", message: str("deploy \"failed\"") }]),
      steps: ["deploy"],
    },
    { id: "return_1", span, kind: "return", value: { k: "record", fields: [{ name: "ok", value: { k: "lit", value: true } }] } },
  ]),
};

describe("the hand-made workflow", () => {
  it("is valid IR", () => {
    expect(irProgramSchema.safeParse({ version: 1, root: "f.cm", workflows: { [workflow.id]: workflow }, globals: {} }).success).toBe(true);
  });
});

describe("toMermaid", () => {
  const out = toMermaid(workflow);
  const lines = out.split("\n").map((l) => l.trim());

  it("starts a top-down flowchart", () => {
    expect(lines[0]).toBe("flowchart TD");
  });

  it("draws steps as labelled boxes, approve gates as hexagons and calls as subroutines", () => {
    expect(lines).toContain('n_plan["plan: architect.ask"]');
    expect(lines).toContain('n_build["build: coder.ask"]');
    expect(lines).toContain('n_fix["fix: sh"]');
    expect(lines).toContain('n_review{{"review: approve"}}');
    expect(lines).toContain('n_deploy[["deploy: ship"]]');
  });

  it("draws loops as subgraphs labelled with their header", () => {
    expect(lines).toContain('subgraph n_repeat_1_box ["repeat max 3 … until review.approved"]');
    expect(lines).toContain('subgraph n_for_1_box ["for task in plan.output.tasks parallel 3"]');
    expect(lines).toContain('n_repeat_1_until{"until review.approved"}');
    expect(lines).toContain('n_repeat_1_until -.->|"false"| n_repeat_1');
    expect(lines).toContain('n_repeat_1_until -->|"exhausted"| n_escalate_1');
  });

  it("draws if as a diamond with true and false edges", () => {
    expect(lines).toContain('n_if_1{"if !build.ok"}');
    expect(lines).toContain('n_if_1 -->|"true"| n_fix');
    expect(lines).toContain('n_if_1 -->|"false"| n_if_1_end');
  });

  it("draws parallel as a subgraph with fork and join, one path per branch", () => {
    expect(lines).toContain('subgraph n_parallel_1_box ["parallel"]');
    expect(lines).toContain("n_parallel_1 --> n_lint");
    expect(lines).toContain("n_parallel_1 --> n_types");
    expect(lines).toContain("n_lint --> n_parallel_1_join");
  });

  it("draws try/catch as subgraphs joined by a failure edge", () => {
    expect(lines).toContain('subgraph n_try_1_box ["try"]');
    expect(lines).toContain('subgraph n_try_1_catch ["catch e"]');
    expect(lines).toContain('n_try_1_box -.->|"failure"| n_try_1_caught');
    expect(lines).toContain('n_fail_1>"fail: #quot;deploy \\#quot;failed\\#quot;#quot;"]');
  });

  it("keeps ids that are Mermaid keywords safe and links start to end", () => {
    expect(lines).toContain('n_end_2["end: sh"]');
    expect(lines).toContain('n_start(["start feature"])');
    expect(lines).toContain('n_return_1 --> n_end');
    expect(lines).toContain('n_start --> n_let_1');
  });

  it("balances every subgraph with an end", () => {
    expect(lines.filter((l) => l.startsWith("subgraph ")).length).toBe(lines.filter((l) => l === "end").length);
  });

  it("colours steps by their state in a run", () => {
    const state = new Map<string, NodeState>([
      ["plan", "done"],
      ["review", "done"],
      ["build", "failed"],
      ["fix", "skipped"],
    ]);
    const coloured = toMermaid(workflow, state).split("\n").map((l) => l.trim());
    expect(coloured).toContain("class n_plan,n_review done");
    expect(coloured).toContain("class n_build failed");
    expect(coloured).toContain("class n_fix skipped");
    expect(coloured.some((l) => l.startsWith("classDef failed "))).toBe(true);
    expect(coloured.some((l) => l.startsWith("classDef running "))).toBe(false);
  });
});

describe("toDot", () => {
  const out = toDot(workflow);

  it("draws a digraph with clusters and the same shapes", () => {
    expect(out.startsWith('digraph "feature" {')).toBe(true);
    expect(out).toContain('n_review [label="review: approve", shape=hexagon];');
    expect(out).toContain('n_if_1 [label="if !build.ok", shape=diamond];');
    expect(out).toContain('n_deploy [label="deploy: ship", shape=box, peripheries=2];');
    expect(out).toContain("subgraph cluster_n_repeat_1_box {");
    expect(out).toContain('label="repeat max 3 … until review.approved";');
    expect(out).toContain('n_if_1 -> n_fix [label="true"];');
    expect(out.trimEnd().endsWith("}")).toBe(true);
  });

  it("leaves a try cluster through ltail for the failure edge", () => {
    expect(out).toContain('n_try_1 -> n_try_1_caught [ltail=cluster_n_try_1_box, label="failure", style=dashed];');
  });

  it("escapes quotes in labels", () => {
    expect(out).toContain('n_fail_1 [label="fail: \\"deploy \\\\\\"failed\\\\\\"\\"", shape=cds];');
  });

  it("fills coloured nodes", () => {
    const coloured = toDot(workflow, new Map([["plan", "running" as const]]));
    expect(coloured).toContain('n_plan [label="plan: architect.ask", shape=box, style="filled,rounded", fillcolor="#d0ebff"];');
  });
});

describe("expression labels", () => {
  it("parenthesize only where precedence needs it", async () => {
    const { exprText } = await import("../../src/cli/draw/expr-text.js");
    const n = (x: string): IrExpr => ({ k: "name", name: x });
    const bin = (op: string, left: IrExpr, right: IrExpr): IrExpr => ({ k: "binary", op, left, right });
    expect(exprText(bin("&&", bin(">", n("a"), n("b")), n("c")))).toBe("a > b && c");
    expect(exprText(bin("*", bin("+", n("a"), n("b")), n("c")))).toBe("(a + b) * c");
    expect(exprText(bin("-", n("a"), bin("-", n("b"), n("c"))))).toBe("a - (b - c)");
    expect(exprText({ k: "unary", op: "!", operand: bin("||", n("a"), n("b")) })).toBe("!(a || b)");
    expect(exprText({ k: "field", object: { k: "prev", step: "t" }, name: "code", optional: true })).toBe("prev(t)?.code");
  });
});

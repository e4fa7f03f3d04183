/** Folding a run's journal into node states for `cmc graph --run`. */
import { describe, expect, it } from "vitest";
import type { IrNode, IrWorkflow } from "../../src/compiler/ir/ir.js";
import { runState } from "../../src/cli/draw/run-state.js";
import { topNodeIdOfKey } from "../../src/runtime/scheduler/step-keys.js";
import type { JournalEventBody } from "../../src/runtime/store/types.js";

const span = { file: "f.cm", start: 0, end: 1, line: 1, column: 1 };
const step = (id: string): IrNode => ({
  id,
  span,
  kind: "step",
  name: id,
  action: { kind: "sh", command: { k: "lit", value: "true" }, shell: true },
  options: {},
});
const region = (id: string, nodes: IrNode[]) => ({ id, nodes, edges: [] });

const workflow: IrWorkflow = {
  id: "f.cm:main",
  name: "main",
  module: "f.cm",
  exported: false,
  params: [],
  span,
  body: region("body", [
    step("setup"),
    {
      id: "for_1",
      span,
      kind: "for",
      variable: "x",
      items: { k: "list", items: [] },
      parallel: true,
      body: region("b", [step("build")]),
      steps: ["build"],
    },
    { id: "if_1", span, kind: "if", arms: [{ condition: { k: "lit", value: false }, region: region("t", [step("fix")]) }], steps: ["fix"] },
  ]),
};

describe("topNodeIdOfKey", () => {
  it("names the node of the key's own workflow, whatever loop, retry, call or gate marker follows", () => {
    expect(topNodeIdOfKey("build")).toBe("build");
    expect(topNodeIdOfKey("build[2]")).toBe("build");
    expect(topNodeIdOfKey("plan#1")).toBe("plan");
    expect(topNodeIdOfKey("call/inner[0]")).toBe("call");
    expect(topNodeIdOfKey("call~2/inner[0]")).toBe("call");
    expect(topNodeIdOfKey("call[1]~3/inner")).toBe("call");
    expect(topNodeIdOfKey("setup@start")).toBe("setup");
  });
});

describe("runState", () => {
  const events: JournalEventBody[] = [
    { type: "run-started", workflow: "f.cm:main", inputs: {} },
    { type: "step-started", key: "setup", attempt: 1, inputs: {} },
    { type: "step-finished", key: "setup", result: {} },
    { type: "step-started", key: "build[0]", attempt: 1, inputs: {} },
    { type: "step-started", key: "build[1]", attempt: 1, inputs: {} },
    { type: "step-finished", key: "build[0]", result: {} },
  ];

  it("shows a node as running while any of its instances runs", () => {
    const state = runState(workflow, events, "running");
    expect(state.get("setup")).toBe("done");
    expect(state.get("build")).toBe("running");
    expect(state.has("fix")).toBe(false);
  });

  it("lets a failed instance win and marks steps that never ran as skipped once the run ended", () => {
    const state = runState(
      workflow,
      [...events, { type: "step-failed", key: "build[1]", error: { kind: "failed", step: "build", message: "x" } }],
      "failed",
    );
    expect(state.get("build")).toBe("failed");
    expect(state.get("fix")).toBe("skipped");
  });

  it("shows a waiting approve gate as waiting", () => {
    const state = runState(workflow, [{ type: "waiting", key: "setup", question: "ok?" }], "waiting");
    expect(state.get("setup")).toBe("waiting");
  });

  it("shows a step cancelled by a sibling's failure, or left running by an ended run, as cancelled", () => {
    const state = runState(
      workflow,
      [...events, { type: "step-failed", key: "build[1]", error: { kind: "cancelled", step: "build[1]", message: "cancelled" } }],
      "cancelled",
    );
    expect(state.get("build")).toBe("cancelled");
    const left = runState(workflow, events, "cancelled");
    expect(left.get("build")).toBe("cancelled");
    expect(left.get("setup")).toBe("done");
  });

  it("attributes an interactive start gate and a retried call's sub-steps to their step's node", () => {
    const state = runState(
      workflow,
      [
        { type: "waiting", key: "setup@start", question: "Start step `setup`?" },
        { type: "step-started", key: "build[0]~2/inner", attempt: 1, inputs: {} },
      ],
      "waiting",
    );
    expect(state.get("setup")).toBe("waiting");
    expect(state.get("build")).toBe("running");
    expect([...state.keys()].sort()).toEqual(["build", "setup"]);
  });
});

/** Folds a run's journal into the state of each node of its graph, for `cmc graph --run`. */
import type { IrRegion, IrWorkflow } from "../../compiler/ir/ir.js";
import { subRegions } from "../../compiler/ir/walk.js";
import { topNodeIdOfKey } from "../../runtime/scheduler/step-keys.js";
import type { JournalEventBody, RunStatus } from "../../runtime/store/types.js";
import type { NodeState } from "./diagram.js";

/** Which state wins when instances of one node differ: a failure shows over everything. */
const PRIORITY: Readonly<Record<NodeState, number>> = { failed: 5, waiting: 4, running: 3, cancelled: 2, done: 1, skipped: 0 };

function stepIds(region: IrRegion, into: string[]): void {
  for (const node of region.nodes) {
    if (node.kind === "step") into.push(node.id);
    for (const sub of subRegions(node)) stepIds(sub, into);
  }
}

/**
 * The state of every step node of `workflow` after `events`. Each step instance (key) takes the
 * state of its last event; a node shows its most pressing instance (failed, waiting, running, done).
 * Once the run has ended (succeeded, failed or cancelled), steps that never started are skipped and
 * those it left running or waiting are cancelled (as `cmc status` shows them).
 */
export function runState(
  workflow: IrWorkflow,
  events: readonly JournalEventBody[],
  status: RunStatus,
): Map<string, NodeState> {
  const instances = new Map<string, NodeState>();
  for (const e of events) {
    switch (e.type) {
      case "step-started":
      case "attempt-failed":
        instances.set(e.key, "running");
        break;
      case "step-finished":
        instances.set(e.key, "done");
        break;
      case "step-failed":
        instances.set(e.key, e.error.kind === "cancelled" ? "cancelled" : "failed");
        break;
      case "waiting":
        instances.set(e.key, "waiting");
        break;
      case "decided":
        instances.set(e.key, "done");
        break;
      case "escalated":
      case "run-started":
      case "resumed":
      case "cancelled":
      case "run-finished":
        break;
    }
  }
  const ended = status === "succeeded" || status === "failed" || status === "cancelled";
  const state = new Map<string, NodeState>();
  for (const [key, recorded] of instances) {
    const s = ended && (recorded === "running" || recorded === "waiting") ? "cancelled" : recorded;
    const id = topNodeIdOfKey(key);
    const current = state.get(id);
    if (current === undefined || PRIORITY[s] > PRIORITY[current]) state.set(id, s);
  }
  if (ended) {
    const all: string[] = [];
    stepIds(workflow.body, all);
    for (const id of all) if (!state.has(id)) state.set(id, "skipped");
  }
  return state;
}

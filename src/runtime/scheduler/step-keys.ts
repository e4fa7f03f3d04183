/**
 * Reading step instance keys, as the driver builds them: the step's node id, then `[i]` per
 * enclosing `for` item and `#r` per `repeat` round; `~n` marks a retried sub-workflow call and
 * `/` separates it from the steps of the sub-workflow it runs (`call~2/inner[1]`); an
 * interactive-mode gate is the step's key with `@start`.
 */
import type { IrNode, IrProgram } from "../../compiler/ir/ir.js";
import { findNode } from "../../compiler/ir/walk.js";

/** The node id of one `/`-separated segment of a key: `build[2]#1` → `build`. */
function nodeIdOfSegment(segment: string): string {
  return segment.replace(/[[#~@].*$/, "");
}

/** The name of the step a key belongs to: `build[2]` → `build`, `c~2/review#1@start` → `review`. */
export function stepNameOfKey(key: string): string {
  return nodeIdOfSegment(key.slice(key.lastIndexOf("/") + 1));
}

/**
 * The node of the key's own workflow that a key belongs to: `build[2]` → `build`, `call~2/inner` →
 * `call` (the step that runs the sub-workflow), `gate@start` → `gate`.
 */
export function topNodeIdOfKey(key: string): string {
  const slash = key.indexOf("/");
  return nodeIdOfSegment(slash === -1 ? key : key.slice(0, slash));
}

/**
 * The node that a key of a run of `workflowId` names: `build[2]` and `plan#1` name node `build`
 * and `plan`; `call~2/inner` names `inner` in the workflow that step `call` runs.
 */
export function nodeOfKey(ir: IrProgram, workflowId: string, key: string): IrNode | undefined {
  return locateKey(ir, workflowId, key)?.node;
}

/** `nodeOfKey`, with the id of the workflow the node is in. */
export function locateKey(ir: IrProgram, workflowId: string, key: string): { workflow: string; node: IrNode } | undefined {
  let id = workflowId;
  const ids = key.split("/").map(nodeIdOfSegment);
  for (const [i, nodeId] of ids.entries()) {
    const workflow = ir.workflows[id];
    const node = workflow ? findNode(workflow.body, nodeId) : undefined;
    if (!node) return undefined;
    if (i === ids.length - 1) return { workflow: id, node };
    if (node.kind !== "step" || node.action.kind !== "call") return undefined;
    id = node.action.workflow;
  }
  return undefined;
}

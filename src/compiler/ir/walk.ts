/** Walking the IR's graph: the regions inside a node, and the node a step instance key names. */
import type { IrNode, IrProgram, IrRegion } from "./ir.js";

/** The regions a compound node owns, in source order (none for a step, let, fail, escalate or return). */
export function subRegions(node: IrNode): IrRegion[] {
  switch (node.kind) {
    case "if":
      return [...node.arms.map((arm) => arm.region), ...(node.otherwise ? [node.otherwise] : [])];
    case "parallel":
      return [...node.branches];
    case "for":
      return [node.body];
    case "repeat":
      return [node.body, ...(node.otherwise ? [node.otherwise] : [])];
    case "try":
      return [node.body, node.handler];
    default:
      return [];
  }
}

/** The node with id `id` in `region` or any region nested in it. */
export function findNode(region: IrRegion, id: string): IrNode | undefined {
  for (const node of region.nodes) {
    if (node.id === id) return node;
    for (const sub of subRegions(node)) {
      const found = findNode(sub, id);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The node that a step instance key of a run of `workflowId` names: `build[2]` and `plan#1` name
 * node `build` and `plan`; `call~2/inner` names `inner` in the workflow that step `call` runs.
 */
export function nodeOfKey(ir: IrProgram, workflowId: string, key: string): IrNode | undefined {
  let workflow = ir.workflows[workflowId];
  const segments = key.split("/").map((segment) => segment.replace(/[[#~@].*$/, ""));
  for (const [i, id] of segments.entries()) {
    const node = workflow ? findNode(workflow.body, id) : undefined;
    if (!node || i === segments.length - 1) return node;
    if (node.kind !== "step" || node.action.kind !== "call") return undefined;
    workflow = ir.workflows[node.action.workflow];
  }
  return undefined;
}

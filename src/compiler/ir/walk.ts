/** Walking the IR's graph: the regions inside a node, and a node found by id. */
import type { IrNode, IrRegion } from "./ir.js";

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

/** Walking the IR's graph: the regions inside a node, a node found by id, the steps in a region. */
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

/** The names of the steps in `region` and the regions nested in it, each once, in source order. */
export function stepNamesIn(region: IrRegion): string[] {
  const names = new Set<string>();
  const visit = (r: IrRegion): void => {
    for (const node of r.nodes) {
      if (node.kind === "step") names.add(node.name);
      subRegions(node).forEach(visit);
    }
  };
  visit(region);
  return [...names];
}

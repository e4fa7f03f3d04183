/** No recursion between workflows (LANGUAGE.md §5): every call that closes a cycle is an error. */
import { E } from "./errors.js";
import type { CheckState } from "./model.js";

/** Reports each call that closes a cycle in the workflow call graph, naming the cycle. */
export function checkRecursion(state: CheckState): void {
  const out = new Map<string, (typeof state.callEdges)[number][]>();
  for (const edge of state.callEdges) {
    const list = out.get(edge.from) ?? [];
    list.push(edge);
    out.set(edge.from, list);
  }
  const modules = new Set(state.callEdges.flatMap((e) => [e.from, e.to].map((id) => id.slice(0, id.lastIndexOf(":")))));
  const show = (id: string): string => (modules.size > 1 ? id : id.slice(id.lastIndexOf(":") + 1));
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    stack.push(id);
    for (const edge of out.get(id) ?? []) {
      const at = stack.indexOf(edge.to);
      if (at >= 0) state.report(E.recursion(edge.loc, [...stack.slice(at), edge.to].map(show)));
      else if (!done.has(edge.to)) visit(edge.to);
    }
    stack.pop();
    done.add(id);
  };
  for (const id of out.keys()) if (!done.has(id)) visit(id);
}

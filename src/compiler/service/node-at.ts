/** Positions to nodes: the chain of AST nodes that enclose an offset, outermost first. */
import type { Node } from "../ast/ast.js";

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && typeof (v as Node).kind === "string" && typeof (v as Node).span === "object";
}

/**
 * The nodes of `root` whose span holds `offset` (an offset at a node's end counts, so a cursor
 * just after a name is on it), outermost first.
 */
export function nodesAt(root: Node, offset: number): Node[] {
  const path: Node[] = [];
  let current: Node | undefined = root;
  while (current) {
    path.push(current);
    let next: Node | undefined;
    for (const [key, value] of Object.entries(current)) {
      if (key === "span") continue;
      const children: unknown[] = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (isNode(child) && child.span.start <= offset && offset <= child.span.end) {
          // Of two siblings meeting at `offset`, the later one (the cursor is at its start).
          if (!next || child.span.start >= next.span.start) next = child;
        }
      }
    }
    current = next;
  }
  return path;
}

/** The innermost node at `offset` of one of `kinds`. */
export function innermost<K extends string>(path: readonly Node[], kinds: readonly K[]): (Node & { kind: K }) | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    if ((kinds as readonly string[]).includes(n.kind)) return n as Node & { kind: K };
  }
  return undefined;
}

/** Prints a workflow's graph in Graphviz DOT. */
import type { IrWorkflow } from "../../compiler/ir/ir.js";
import { buildDiagram, type DiagramItem, type NodeState, type Shape } from "./diagram.js";

const STATE_FILL: Readonly<Record<NodeState, string>> = {
  done: "#d3f9d8",
  running: "#d0ebff",
  failed: "#ffe3e3",
  waiting: "#fff3bf",
  cancelled: "#e9ecef",
  skipped: "#f1f3f5",
};

/** A DOT double-quoted string. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function shapeAttrs(s: Shape, label: string): string[] {
  switch (s) {
    case "box":
      return ["shape=box", "style=rounded"];
    case "hexagon":
      return ["shape=hexagon"];
    case "diamond":
      return ["shape=diamond"];
    case "subroutine":
      return ["shape=box", "peripheries=2"];
    case "point":
      return label === "" ? ["shape=point", "width=0.12"] : ["shape=circle", "fontsize=10"];
    case "stadium":
      return ["shape=box", "style=rounded", "peripheries=1", "penwidth=2"];
    case "flag":
      return ["shape=cds"];
    case "parallelogram":
      return ["shape=parallelogram"];
    case "bar":
      return ["shape=box", "style=filled", "fillcolor=black", "fontcolor=white", "height=0.1", "fontsize=9"];
  }
}

/** The first node inside a cluster, which edges leaving the cluster start from (with `ltail`). */
function firstNode(list: readonly DiagramItem[]): string | undefined {
  for (const item of list) {
    if (item.type === "node") return item.id;
    const inner = firstNode(item.items);
    if (inner) return inner;
  }
  return undefined;
}

function render(list: readonly DiagramItem[], indent: string, out: string[], clusters: Map<string, string>): void {
  for (const item of list) {
    if (item.type === "node") {
      const attrs = [`label=${quote(item.label)}`, ...shapeAttrs(item.shape, item.label)];
      if (item.state) {
        const style = attrs.find((a) => a.startsWith("style="));
        const styles = ["filled", ...(style ? [style.slice("style=".length)] : [])];
        const kept = attrs.filter((a) => !a.startsWith("style=") && !a.startsWith("fillcolor="));
        kept.push(`style=${quote(styles.join(","))}`, `fillcolor=${quote(STATE_FILL[item.state])}`);
        if (item.state === "skipped") kept.push("fontcolor=gray50");
        out.push(`${indent}${item.id} [${kept.join(", ")}];`);
      } else {
        out.push(`${indent}${item.id} [${attrs.join(", ")}];`);
      }
    } else {
      clusters.set(item.id, firstNode(item.items) ?? item.id);
      out.push(`${indent}subgraph cluster_${item.id} {`);
      out.push(`${indent}  label=${quote(item.label)};`);
      out.push(`${indent}  style=rounded;`);
      render(item.items, `${indent}  `, out, clusters);
      out.push(`${indent}}`);
    }
  }
}

/** The DOT digraph of `workflow`, with the same shapes and states as `toMermaid`. */
export function toDot(workflow: IrWorkflow, state?: ReadonlyMap<string, NodeState>): string {
  const diagram = buildDiagram(workflow, state);
  const out = [
    `digraph ${quote(diagram.title)} {`,
    "  rankdir=TB;",
    "  compound=true;",
    '  fontname="Helvetica";',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  const clusters = new Map<string, string>();
  render(diagram.items, "  ", out, clusters);
  for (const e of diagram.edges) {
    const attrs: string[] = [];
    let from = e.from;
    const cluster = clusters.get(e.from);
    if (cluster !== undefined) {
      attrs.push(`ltail=cluster_${e.from}`);
      from = cluster;
    }
    if (e.label !== undefined) attrs.push(`label=${quote(e.label)}`);
    if (e.dashed) attrs.push("style=dashed");
    out.push(`  ${from} -> ${e.to}${attrs.length > 0 ? ` [${attrs.join(", ")}]` : ""};`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

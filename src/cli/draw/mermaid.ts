/** Prints a workflow's graph as a Mermaid `flowchart TD`. */
import type { IrWorkflow } from "../../compiler/ir/ir.js";
import { buildDiagram, type DiagramItem, type NodeState, type Shape } from "./diagram.js";

/** Mermaid class definitions for run states. */
const STATE_STYLES: Readonly<Record<NodeState, string>> = {
  done: "fill:#d3f9d8,stroke:#2b8a3e,color:#000",
  running: "fill:#d0ebff,stroke:#1971c2,color:#000",
  failed: "fill:#ffe3e3,stroke:#c92a2a,color:#000",
  waiting: "fill:#fff3bf,stroke:#e67700,color:#000",
  cancelled: "fill:#e9ecef,stroke:#495057,color:#000",
  skipped: "fill:#f1f3f5,stroke:#adb5bd,color:#868e96,stroke-dasharray:4 3",
};

/** A label as a Mermaid quoted string (`"` and `#` are entity-escaped; never empty). */
function quote(label: string): string {
  const text = label.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
  return `"${text === "" ? " " : text}"`;
}

function shape(s: Shape, label: string): string {
  const q = quote(label);
  switch (s) {
    case "box":
      return `[${q}]`;
    case "hexagon":
      return `{{${q}}}`;
    case "diamond":
      return `{${q}}`;
    case "subroutine":
      return `[[${q}]]`;
    case "point":
      return `((${q}))`;
    case "stadium":
      return `([${q}])`;
    case "flag":
      return `>${q}]`;
    case "parallelogram":
      return `[/${q}/]`;
    case "bar":
      return `[${q}]`;
  }
}

function items(list: readonly DiagramItem[], indent: string, out: string[], states: Map<NodeState, string[]>): void {
  for (const item of list) {
    if (item.type === "node") {
      out.push(`${indent}${item.id}${shape(item.shape, item.label)}`);
      if (item.state) {
        const ids = states.get(item.state) ?? [];
        ids.push(item.id);
        states.set(item.state, ids);
      }
    } else {
      out.push(`${indent}subgraph ${item.id} [${quote(item.label)}]`);
      items(item.items, `${indent}  `, out, states);
      out.push(`${indent}end`);
    }
  }
}

/**
 * The Mermaid flowchart of `workflow`: steps as boxes (`name: sh`, `name: coder.ask`), approve gates
 * as hexagons, sub-workflow calls as subroutines, `if`/`until` as diamonds, loops, `parallel` and
 * `try`/`catch` as subgraphs. With `state`, step nodes are coloured by their state in a run.
 */
export function toMermaid(workflow: IrWorkflow, state?: ReadonlyMap<string, NodeState>): string {
  const diagram = buildDiagram(workflow, state);
  const out = ["flowchart TD"];
  const states = new Map<NodeState, string[]>();
  items(diagram.items, "  ", out, states);
  for (const e of diagram.edges) {
    const label = e.label === undefined ? "" : `|${quote(e.label)}|`;
    out.push(`  ${e.from} ${e.dashed ? "-.->" : "-->"}${label} ${e.to}`);
  }
  for (const [name, ids] of states) {
    out.push(`  classDef ${name} ${STATE_STYLES[name]}`);
    out.push(`  class ${ids.join(",")} ${name}`);
  }
  return `${out.join("\n")}\n`;
}

/**
 * Turns one IR workflow into a neutral diagram (shaped nodes, nested clusters, labelled edges) that
 * `mermaid.ts` and `dot.ts` print. Compound nodes are drawn from their fields (arms, branches, loop
 * bodies); within a region, the IR's own edges and labels are drawn as they are.
 */
import type { EdgeLabel, IrNode, IrRegion, IrWorkflow } from "../../compiler/ir/ir.js";
import { agentText, exprText, shorten } from "./expr-text.js";

/** A node's state in a run, for colouring. */
export type NodeState = "done" | "running" | "failed" | "waiting" | "cancelled" | "skipped";

export type Shape =
  /** A step that runs a command or asks an agent. */
  | "box"
  /** A human gate (`approve`). */
  | "hexagon"
  /** A decision (`if`, `until`). */
  | "diamond"
  /** A sub-workflow call. */
  | "subroutine"
  /** A join or loop point, drawn small. */
  | "point"
  /** Start, end, return. */
  | "stadium"
  /** `fail`, `escalate`. */
  | "flag"
  /** `let`, `agent` bindings. */
  | "parallelogram"
  /** Fork and join of a `parallel`. */
  | "bar";

export interface DiagramNode {
  readonly type: "node";
  readonly id: string;
  readonly label: string;
  readonly shape: Shape;
  readonly state?: NodeState;
}

export interface DiagramCluster {
  readonly type: "cluster";
  readonly id: string;
  readonly label: string;
  readonly items: DiagramItem[];
}

export type DiagramItem = DiagramNode | DiagramCluster;

export interface DiagramEdge {
  /** A node id, or a cluster id (an edge leaving the whole cluster, such as a try block's failure). */
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly dashed: boolean;
}

export interface Diagram {
  readonly title: string;
  readonly items: DiagramItem[];
  readonly edges: DiagramEdge[];
}

/** Diagram ids: IR ids made safe for Mermaid and DOT, prefixed so that no id is a keyword (`end`). */
function safeId(id: string): string {
  return `n_${id.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

function actionLabel(node: Extract<IrNode, { kind: "step" }>): { label: string; shape: Shape } {
  const action = node.action;
  switch (action.kind) {
    case "sh":
      return { label: `${node.name}: sh`, shape: "box" };
    case "ask":
      return { label: `${node.name}: ${agentText(action.agent)}.ask`, shape: "box" };
    case "approve":
      return { label: `${node.name}: approve`, shape: "hexagon" };
    case "call": {
      const colon = action.workflow.lastIndexOf(":");
      return { label: `${node.name}: ${action.workflow.slice(colon + 1)}`, shape: "subroutine" };
    }
  }
}

/** Where edges enter and leave a drawn IR node. */
interface Ports {
  readonly in: string;
  readonly out: string;
}

class Builder {
  readonly edges: DiagramEdge[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly state: ReadonlyMap<string, NodeState> | undefined) {}

  /** A fresh diagram id derived from `base`. */
  id(base: string): string {
    let id = safeId(base);
    for (let n = 2; this.used.has(id); n++) id = `${safeId(base)}_${n}`;
    this.used.add(id);
    return id;
  }

  edge(from: string, to: string, label?: string, dashed = false): void {
    this.edges.push({ from, to, ...(label !== undefined ? { label } : {}), dashed });
  }

  /**
   * Draws `region` into `items`: its nodes, then its edges, with `entry` mapped to `from` (edges
   * leaving it labelled `fromLabel` when given) and `exit` to `to`.
   */
  region(region: IrRegion, items: DiagramItem[], from: string, fromLabel: string | undefined, to: string): void {
    const ports = new Map<string, Ports>();
    for (const node of region.nodes) ports.set(node.id, this.node(node, items));
    const edges =
      region.edges.length > 0 || region.nodes.length === 0
        ? region.edges
        : sequence(region.nodes.map((n) => n.id));
    if (edges.length === 0) this.edge(from, to, fromLabel);
    for (const e of edges) {
      const src = e.from === "entry" ? from : ports.get(e.from)?.out;
      const dst = e.to === "exit" ? to : ports.get(e.to)?.in;
      // Edges into sub-regions are drawn from the compound node's own fields.
      if (src === undefined || dst === undefined) continue;
      const label = e.from === "entry" && fromLabel !== undefined ? fromLabel : edgeText(e.on);
      this.edge(src, dst, label, e.on === "failure");
    }
  }

  private node(node: IrNode, items: DiagramItem[]): Ports {
    switch (node.kind) {
      case "step": {
        const id = this.id(node.id);
        const { label, shape } = actionLabel(node);
        const state = this.state?.get(node.id);
        items.push({ type: "node", id, label, shape, ...(state ? { state } : {}) });
        return { in: id, out: id };
      }
      case "let":
        return this.simple(node.id, items, `${node.value.k === "agent" ? "agent" : "let"} ${node.name}`, "parallelogram");
      case "fail":
        return this.simple(node.id, items, `fail: ${shorten(exprText(node.message), 30)}`, "flag");
      case "escalate":
        return this.simple(node.id, items, `escalate: ${shorten(exprText(node.message), 30)}`, "flag");
      case "return":
        return this.simple(node.id, items, node.value ? `return ${shorten(exprText(node.value), 30)}` : "return", "stadium");
      case "if": {
        const join = this.id(`${node.id}_end`);
        let decision = "";
        let first = "";
        node.arms.forEach((arm, i) => {
          const id = this.id(i === 0 ? node.id : `${node.id}_arm${i}`);
          items.push({ type: "node", id, label: `${i === 0 ? "if" : "else if"} ${shorten(exprText(arm.condition))}`, shape: "diamond" });
          if (i === 0) first = id;
          else this.edge(decision, id, "false");
          this.region(arm.region, items, id, "true", join);
          decision = id;
        });
        if (node.otherwise) this.region(node.otherwise, items, decision, "false", join);
        else this.edge(decision, join, "false");
        items.push({ type: "node", id: join, label: "", shape: "point" });
        return { in: first, out: join };
      }
      case "parallel": {
        const cluster = this.cluster(`${node.id}_box`, node.limit ? `parallel ${shorten(exprText(node.limit))}` : "parallel", items);
        const fork = this.id(node.id);
        const join = this.id(`${node.id}_join`);
        cluster.items.push({ type: "node", id: fork, label: "fork", shape: "bar" });
        for (const branch of node.branches) this.region(branch, cluster.items, fork, undefined, join);
        cluster.items.push({ type: "node", id: join, label: "join", shape: "bar" });
        return { in: fork, out: join };
      }
      case "for": {
        const limit = node.limit ? ` ${shorten(exprText(node.limit))}` : "";
        const label = `for ${node.variable} in ${shorten(exprText(node.items))}${node.parallel ? ` parallel${limit}` : ""}`;
        const cluster = this.cluster(`${node.id}_box`, label, items);
        const head = this.id(node.id);
        const tail = this.id(`${node.id}_end`);
        cluster.items.push({ type: "node", id: head, label: `each ${node.variable}`, shape: "point" });
        this.region(node.body, cluster.items, head, undefined, tail);
        cluster.items.push({ type: "node", id: tail, label: "", shape: "point" });
        if (!node.parallel) this.edge(tail, head, "next", true);
        return { in: head, out: tail };
      }
      case "repeat": {
        const until = shorten(exprText(node.until));
        const cluster = this.cluster(`${node.id}_box`, `repeat max ${shorten(exprText(node.max))} … until ${until}`, items);
        const head = this.id(node.id);
        const test = this.id(`${node.id}_until`);
        const join = this.id(`${node.id}_end`);
        cluster.items.push({ type: "node", id: head, label: "round", shape: "point" });
        this.region(node.body, cluster.items, head, undefined, test);
        cluster.items.push({ type: "node", id: test, label: `until ${until}`, shape: "diamond" });
        this.edge(test, head, "false", true);
        this.edge(test, join, "true");
        if (node.otherwise) {
          const otherwise = this.cluster(`${node.id}_else`, "else", items);
          this.region(node.otherwise, otherwise.items, test, "exhausted", join);
        } else {
          const exhausted = this.id(`${node.id}_exhausted`);
          items.push({ type: "node", id: exhausted, label: "fail: exhausted", shape: "flag" });
          this.edge(test, exhausted, "exhausted");
        }
        items.push({ type: "node", id: join, label: "", shape: "point" });
        return { in: head, out: join };
      }
      case "try": {
        const body = this.cluster(`${node.id}_box`, "try", items);
        const head = this.id(node.id);
        const join = this.id(`${node.id}_end`);
        body.items.push({ type: "node", id: head, label: "try", shape: "point" });
        this.region(node.body, body.items, head, undefined, join);
        const handler = this.cluster(`${node.id}_catch`, `catch ${node.errorName}`, items);
        const caught = this.id(`${node.id}_caught`);
        handler.items.push({ type: "node", id: caught, label: node.errorName, shape: "point" });
        this.edge(body.id, caught, "failure", true);
        this.region(node.handler, handler.items, caught, undefined, join);
        items.push({ type: "node", id: join, label: "", shape: "point" });
        return { in: head, out: join };
      }
    }
  }

  private simple(irId: string, items: DiagramItem[], label: string, shape: Shape): Ports {
    const id = this.id(irId);
    items.push({ type: "node", id, label, shape });
    return { in: id, out: id };
  }

  private cluster(base: string, label: string, items: DiagramItem[]): DiagramCluster {
    const cluster: DiagramCluster = { type: "cluster", id: this.id(base), label, items: [] };
    items.push(cluster);
    return cluster;
  }
}

function edgeText(on: EdgeLabel): string | undefined {
  return on === "success" ? undefined : on;
}

function sequence(ids: readonly string[]): { from: string; to: string; on: EdgeLabel }[] {
  const points = ["entry", ...ids, "exit"];
  return points.slice(1).map((to, i) => ({ from: points[i]!, to, on: "success" as const }));
}

/**
 * The diagram of `workflow`, from a start point to an end point. `state` maps IR node ids (step
 * names) to their state in a run; those nodes carry it.
 */
export function buildDiagram(workflow: IrWorkflow, state?: ReadonlyMap<string, NodeState>): Diagram {
  const b = new Builder(state);
  const start = b.id("start");
  const end = b.id("end");
  const items: DiagramItem[] = [{ type: "node", id: start, label: `start ${workflow.name}`, shape: "stadium" }];
  b.region(workflow.body, items, start, undefined, end);
  items.push({ type: "node", id: end, label: "end", shape: "stadium" });
  return { title: workflow.name, items, edges: b.edges };
}

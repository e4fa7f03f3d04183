/**
 * Rerun from a step: which of the original run's journal events a new run starts with, so that it
 * reuses what came before the step and runs the step and what follows it again.
 */
import type { IrExpr, IrNode, IrRegion, IrStepOptions, IrWorkflow } from "../../compiler/ir/ir.js";
import { topNodeIdOfKey } from "../scheduler/step-keys.js";
import type { JournalEvent, JournalEventBody } from "../store/types.js";

/**
 * The names of `workflow` (steps, lets, loop variables) whose value may change when the parameters
 * in `changed` do: what refers to them, directly, through another name, or through a condition or
 * loop it sits in. Flow-insensitive, so it may say too much, never too little.
 */
export function affectedBy(workflow: IrWorkflow, changed: ReadonlySet<string>): Set<string> {
  const uses = new Map<string, Set<string>>();
  const define = (name: string, names: Set<string>) => {
    const set = uses.get(name) ?? new Set<string>();
    for (const n of names) set.add(n);
    uses.set(name, set);
  };
  const visit = (region: IrRegion, control: ReadonlySet<string>): void => {
    for (const node of region.nodes) visitNode(node, control, define, visit);
  };
  visit(workflow.body, new Set());
  for (const param of workflow.params) if (param.default) define(param.name, namesOf([param.default]));
  const affected = new Set(changed);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, deps] of uses) {
      if (!affected.has(name) && [...deps].some((d) => affected.has(d))) {
        affected.add(name);
        grew = true;
      }
    }
  }
  return affected;
}

function visitNode(
  node: IrNode,
  control: ReadonlySet<string>,
  define: (name: string, names: Set<string>) => void,
  visit: (region: IrRegion, control: ReadonlySet<string>) => void,
): void {
  const under = (exprs: readonly (IrExpr | undefined)[]) => new Set([...control, ...namesOf(exprs)]);
  switch (node.kind) {
    case "let":
      return define(node.name, under([node.value]));
    case "step":
      return define(node.name, under([...actionExprs(node.action), ...optionExprs(node.options)]));
    case "if": {
      const inner = under(node.arms.map((arm) => arm.condition));
      node.arms.forEach((arm) => visit(arm.region, inner));
      if (node.otherwise) visit(node.otherwise, inner);
      return;
    }
    case "for": {
      const inner = under([node.items, node.limit]);
      define(node.variable, inner);
      return visit(node.body, inner);
    }
    case "repeat": {
      const inner = under([node.max, node.until]);
      visit(node.body, inner);
      if (node.otherwise) visit(node.otherwise, inner);
      return;
    }
    case "parallel": {
      const inner = under([node.limit]);
      return node.branches.forEach((branch) => visit(branch, inner));
    }
    case "try": {
      visit(node.body, control);
      const inner = new Set([...control, ...node.steps]);
      define(node.errorName, inner);
      return visit(node.handler, inner);
    }
    default:
      return;
  }
}

function actionExprs(action: Extract<IrNode, { kind: "step" }>["action"]): (IrExpr | undefined)[] {
  switch (action.kind) {
    case "sh":
      return [action.command, action.cwd, action.env, action.stdin, action.check];
    case "ask":
      return [action.agent, action.prompt, action.session, action.interactive, action.files];
    case "approve":
      return [action.question, typeof action.onTimeout === "string" ? undefined : action.onTimeout];
    case "call":
      return Object.values(action.args);
  }
}

function optionExprs(options: IrStepOptions): (IrExpr | undefined)[] {
  return [options.timeout, options.retry, options.backoff, options.label];
}

/** The workflow-local names an expression reads (`prev(step)` reads `step`). */
function namesOf(exprs: readonly (IrExpr | undefined)[]): Set<string> {
  const names = new Set<string>();
  const walk = (e: IrExpr | undefined): void => {
    if (!e) return;
    switch (e.k) {
      case "name":
        names.add(e.name);
        return;
      case "prev":
        names.add(e.step);
        return;
      case "str":
        for (const part of e.parts) if (typeof part !== "string") walk(part.expr);
        return;
      case "field":
        return walk(e.object);
      case "index":
        walk(e.object);
        return walk(e.index);
      case "unary":
        return walk(e.operand);
      case "binary":
        walk(e.left);
        return walk(e.right);
      case "list":
        return e.items.forEach(walk);
      case "record":
        return e.fields.forEach((f) => walk(f.value));
      case "call":
        return e.args.forEach(walk);
      case "agent":
        return Object.values(e.options).forEach(walk);
      default:
        return;
    }
  };
  exprs.forEach(walk);
  return names;
}

/** What a new run copies of the original's journal, and which step instances it reuses. */
export interface RerunPlan {
  readonly events: JournalEventBody[];
  readonly reused: string[];
}

/**
 * The events a rerun from step `from` starts with: of everything the original journaled before
 * `from` first started, the step instances that succeeded (their start, result and any gate
 * decision) unless `affected` names their step, and what the world-reading built-ins returned
 * outside the steps run again (so loops go over the same items and reused results bind to the
 * same keys).
 */
export function planRerun(events: readonly JournalEvent[], from: string, affected: ReadonlySet<string>): RerunPlan {
  const start = events.findIndex((e) => e.type === "step-started" && topNodeIdOfKey(e.key) === from);
  const before = start < 0 ? events : events.slice(0, start);
  const reusable = new Set<string>();
  for (const e of before) {
    if (e.type === "step-finished" && !affected.has(topNodeIdOfKey(e.key))) reusable.add(e.key);
  }
  const copied: JournalEventBody[] = [];
  for (const e of before) {
    if (e.type === "observed") {
      const attempt = / attempt \d+ /.exec(e.key);
      if (attempt && !reusable.has(e.key.slice(0, attempt.index))) continue;
      copied.push(bodyOf(e));
    } else if ((e.type === "step-started" || e.type === "step-finished" || e.type === "waiting" || e.type === "decided") && reusable.has(e.key)) {
      copied.push(bodyOf(e));
    }
  }
  return { events: copied, reused: [...reusable] };
}

function bodyOf(e: JournalEvent): JournalEventBody {
  const { seq: _seq, at: _at, ...body } = e;
  return body as JournalEventBody;
}

/**
 * Lowering: the checked program (AST plus the checker's side tables) to the IR of `ir.ts`.
 * Runs only on programs without errors. Every workflow of the root module is included, plus every
 * workflow they call and every top-level `let`/`agent` they read, transitively.
 */
import type { Block, Expr, Node, Stmt, StepStmt, WorkflowDecl } from "../ast/ast.js";
import type { CheckedProgram, WorkflowSym } from "../check/model.js";
import { symbolId } from "../check/model.js";
import { COMMON_OPTION_NAMES } from "../check/builtins.js";
import { stepsIn } from "../check/walk.js";
import { T } from "../types.js";
import {
  IR_VERSION,
  type EdgeLabel,
  type IrAction,
  type IrEdge,
  type IrExpr,
  type IrNode,
  type IrParam,
  type IrProgram,
  type IrRegion,
  type IrSpan,
  type IrStepOptions,
  type IrStrPart,
  type IrWorkflow,
} from "./ir.js";
import { LineIndex } from "../line-index.js";

/** Lowers a checked program without errors to its IR. */
export function lowerProgram(program: CheckedProgram): IrProgram {
  return new Lowerer(program).run();
}

class Lowerer {
  private readonly workflows: Record<string, IrWorkflow> = {};
  private readonly globals: Record<string, IrExpr> = {};
  private readonly pending: WorkflowSym[] = [];
  private readonly queued = new Set<string>();
  private readonly lines = new Map<string, LineIndex>();

  constructor(private readonly program: CheckedProgram) {}

  run(): IrProgram {
    const root = this.program.modules.get(this.program.root);
    for (const decl of root?.ast?.decls ?? []) {
      if (decl.kind === "WorkflowDecl") this.enqueue({ kind: "workflow", module: this.program.root, decl });
    }
    while (this.pending.length > 0) {
      const sym = this.pending.shift()!;
      const w = new WorkflowLowerer(this, sym).lower();
      this.workflows[w.id] = w;
    }
    return { version: IR_VERSION, root: this.program.root, workflows: this.workflows, globals: this.globals };
  }

  get checked(): CheckedProgram {
    return this.program;
  }

  enqueue(sym: WorkflowSym): string {
    const id = symbolId(sym.module, sym.decl.name.name);
    if (!this.queued.has(id)) {
      this.queued.add(id);
      this.pending.push(sym);
    }
    return id;
  }

  span(file: string, node: Node): IrSpan {
    let index = this.lines.get(file);
    if (!index) {
      index = new LineIndex(this.program.modules.get(file)?.source ?? "");
      this.lines.set(file, index);
    }
    const { line, column } = index.position(node.span.start);
    return { file, start: node.span.start, end: node.span.end, line, column };
  }

  /** Makes sure the global `id` (`<module>:<name>`) is lowered into `globals`. */
  global(id: string): void {
    if (Object.hasOwn(this.globals, id)) return;
    const at = id.lastIndexOf(":");
    const module = id.slice(0, at);
    const sym = this.program.modules.get(module)?.declared.get(id.slice(at + 1));
    this.globals[id] = { k: "lit", value: null };
    if (sym?.kind === "let" || sym?.kind === "agent") this.globals[id] = this.expr(sym.decl.value);
  }

  /** Lowers an expression (names resolved by the checker). */
  expr(e: Expr): IrExpr {
    const p = this.program;
    switch (e.kind) {
      case "StringLit": {
        if (e.parts.every((x) => x.kind === "TextPart")) return { k: "lit", value: e.parts.map((x) => (x.kind === "TextPart" ? x.value : "")).join("") };
        // Command text written for a `command`: its values are quoted like an `sh` command's.
        if (p.exprTypes.get(e)?.kind === "command") return { k: "str", parts: this.strParts(e), shell: true };
        return { k: "str", parts: this.strParts(e) };
      }
      case "NumberLit":
        return { k: "lit", value: e.value };
      case "DurationLit":
        return { k: "lit", value: e.ms };
      case "BoolLit":
        return { k: "lit", value: e.value };
      case "NoneLit":
        return { k: "lit", value: null };
      case "ListLit":
        return { k: "list", items: e.items.map((i) => this.expr(i)) };
      case "RecordLit":
        return { k: "record", fields: e.fields.map((f) => ({ name: f.name.name, value: this.expr(f.value) })) };
      case "NameExpr": {
        const res = p.names.get(e);
        if (res?.kind === "global") {
          this.global(res.id);
          return { k: "global", id: res.id };
        }
        return { k: "name", name: e.name.name };
      }
      case "MemberExpr":
        return { k: "field", object: this.expr(e.object), name: e.name.name, optional: e.optional };
      case "IndexExpr":
        return { k: "index", object: this.expr(e.object), index: this.expr(e.index) };
      case "CallExpr": {
        const res = p.calls.get(e);
        if (!res) return { k: "lit", value: null };
        switch (res.kind) {
          case "builtin":
            return { k: "call", fn: res.fn, args: res.args.map((a) => this.expr(a)) };
          case "prev":
            return { k: "prev", step: res.step };
          case "ctor": {
            const options: Record<string, IrExpr> = {};
            for (const [name, value] of res.args) options[name] = this.expr(value);
            return { k: "agent", ctor: res.ctor, options };
          }
        }
        return { k: "lit", value: null };
      }
      case "UnaryExpr":
        return { k: "unary", op: e.op, operand: this.expr(e.operand) };
      case "BinaryExpr": {
        const l = p.exprTypes.get(e.left);
        const r = p.exprTypes.get(e.right);
        const int = l?.kind === "int" && r?.kind === "int";
        return { k: "binary", op: e.op, left: this.expr(e.left), right: this.expr(e.right), ...(int ? { int: true } : {}) };
      }
      case "TypeValue":
        throw new Error("a type is not lowered as a value"); // the checker reported it
    }
  }

  /** The parts of an interpolated string; durations are marked so they print as `20m`. */
  strParts(e: Extract<Expr, { kind: "StringLit" }>): IrStrPart[] {
    const parts: IrStrPart[] = [];
    for (const part of e.parts) {
      if (part.kind === "TextPart") {
        const last = parts.length - 1;
        if (last >= 0 && typeof parts[last] === "string") parts[last] = (parts[last] as string) + part.value;
        else parts.push(part.value);
      } else {
        const t = this.program.exprTypes.get(part.expr);
        parts.push({ expr: this.expr(part.expr), as: t?.kind === "duration" ? "duration" : t?.kind === "command" ? "command" : "text" });
      }
    }
    return parts;
  }
}

/** Lowers one workflow; owns the per-kind counters that name its non-step nodes. */
class WorkflowLowerer {
  private readonly counters = new Map<string, number>();
  private readonly file: string;

  constructor(
    private readonly l: Lowerer,
    private readonly sym: WorkflowSym,
  ) {
    this.file = sym.module;
  }

  lower(): IrWorkflow {
    const decl: WorkflowDecl = this.sym.decl;
    const p = this.l.checked;
    const params: IrParam[] = decl.params.map((param) => ({
      name: param.name.name,
      type: p.paramTypes.get(param) ?? T.unknown,
      ...(param.default ? { default: this.l.expr(param.default) } : {}),
    }));
    const returns = p.returnTypes.get(decl);
    return {
      id: symbolId(this.sym.module, decl.name.name),
      name: decl.name.name,
      module: this.sym.module,
      exported: decl.exported,
      ...(decl.doc !== undefined ? { doc: decl.doc } : {}),
      params,
      ...(returns ? { returns } : {}),
      body: this.region("body", decl.body.statements),
      span: this.l.span(this.file, decl.name),
    };
  }

  private nextId(kind: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}_${n}`;
  }

  /** A region of statements in sequence, with the edges into each compound node's sub-regions. */
  private region(id: string, statements: readonly Stmt[]): IrRegion {
    const nodes: IrNode[] = [];
    const edges: IrEdge[] = [];
    for (const stmt of statements) this.stmt(stmt, nodes, edges);
    const chain: IrEdge[] = [];
    let from = "entry";
    let labels: EdgeLabel[] = ["success"];
    for (const node of nodes) {
      for (const on of labels) chain.push({ from, to: node.id, on });
      from = node.id;
      labels = node.kind === "step" && node.action.kind === "approve" ? ["approved", "rejected"] : ["success"];
    }
    for (const on of labels) chain.push({ from, to: "exit", on });
    return { id, nodes, edges: [...chain, ...edges] };
  }

  private span(node: Node): IrSpan {
    return this.l.span(this.file, node);
  }

  private stmt(stmt: Stmt, nodes: IrNode[], edges: IrEdge[]): void {
    const l = this.l;
    switch (stmt.kind) {
      case "StepStmt": {
        const node = this.step(stmt);
        if (node) nodes.push(node);
        return;
      }
      case "LetStmt":
      case "AgentStmt":
        nodes.push({ id: this.nextId("let"), span: this.span(stmt), kind: "let", name: stmt.name.name, value: l.expr(stmt.value) });
        return;
      case "IfStmt": {
        const id = this.nextId("if");
        const arms: { condition: IrExpr; region: IrRegion }[] = [];
        let current: typeof stmt | undefined = stmt;
        let otherwise: Block | undefined;
        while (current) {
          const region = this.region(`${id}.arm${arms.length + 1}`, current.then.statements);
          arms.push({ condition: l.expr(current.condition), region });
          edges.push({ from: id, to: region.id, on: "true" });
          const next: Block | typeof stmt | undefined = current.otherwise;
          if (next?.kind === "IfStmt") current = next;
          else {
            otherwise = next;
            current = undefined;
          }
        }
        const elseRegion = otherwise ? this.region(`${id}.else`, otherwise.statements) : undefined;
        if (elseRegion) edges.push({ from: id, to: elseRegion.id, on: "false" });
        nodes.push({
          id,
          span: this.span(stmt),
          kind: "if",
          arms,
          ...(elseRegion ? { otherwise: elseRegion } : {}),
          steps: stepNames([stmt]),
        });
        return;
      }
      case "ParallelStmt": {
        const id = this.nextId("parallel");
        const branches = stmt.branches.map((b, i) =>
          this.region(`${id}.branch${i + 1}`, b.kind === "BlockStmt" ? b.block.statements : [b]),
        );
        for (const b of branches) edges.push({ from: id, to: b.id, on: "success" });
        nodes.push({ id, span: this.span(stmt), kind: "parallel", ...(stmt.limit ? { limit: l.expr(stmt.limit) } : {}), branches });
        return;
      }
      case "BlockStmt":
        for (const s of stmt.block.statements) this.stmt(s, nodes, edges);
        return;
      case "ForStmt": {
        const id = this.nextId("for");
        const items = l.expr(stmt.iterable);
        const limit = stmt.limit ? l.expr(stmt.limit) : undefined;
        const body = this.region(`${id}.body`, stmt.body.statements);
        edges.push({ from: id, to: body.id, on: "success" });
        nodes.push({
          id,
          span: this.span(stmt),
          kind: "for",
          variable: stmt.variable.name,
          items,
          parallel: stmt.parallel,
          ...(limit ? { limit } : {}),
          body,
          steps: stepNames(stmt.body.statements),
        });
        return;
      }
      case "RepeatStmt": {
        const id = this.nextId("repeat");
        const max = l.expr(stmt.max);
        const body = this.region(`${id}.body`, stmt.body.statements);
        const until = l.expr(stmt.until);
        const otherwise = stmt.otherwise ? this.region(`${id}.else`, stmt.otherwise.statements) : undefined;
        edges.push({ from: id, to: body.id, on: "success" });
        if (otherwise) edges.push({ from: id, to: otherwise.id, on: "exhausted" });
        nodes.push({
          id,
          span: this.span(stmt),
          kind: "repeat",
          max,
          body,
          until,
          ...(otherwise ? { otherwise } : {}),
          steps: stepNames(stmt.body.statements),
        });
        return;
      }
      case "TryStmt": {
        const id = this.nextId("try");
        const body = this.region(`${id}.body`, stmt.body.statements);
        const handler = this.region(`${id}.catch`, stmt.handler.statements);
        edges.push({ from: id, to: body.id, on: "success" }, { from: id, to: handler.id, on: "failure" });
        nodes.push({
          id,
          span: this.span(stmt),
          kind: "try",
          body,
          errorName: stmt.errorName.name,
          handler,
          steps: stepNames([stmt]),
        });
        return;
      }
      case "FailStmt":
        nodes.push({ id: this.nextId("fail"), span: this.span(stmt), kind: "fail", message: l.expr(stmt.message) });
        return;
      case "EscalateStmt":
        nodes.push({ id: this.nextId("escalate"), span: this.span(stmt), kind: "escalate", message: l.expr(stmt.message) });
        return;
      case "ReturnStmt":
        nodes.push({
          id: this.nextId("return"),
          span: this.span(stmt),
          kind: "return",
          ...(stmt.value ? { value: l.expr(stmt.value) } : {}),
        });
        return;
      case "ExprStmt":
        return;
    }
  }

  private step(stmt: StepStmt): IrNode | undefined {
    const l = this.l;
    const res = l.checked.actions.get(stmt);
    if (!res) return undefined;
    const arg = (name: string): IrExpr | undefined => {
      const e = res.args.get(name);
      return e ? l.expr(e) : undefined;
    };
    const some = <K extends string>(entries: [K, IrExpr | undefined][]): Partial<Record<K, IrExpr>> => {
      const out: Partial<Record<K, IrExpr>> = {};
      for (const [k, v] of entries) if (v) out[k] = v;
      return out;
    };
    let action: IrAction;
    let optionNames: ReadonlySet<string> = COMMON_OPTION_NAMES;
    switch (res.kind) {
      case "sh": {
        const command = res.args.get("command");
        let lowered: IrExpr;
        if (!command) lowered = { k: "lit", value: "" };
        else if (!res.shell) lowered = l.expr(command);
        else if (command.kind === "StringLit") lowered = { k: "str", parts: l.strParts(command) };
        else lowered = { k: "str", parts: [{ expr: { k: "call", fn: "raw", args: [l.expr(command)] }, as: "text" }] };
        action = {
          kind: "sh",
          command: lowered,
          shell: res.shell,
          ...some([
            ["cwd", arg("cwd")],
            ["env", arg("env")],
            ["stdin", arg("stdin")],
            ["check", arg("check")],
          ]),
        };
        break;
      }
      case "ask":
        action = {
          kind: "ask",
          agent: l.expr(res.agent),
          prompt: arg("prompt") ?? { k: "lit", value: "" },
          ...(res.output ? { output: res.output } : {}),
          ...some([
            ["session", arg("session")],
            ["interactive", arg("interactive")],
            ["files", arg("files")],
          ]),
        };
        break;
      case "approve": {
        const on = res.args.get("onTimeout");
        const literal = on?.kind === "StringLit" && on.parts.length === 1 && on.parts[0]?.kind === "TextPart" ? on.parts[0].value : undefined;
        action = {
          kind: "approve",
          question: arg("question") ?? { k: "lit", value: "" },
          // The checker holds a literal to the three values; anything else is evaluated at the gate.
          onTimeout: !on ? "fail" : literal === "fail" || literal === "approve" || literal === "reject" ? literal : l.expr(on),
        };
        break;
      }
      case "call": {
        const workflow = l.enqueue(res.workflow);
        const args: Record<string, IrExpr> = {};
        const params = res.workflow.decl.params;
        for (const param of params) {
          const given = res.args.get(param.name.name);
          args[param.name.name] = given ? l.expr(given) : param.default ? l.expr(param.default) : { k: "lit", value: null };
        }
        const names = new Set(params.map((x) => x.name.name));
        optionNames = new Set([...COMMON_OPTION_NAMES].filter((o) => !names.has(o)));
        action = { kind: "call", workflow, args };
        break;
      }
    }
    const options: IrStepOptions = some(
      (["timeout", "retry", "backoff", "label"] as const).map((o) => [o, optionNames.has(o) ? arg(o) : undefined]),
    );
    return { id: stmt.name.name, span: this.span(stmt), kind: "step", name: stmt.name.name, action, options };
  }
}

function stepNames(statements: readonly Stmt[]): string[] {
  return [...new Set(stepsIn(statements).map((s) => s.name.name))];
}

/**
 * Checking workflow bodies (LANGUAGE.md §5): statements, definite assignment of step results
 * through if/for/repeat/try/parallel, reachability (`return`/`fail`), loop bounds, `prev`, and the
 * warnings for unused bindings, unreachable statements and `until` conditions that cannot change.
 */
import type { Block, Expr, IfStmt, RepeatStmt, Stmt, TryStmt } from "../ast/ast.js";
import { FailureType, T, type Type } from "../types.js";
import { actionResultType, CALL_CHECKER, checkAction, workflowSignature } from "./calls.js";
import { Flow, Scope, topLevelCtx, withCtx, type Binding, type Ctx, type StepDef, type WorkflowCtx } from "./context.js";
import { E } from "./errors.js";
import { checkAgainst, inferExpr } from "./expressions.js";
import { symbolId, type CheckState, type ModuleInfo, type WorkflowSym } from "./model.js";
import { ACTION_NAMES } from "./builtins.js";
import { commonType } from "./type-relations.js";
import { combine, commonNarrowing, narrowingOf, narrowInPlace, NONE, withNarrowing, type Narrowing } from "./narrowing.js";
import { forEachExpr, stepsIn, typesAtEnd } from "./walk.js";
import type { VisibleName } from "./recorder.js";

const loc = (ctx: Ctx, e: { span: Expr["span"] }) => ({ file: ctx.module.key, span: e.span });

/** Checks one workflow declaration: signature, parameter defaults, body, return. */
export function checkWorkflow(state: CheckState, module: ModuleInfo, sym: WorkflowSym): void {
  const decl = sym.decl;
  const sig = workflowSignature(state, sym);
  const top = topLevelCtx(state, CALL_CHECKER, module);
  const scope = new Scope();
  for (const p of decl.params) {
    const type = state.paramTypes.get(p) ?? T.unknown;
    if (p.default) checkAgainst(top, p.default, type, `the parameter \`${p.name.name}\` is \`${typeName(type)}\``);
    if (scope.hasOwn(p.name.name)) {
      state.report(E.duplicateName({ file: module.key, span: p.name.span }, p.name.name, "in this parameter list"));
      continue;
    }
    scope.set(p.name.name, { kind: "param", name: p.name.name, type, span: p.name.span, used: false });
    state.recorder?.local({ file: module.key, span: p.name.span }, p.name.name, "param", type);
  }

  const steps = new Map<string, StepDef>();
  const wfName = decl.name.name;
  const pre = withCtx(top, scope, top.flow);
  for (const s of stepsIn(decl.body.statements)) {
    const name = s.name.name;
    if (steps.has(name) || scope.hasOwn(name)) {
      state.report(E.duplicateName({ file: module.key, span: s.name.span }, name, `in workflow \`${wfName}\``));
      continue;
    }
    steps.set(name, { stmt: s, type: actionResultType(pre, s.action) });
    state.recorder?.local({ file: module.key, span: s.name.span }, name, "step", steps.get(name)!.type);
  }

  const wf: WorkflowCtx = {
    decl,
    id: symbolId(module.key, wfName),
    name: wfName,
    steps,
    ...(sig.returns ? { returns: sig.returns } : {}),
  };
  const ctx: Ctx = { state, calls: CALL_CHECKER, module, wf, scope, flow: new Flow(), repeats: [] };
  const completes = checkStatements(ctx, decl.body.statements, false);
  if (completes && sig.returns) state.report(E.missingReturn({ file: module.key, span: decl.name.span }, wfName, sig.returns));
  warnUnused(ctx, scope);
}

function typeName(t: Type): string {
  return t.kind === "record" && t.name ? t.name : t.kind;
}

function warnUnused(ctx: Ctx, scope: Scope): void {
  for (const [, b] of scope.ownEntries()) {
    if (b.used || b.name.startsWith("_")) continue;
    if (b.kind === "param" || b.kind === "let" || b.kind === "agent") {
      ctx.state.report(E.unused({ file: ctx.module.key, span: b.span }, b.kind === "param" ? "parameter" : b.kind, b.name));
    }
  }
}

/** Checks statements in a new block scope (unless `newScope` is false); returns whether their end is reachable. */
function checkStatements(ctx: Ctx, statements: readonly Stmt[], newScope = true): boolean {
  const inner = newScope ? withCtx(ctx, new Scope(ctx.scope), ctx.flow) : ctx;
  let reachable = true;
  let stoppedBy: "return" | "fail" | "branches" = "return";
  let warned = false;
  const recorder = ctx.state.recorder;
  for (const stmt of statements) {
    if (!stmt) continue;
    recorder?.visible(ctx.module.key, stmt, false, () => visibleNames(inner));
    if (!reachable && !warned) {
      ctx.state.report(E.unreachable(loc(ctx, stmt), stoppedBy));
      warned = true;
    }
    const completes = checkStmt(inner, stmt);
    if (!completes && reachable) {
      reachable = false;
      stoppedBy = stmt.kind === "ReturnStmt" ? "return" : stmt.kind === "FailStmt" ? "fail" : "branches";
    }
  }
  const last = statements[statements.length - 1];
  if (last) recorder?.visible(ctx.module.key, last, true, () => visibleNames(inner));
  if (newScope) warnUnused(inner, inner.scope);
  return reachable;
}

/** The local values and step results visible in `ctx`, innermost first. */
function visibleNames(ctx: Ctx): VisibleName[] {
  const out: VisibleName[] = [];
  for (const name of ctx.scope.names()) {
    const b = ctx.scope.lookup(name)!;
    out.push({ name, kind: b.kind, type: b.type });
  }
  for (const name of ctx.flow.names()) {
    if (ctx.scope.lookup(name) === undefined) out.push({ name, kind: "step", type: ctx.flow.lookup(name)! });
  }
  return out;
}

function checkBlock(ctx: Ctx, block: Block): boolean {
  return checkStatements(ctx, block.statements);
}

/** Adds a local binding, reporting a clash with a visible local or a step of the workflow. */
function bind(ctx: Ctx, b: Binding): void {
  if (ctx.scope.lookup(b.name) || ctx.wf?.steps.has(b.name)) {
    ctx.state.report(E.duplicateName({ file: ctx.module.key, span: b.span }, b.name, ctx.wf ? `in workflow \`${ctx.wf.name}\`` : "here"));
    if (ctx.scope.hasOwn(b.name)) return;
  }
  ctx.scope.set(b.name, b);
  ctx.state.recorder?.local({ file: ctx.module.key, span: b.span }, b.name, b.kind, b.type);
}

/** The context for a branch: its own scope, and a flow layered over `under` (the current flow). */
function fork(ctx: Ctx, under: Flow = ctx.flow): Ctx {
  return withCtx(ctx, new Scope(ctx.scope), new Flow(under));
}

/** The steps a branch's flow (a layer over `before`) added, not only narrowed, in their order. */
function newSteps(before: Flow, after: Flow): [string, Type][] {
  const out: [string, Type][] = [];
  for (const [name, type] of after.ownEntries()) if (before.lookup(name) === undefined) out.push([name, type]);
  return out;
}

/** Checks one statement; returns whether execution can continue after it. */
function checkStmt(ctx: Ctx, stmt: Stmt): boolean {
  switch (stmt.kind) {
    case "StepStmt": {
      checkAction(ctx, stmt);
      const def = ctx.wf?.steps.get(stmt.name.name);
      if (def && def.stmt === stmt) ctx.flow.set(stmt.name.name, def.type);
      return true;
    }
    case "LetStmt": {
      const type = inferExpr(ctx, stmt.value);
      bind(ctx, { kind: "let", name: stmt.name.name, type, span: stmt.name.span, used: false });
      return true;
    }
    case "AgentStmt": {
      checkAgainst(ctx, stmt.value, T.agent, "an agent is made by a constructor such as `claude(…)`");
      bind(ctx, { kind: "agent", name: stmt.name.name, type: T.agent, span: stmt.name.span, used: false });
      return true;
    }
    case "IfStmt":
      return checkIf(ctx, stmt);
    case "ParallelStmt": {
      if (stmt.limit) checkParallelLimit(ctx, stmt.limit);
      let all = true;
      const added: [string, Type][] = [];
      for (const branch of stmt.branches) {
        const b = fork(ctx);
        const done = branch.kind === "BlockStmt" ? checkBlock(b, branch.block) : checkStatements(b, [branch]);
        all &&= done;
        added.push(...newSteps(ctx.flow, b.flow));
      }
      for (const [name, t] of added) ctx.flow.set(name, t);
      return all;
    }
    case "BlockStmt":
      return checkBlock(ctx, stmt.block);
    case "ForStmt": {
      const items = inferExpr(ctx, stmt.iterable);
      let element: Type = T.unknown;
      if (items.kind === "list") element = items.element;
      else if (items.kind === "json") element = T.json;
      else if (items.kind !== "unknown") {
        ctx.state.report(
          E.mismatch(
            loc(ctx, stmt.iterable),
            T.list({ kind: "record", fields: [], name: "T" }),
            items,
            "`for` goes over a list",
            items.kind === "optional" ? "give a default with `?? []`" : undefined,
          ),
        );
      }
      if (stmt.limit) checkParallelLimit(ctx, stmt.limit);
      const body = fork(ctx);
      bind(body, { kind: "loop", name: stmt.variable.name, type: element, span: stmt.variable.span, used: true });
      checkBlock(body, stmt.body);
      for (const [name, t] of newSteps(ctx.flow, body.flow)) ctx.flow.set(name, T.list(t));
      return true;
    }
    case "RepeatStmt":
      return checkRepeat(ctx, stmt);
    case "TryStmt":
      return checkTry(ctx, stmt);
    case "FailStmt":
      checkAgainst(ctx, stmt.message, T.string, "the message is text");
      return false;
    case "EscalateStmt":
      checkAgainst(ctx, stmt.message, T.string, "the message is text");
      return true;
    case "ReturnStmt": {
      const returns = ctx.wf?.returns;
      if (stmt.value) {
        if (returns) checkAgainst(ctx, stmt.value, returns, `the workflow returns \`${typeName(returns)}\``);
        else {
          inferExpr(ctx, stmt.value);
          ctx.state.report(E.returnWithoutType(loc(ctx, stmt.value), ctx.wf?.name ?? "?"));
        }
      } else if (returns) ctx.state.report(E.returnWithoutValue(loc(ctx, stmt), returns));
      return false;
    }
    case "ExprStmt": {
      const e = stmt.expr;
      const action = actionName(ctx, e);
      if (action) {
        ctx.state.report(E.actionOutsideStep(loc(ctx, e), action));
        return true;
      }
      inferExpr(ctx, e);
      ctx.state.report(E.exprStatement(loc(ctx, e)));
      return true;
    }
  }
}

/** The action a call expression would run, if it is one: `sh`, `approve`, a workflow, `x.ask`. */
function actionName(ctx: Ctx, e: Expr): string | undefined {
  if (e.kind !== "CallExpr") return undefined;
  const c = e.callee;
  if (c.kind === "NameExpr") {
    const n = c.name.name;
    if (ctx.scope.lookup(n)) return undefined;
    if (ACTION_NAMES.includes(n) || ctx.module.scope.get(n)?.sym.kind === "workflow") return n;
  }
  if (c.kind === "MemberExpr" && c.name.name === "ask") return c.object.kind === "NameExpr" ? `${c.object.name.name}.ask` : "ask";
  return undefined;
}

function checkIf(ctx: Ctx, stmt: IfStmt): boolean {
  const before = ctx.flow;
  // `entering`: what the conditions tell where the arm runs.
  const arms: { flow: Flow; completes: boolean; entering: Narrowing }[] = [];
  let current: IfStmt | undefined = stmt;
  let otherwise: Block | undefined;
  // Each condition and arm is checked knowing that the conditions before it were false.
  let earlierFalse: Narrowing = NONE;
  while (current) {
    const condCtx = withNarrowing(ctx, earlierFalse);
    checkAgainst(condCtx, current.condition, T.bool, "a condition is a `bool`");
    const arm = fork(ctx);
    const entering = combine(earlierFalse, narrowingOf(condCtx, current.condition, true));
    narrowInPlace(arm, entering);
    arms.push({ flow: arm.flow, completes: checkBlock(arm, current.then), entering });
    earlierFalse = combine(earlierFalse, narrowingOf(condCtx, current.condition, false));
    const next: Block | IfStmt | undefined = current.otherwise;
    if (next?.kind === "IfStmt") current = next;
    else {
      otherwise = next;
      current = undefined;
    }
  }
  if (otherwise) {
    const arm = fork(ctx);
    narrowInPlace(arm, earlierFalse);
    arms.push({ flow: arm.flow, completes: checkBlock(arm, otherwise), entering: earlierFalse });
  } else arms.push({ flow: new Flow(before), completes: true, entering: earlierFalse });

  const completing = arms.filter((a) => a.completes);
  const names = new Set(arms.flatMap((a) => newSteps(before, a.flow).map(([n]) => n)));
  // Worked out before any is set: `before` is the flow they are set in.
  const merged: [string, Type][] = [];
  for (const name of names) {
    const types = completing.map((a) => a.flow.lookup(name));
    if (types.length === 0) continue;
    const present = types.filter((t): t is Type => t !== undefined);
    let t: Type = present[0] ?? arms.map((a) => a.flow.lookup(name)).find((type) => type !== undefined)!;
    for (const other of present.slice(1)) t = commonType(t, other) ?? T.unknown;
    merged.push([name, present.length === types.length ? t : T.optional(t)]);
  }
  for (const [name, t] of merged) ctx.flow.set(name, t);
  // What follows runs only after an arm that completes, so what the conditions tell in every such
  // arm holds there: after a guard (`if x == none { fail(…) }`, only the empty `else` completes),
  // or after `if x != none { … } else { fail(…) }`.
  narrowInPlace(ctx, commonNarrowing(completing.map((a) => a.entering)));
  return completing.length > 0;
}

function checkRepeat(ctx: Ctx, stmt: RepeatStmt): boolean {
  checkRepeatBound(ctx, stmt.max);
  const steps = ctx.wf?.steps;
  const bodySteps = typesAtEnd(stmt.body.statements, (s) => steps?.get(s.name.name)?.type ?? T.unknown);
  const repeats = [...ctx.repeats, { bodySteps }];
  const body = withCtx(ctx, new Scope(ctx.scope), new Flow(ctx.flow), repeats);
  const completes = checkBlock(body, stmt.body);

  const until = withCtx(ctx, ctx.scope, body.flow, repeats);
  const errorsBefore = ctx.state.diagnostics.length;
  checkAgainst(until, stmt.until, T.bool, "a condition is a `bool`");
  const untilHasErrors = ctx.state.diagnostics.length > errorsBefore;
  let readsBody = false;
  forEachExpr(stmt.until, (e) => {
    if (e.kind === "NameExpr" && bodySteps.has(e.name.name)) readsBody = true;
    if (e.kind === "CallExpr" && e.callee.kind === "NameExpr" && e.callee.name.name === "prev") readsBody = true;
  });
  if (!readsBody && !untilHasErrors) ctx.state.report(E.untilReadsNothing(loc(ctx, stmt.until)));

  for (const [name, t] of newSteps(ctx.flow, body.flow)) ctx.flow.set(name, t);
  if (stmt.otherwise) {
    const elseCtx = fork(ctx);
    checkBlock(elseCtx, stmt.otherwise);
    for (const [name, t] of newSteps(ctx.flow, elseCtx.flow)) ctx.flow.set(name, T.optional(t));
  }
  return completes;
}

/** `parallel N`: an `int`, and a literal one at least 1. */
function checkParallelLimit(ctx: Ctx, limit: Expr): void {
  checkAgainst(ctx, limit, T.int, "a parallel limit is an `int`");
  if (limit.kind === "NumberLit" && !limit.isFloat && limit.value < 1) ctx.state.report(E.badParallelLimit(loc(ctx, limit)));
}

/** `repeat max N`: N is an int literal of at least 1, or an `int` parameter. */
function checkRepeatBound(ctx: Ctx, max: Expr): void {
  if (max.kind === "NumberLit") {
    inferExpr(ctx, max);
    if (max.isFloat || max.value < 1 || !Number.isInteger(max.value)) ctx.state.report(E.badRepeatBound(loc(ctx, max)));
    return;
  }
  if (max.kind === "NameExpr") {
    const binding = ctx.scope.lookup(max.name.name);
    const t = inferExpr(ctx, max);
    if (binding?.kind === "param" && t.kind === "int") return;
    if (t.kind === "unknown" && !binding) return;
  } else inferExpr(ctx, max);
  ctx.state.report(E.badRepeatBound(loc(ctx, max)));
}

function checkTry(ctx: Ctx, stmt: TryStmt): boolean {
  const body = fork(ctx);
  const bodyCompletes = checkBlock(body, stmt.body);
  const bodySteps = newSteps(ctx.flow, body.flow);

  const handlerFlow = new Flow(ctx.flow);
  for (const [name, t] of bodySteps) handlerFlow.set(name, T.optional(t));
  const handler = fork(ctx, handlerFlow);
  bind(handler, { kind: "catch", name: stmt.errorName.name, type: FailureType, span: stmt.errorName.span, used: true });
  const handlerCompletes = checkBlock(handler, stmt.handler);

  const handlerSteps = newSteps(handlerFlow, handler.flow);
  for (const [name, t] of bodySteps) ctx.flow.set(name, handlerCompletes ? T.optional(t) : t);
  for (const [name, t] of handlerSteps) ctx.flow.set(name, bodyCompletes ? T.optional(t) : t);
  return bodyCompletes || handlerCompletes;
}

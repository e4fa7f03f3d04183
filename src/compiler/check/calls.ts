/**
 * Checking calls: built-in functions, agent constructors and `prev` in expressions, and the four
 * actions of LANGUAGE.md §6 as the value of a step. Arguments are bound to parameters by name or
 * position; unknown options get a suggestion, enum values list what is allowed.
 */
import type { AgentCtorDecl, CallExpr, Expr, Param, StepStmt, WorkflowDecl } from "../ast/ast.js";
import { DecisionType, ShellType, T, typeToString, type Type } from "../types.js";
import {
  APPROVE_PARAMS,
  ASK_PARAMS,
  BUILTIN_FNS,
  COMMON_OPTION_NAMES,
  COMMON_OPTIONS,
  ACTION_NAMES,
  SH_PARAMS,
  type ParamSpec,
} from "./builtins.js";
import type { CallChecker, Ctx } from "./context.js";
import { E } from "./errors.js";
import { callableNames, checkAgainst, checkString, inferExpr, inferRecorded } from "./expressions.js";
import { linkGlobal } from "./links.js";
import { symbolId, type CheckState, type Sym, type WorkflowSym } from "./model.js";
import { checkRoleCall } from "./roles.js";
import { suggest } from "./suggest.js";
import { assignable, containsCommand, isDynamic, isStringLike, sharedReplyType, stripOptional } from "./type-relations.js";
import { resolveTypeExpr, typeFromExpr } from "./type-resolution.js";

type CtorSym = Extract<Sym, { kind: "ctor" }>;

const loc = (ctx: Ctx, e: { span: Expr["span"] }) => ({ file: ctx.module.key, span: e.span });

/** A name for messages: `sh`, `coder.ask`, `claude`. */
function calleeName(e: Expr): string {
  if (e.kind === "NameExpr") return e.name.name;
  if (e.kind === "MemberExpr") return `${calleeName(e.object)}.${e.name.name}`;
  if (e.kind === "CallExpr") return `${calleeName(e.callee)}(…)`;
  return "…";
}

// ─── Signatures ─────────────────────────────────────────────────────────────

function resolveParams(state: CheckState, module: string, decl: WorkflowDecl | AgentCtorDecl): void {
  if (state.signatures.has(decl)) return;
  state.signatures.add(decl);
  const info = state.modules.get(module);
  for (const p of decl.params) state.paramTypes.set(p, info ? resolveTypeExpr(state, info, p.type) : T.unknown);
  if (decl.kind === "WorkflowDecl" && decl.returns) {
    state.returnTypes.set(decl, info ? resolveTypeExpr(state, info, decl.returns) : T.unknown);
  }
}

function specOf(state: CheckState, p: Param): ParamSpec {
  const type = state.paramTypes.get(p) ?? T.unknown;
  return { name: p.name.name, type, required: p.default === undefined && type.kind !== "optional" };
}

/** A workflow's parameters and return type (undefined: it returns nothing). */
export function workflowSignature(state: CheckState, sym: WorkflowSym): { params: ParamSpec[]; returns?: Type } {
  resolveParams(state, sym.module, sym.decl);
  const returns = state.returnTypes.get(sym.decl);
  return { params: sym.decl.params.map((p) => specOf(state, p)), ...(returns ? { returns } : {}) };
}

/** An agent constructor's parameters. */
export function ctorParams(state: CheckState, sym: CtorSym): ParamSpec[] {
  resolveParams(state, sym.module, sym.decl);
  return sym.decl.params.map((p) => specOf(state, p));
}

// ─── Arguments ──────────────────────────────────────────────────────────────

type Special = (p: ParamSpec, value: Expr) => void;

/**
 * Binds a call's arguments to `params`: the first `positional` parameters may be given in order,
 * every parameter by name. Reports unknown, repeated, surplus and missing arguments.
 */
function bindArgs(ctx: Ctx, call: CallExpr, callee: string, params: readonly ParamSpec[], positional: number, special?: Special): Map<string, Expr> {
  const bound = new Map<string, Expr>();
  let next = 0;
  for (const arg of call.args) {
    let p: ParamSpec | undefined;
    if (arg.name) {
      const name = arg.name.name;
      p = params.find((x) => x.name === name);
      if (!p) {
        const names = params.map((x) => x.name);
        ctx.state.report(E.unknownOption(loc(ctx, arg.name), name, callee, suggest(name, names), names));
        inferExpr(ctx, arg.value);
        continue;
      }
    } else {
      if (next >= positional) {
        ctx.state.report(E.tooManyArgs(loc(ctx, arg), callee, positional));
        inferExpr(ctx, arg.value);
        continue;
      }
      p = params[next++];
    }
    if (!p) continue;
    if (bound.has(p.name)) {
      ctx.state.report(E.duplicateArgument(loc(ctx, arg), p.name));
      inferExpr(ctx, arg.value);
      continue;
    }
    bound.set(p.name, arg.value);
    if (p.special && special) special(p, arg.value);
    else if (p.special === "any") inferRecorded(ctx, arg.value);
    else checkAgainst(ctx, arg.value, p.type, () => `\`${p.name}\` takes ${article(stripOptional(p.type))}`, p.name);
    if (COMMON_OPTION_NAMES.has(p.name) && isNegativeLiteral(arg.value)) ctx.state.report(E.negativeOption(loc(ctx, arg.value), p.name));
    if (p.name === "timeout" && arg.value.kind === "DurationLit" && arg.value.ms === 0) ctx.state.report(E.zeroTimeout(loc(ctx, arg.value)));
  }
  for (const p of params) {
    if (p.required && !bound.has(p.name)) ctx.state.report(E.missingArgument(loc(ctx, call.callee), p.name, callee, p.type));
  }
  return bound;
}

/** `-1`, `-5s`: a literal below zero. */
function isNegativeLiteral(e: Expr): boolean {
  if (e.kind !== "UnaryExpr" || e.op !== "-") return false;
  return (e.operand.kind === "NumberLit" && e.operand.value > 0) || (e.operand.kind === "DurationLit" && e.operand.ms > 0);
}

function article(t: Type): string {
  return `\`${typeToString(t)}\``;
}

/** Tells the recorder which declared parameter each named argument of `call` names. */
function linkNamedArgs(ctx: Ctx, call: CallExpr, module: string, params: readonly Param[]): void {
  const recorder = ctx.state.recorder;
  if (!recorder) return;
  for (const arg of call.args) {
    const p = arg.name && params.find((x) => x.name.name === arg.name!.name);
    if (p) recorder.link(loc(ctx, arg.name!), { file: module, span: p.name.span }, "param");
  }
}

/** Checks every argument on its own, for a call that is already an error. */
function looseArgs(ctx: Ctx, call: CallExpr): void {
  for (const arg of call.args) {
    if (arg.name?.name === "output") continue;
    inferExpr(ctx, arg.value);
  }
}

// ─── Calls in expressions ───────────────────────────────────────────────────

/** `raw(x)` written where the name `raw` means the built-in. */
export function isRawCall(ctx: Ctx, e: Expr): e is CallExpr {
  return e.kind === "CallExpr" && e.callee.kind === "NameExpr" && e.callee.name.name === "raw" && ctx.scope.lookup("raw") === undefined;
}

/** Checks `raw(x)` in the one place it is allowed. */
export function checkRawCall(ctx: Ctx, call: CallExpr): Type {
  return checkBuiltin(ctx, call, "raw");
}

/** Checks a call used as a value (anything but a step's action). */
export function checkCallExpr(ctx: Ctx, call: CallExpr): Type {
  const callee = call.callee;
  if (callee.kind === "NameExpr") {
    const n = callee.name.name;
    const binding = ctx.scope.lookup(n);
    if (binding || ctx.flow.lookup(n) !== undefined || ctx.wf?.steps.has(n)) {
      if (binding) binding.used = true;
      ctx.state.report(E.notCallable(loc(ctx, callee), n, "a value, not a function"));
      looseArgs(ctx, call);
      return T.unknown;
    }
    if (ACTION_NAMES.includes(n)) {
      ctx.state.report(E.actionOutsideStep(loc(ctx, call), n));
      looseArgs(ctx, call);
      return T.unknown;
    }
    if (n === "prev") return checkPrev(ctx, call);
    const entry = ctx.module.scope.get(n);
    if (entry) {
      const sym = entry.sym;
      if (ctx.state.recorder) linkGlobal(ctx.state.recorder, ctx.module.key, callee.name, entry);
      switch (sym.kind) {
        case "broken":
          looseArgs(ctx, call);
          return T.unknown;
        case "workflow":
          ctx.state.report(E.actionOutsideStep(loc(ctx, call), n));
          looseArgs(ctx, call);
          return T.unknown;
        case "ctor":
          return checkCtorCall(ctx, call, sym);
        case "let":
        case "agent":
          ctx.state.use(sym);
          ctx.state.report(
            E.notCallable(loc(ctx, callee), n, sym.kind === "agent" ? "an agent: ask it in a step with `.ask(…)`" : "a value, not a function"),
          );
          looseArgs(ctx, call);
          return T.unknown;
        case "type":
          ctx.state.report(E.notCallable(loc(ctx, callee), n, "a type, not a function"));
          looseArgs(ctx, call);
          return T.unknown;
      }
    }
    if (Object.hasOwn(BUILTIN_FNS, n)) {
      if (n === "raw") ctx.state.report(E.rawOutsideSh(loc(ctx, call)));
      return checkBuiltin(ctx, call, n);
    }
    ctx.state.report(E.unknownName(loc(ctx, callee), n, suggest(n, callableNames(ctx))));
    looseArgs(ctx, call);
    return T.unknown;
  }
  if (callee.kind === "MemberExpr") {
    const obj = inferExpr(ctx, callee.object);
    if (obj.kind === "agent" && callee.name.name === "ask") {
      ctx.state.report(E.actionOutsideStep(loc(ctx, call), calleeName(callee)));
    } else if (obj.kind === "agent") {
      ctx.state.report(E.unknownMethod(loc(ctx, callee.name), callee.name.name, obj));
    } else if (obj.kind !== "unknown") {
      ctx.state.report(E.notCallable(loc(ctx, callee), calleeName(callee), `a field of \`${typeToString(obj)}\`, not a function`));
    }
    looseArgs(ctx, call);
    return T.unknown;
  }
  inferExpr(ctx, callee);
  ctx.state.report(E.notCallable(loc(ctx, callee), calleeName(callee), "not a function"));
  looseArgs(ctx, call);
  return T.unknown;
}

/** The call checks the expression checker uses, for its context (`Ctx.calls`). */
export const CALL_CHECKER: CallChecker = { checkCallExpr, isRawCall, checkRawCall };

const LEN_DISPLAY: Type = { kind: "record", fields: [], name: "list<T> | string" };

function checkBuiltin(ctx: Ctx, call: CallExpr, fn: string): Type {
  const spec = BUILTIN_FNS[fn]!;
  const args = bindArgs(ctx, call, fn, spec.params, spec.params.length);
  if (fn === "len") {
    const v = args.get("value");
    const t = v ? ctx.state.exprTypes.get(v) : undefined;
    if (v && t && !(t.kind === "list" || isStringLike(t) || isDynamic(t))) {
      ctx.state.report(E.mismatch(loc(ctx, v), LEN_DISPLAY, t));
    }
  } else if (fn === "contains") {
    const c = args.get("container");
    const i = args.get("item");
    const ct = c ? ctx.state.exprTypes.get(c) : undefined;
    const it = i ? ctx.state.exprTypes.get(i) : undefined;
    if (c && ct && !isDynamic(ct)) {
      if (ct.kind === "list") {
        if (i && it && !assignable(it, ct.element)) ctx.state.report(E.mismatch(loc(ctx, i), ct.element, it, "the list's item type"));
      } else if (isStringLike(ct)) {
        if (i && it && !isStringLike(it) && !isDynamic(it)) ctx.state.report(E.mismatch(loc(ctx, i), T.string, it));
      } else ctx.state.report(E.mismatch(loc(ctx, c), LEN_DISPLAY, ct));
    }
  }
  ctx.state.calls.set(call, {
    kind: "builtin",
    fn,
    args: spec.params.flatMap((p) => {
      const a = args.get(p.name);
      return a ? [a] : [];
    }),
  });
  return spec.returns;
}

function checkPrev(ctx: Ctx, call: CallExpr): Type {
  if (ctx.repeats.length === 0) {
    ctx.state.report(E.prevOutsideRepeat(loc(ctx, call)));
    return T.unknown;
  }
  const arg = call.args[0];
  if (call.args.length !== 1 || !arg || arg.name || arg.value.kind !== "NameExpr") {
    ctx.state.report(E.prevNotBodyStep(loc(ctx, call), "…"));
    return T.unknown;
  }
  const name = arg.value.name.name;
  for (let i = ctx.repeats.length - 1; i >= 0; i--) {
    const t = ctx.repeats[i]!.bodySteps.get(name);
    if (t) {
      const def = ctx.wf?.steps.get(name);
      if (def) ctx.state.recorder?.link(loc(ctx, arg.value.name), { file: ctx.module.key, span: def.stmt.name.span }, "step");
      ctx.state.calls.set(call, { kind: "prev", step: name });
      ctx.state.exprTypes.set(arg.value, t);
      return T.optional(t);
    }
  }
  ctx.state.report(E.prevNotBodyStep(loc(ctx, arg.value), name));
  return T.unknown;
}

function checkCtorCall(ctx: Ctx, call: CallExpr, sym: CtorSym): Type {
  const params = ctorParams(ctx.state, sym);
  const args = bindArgs(ctx, call, calleeName(call.callee), params, params.length);
  linkNamedArgs(ctx, call, sym.module, sym.decl.params);
  ctx.state.calls.set(call, { kind: "ctor", ctor: sym.decl.name.name, args });
  if (sym.decl.name.name === "role") checkRoleCall(ctx.state, ctx.module.key, call, args);
  return T.agent;
}

// ─── Actions ────────────────────────────────────────────────────────────────

const COMMAND_DISPLAY: Type = { kind: "union", members: [T.string, T.list(T.string)] };
const ENV_DISPLAY: Type = { kind: "record", fields: [], name: "a record of strings" };

/** The result type of a step's action, from its shape alone (used before the step is checked). */
export function actionResultType(ctx: Ctx, action: Expr): Type {
  if (action?.kind !== "CallExpr") return T.unknown;
  const callee = action.callee;
  if (callee.kind === "NameExpr") {
    const n = callee.name.name;
    if (n === "sh") return ShellType;
    if (n === "approve") return DecisionType;
    const sym = ctx.module.scope.get(n)?.sym;
    if (sym?.kind === "workflow") return workflowSignature(ctx.state, sym).returns ?? T.none;
    return T.unknown;
  }
  if (callee.kind === "MemberExpr" && callee.name.name === "ask") {
    const output = action.args.find((a) => a.name?.name === "output");
    return output ? sharedReplyType(typeFromExpr(ctx.state, ctx.module, output.value)) : sharedReplyType();
  }
  return T.unknown;
}

/** Checks the action of `step name = action` and records what it does. */
export function checkAction(ctx: Ctx, stmt: StepStmt): void {
  const action = stmt.action;
  if (action.kind !== "CallExpr") {
    const t = inferExpr(ctx, action);
    ctx.state.report(E.stepNotAction(loc(ctx, action), `this is a value of type \`${typeToString(t)}\``));
    return;
  }
  const callee = action.callee;
  const state = ctx.state;
  if (callee.kind === "NameExpr" && !ctx.scope.lookup(callee.name.name) && ctx.flow.lookup(callee.name.name) === undefined) {
    const n = callee.name.name;
    if (n === "sh") {
      let shell = true;
      const args = bindArgs(ctx, action, "sh", SH_PARAMS, 1, (p, v) => {
        if (p.special === "command") shell = checkCommand(ctx, v);
        else if (p.special === "env") checkEnv(ctx, v);
      });
      state.actions.set(stmt, { kind: "sh", shell, args });
      state.exprTypes.set(action, ShellType);
      return;
    }
    if (n === "approve") {
      const args = bindArgs(ctx, action, "approve", APPROVE_PARAMS, 1);
      state.actions.set(stmt, { kind: "approve", args });
      state.exprTypes.set(action, DecisionType);
      return;
    }
    const entry = ctx.module.scope.get(n);
    const sym = entry?.sym;
    if (entry && ctx.state.recorder) linkGlobal(ctx.state.recorder, ctx.module.key, callee.name, entry);
    if (sym?.kind === "workflow") {
      checkWorkflowCall(ctx, stmt, action, sym);
      return;
    }
    if (sym?.kind === "broken") {
      looseArgs(ctx, action);
      return;
    }
    const known = sym !== undefined || Object.hasOwn(BUILTIN_FNS, n) || n === "prev";
    const t = inferExpr(ctx, action);
    if (known) ctx.state.report(E.stepNotAction(loc(ctx, action), `this is a value of type \`${typeToString(t)}\``));
    return;
  }
  if (callee.kind === "MemberExpr" && callee.name.name === "ask") {
    const obj = inferExpr(ctx, callee.object);
    if (obj.kind === "unknown") {
      looseArgs(ctx, action);
      return;
    }
    if (obj.kind !== "agent") {
      ctx.state.report(E.mismatch(loc(ctx, callee.object), T.agent, obj, "only an agent can be asked"));
      looseArgs(ctx, action);
      return;
    }
    let output: Type | undefined;
    const args = bindArgs(ctx, action, calleeName(callee), ASK_PARAMS, 1, (p, v) => {
      if (p.special === "output") {
        output = typeFromExpr(state, ctx.module, v);
        if (containsCommand(output)) state.report(E.commandInReply(loc(ctx, v)));
      }
    });
    state.actions.set(stmt, { kind: "ask", agent: callee.object, args, ...(output ? { output } : {}) });
    state.exprTypes.set(action, sharedReplyType(output));
    return;
  }
  const t = inferExpr(ctx, action);
  if (t.kind !== "unknown") ctx.state.report(E.stepNotAction(loc(ctx, action), `this is a value of type \`${typeToString(t)}\``));
}

/** Checks an `sh` command; returns whether it runs through the shell (false for an argv list). */
function checkCommand(ctx: Ctx, v: Expr): boolean {
  if (v.kind === "StringLit") {
    checkString(ctx, v, true);
    return true;
  }
  if (v.kind === "ListLit") {
    checkAgainst(ctx, v, T.list(T.string), "`sh` takes a command string or an argv list");
    return false;
  }
  if (isRawCall(ctx, v)) {
    ctx.state.exprTypes.set(v, checkRawCall(ctx, v));
    return true;
  }
  const t = inferExpr(ctx, v);
  if (t.kind === "list") {
    if (!assignable(t, T.list(T.string))) ctx.state.report(E.mismatch(loc(ctx, v), COMMAND_DISPLAY, t));
    return false;
  }
  // Only command text runs as a command: a built string's values would reach the shell unquoted.
  if (isStringLike(t) || t.kind === "json") {
    if (!assignable(t, T.command)) ctx.state.report(E.valueAsCommand(loc(ctx, v), t));
  } else if (t.kind !== "unknown") ctx.state.report(E.mismatch(loc(ctx, v), COMMAND_DISPLAY, t));
  return true;
}

/** `env:` takes a record whose fields are all text (or json). */
function checkEnv(ctx: Ctx, v: Expr): void {
  if (v.kind === "RecordLit") {
    const seen = new Set<string>();
    for (const f of v.fields) {
      if (seen.has(f.name.name)) ctx.state.report(E.duplicateName(loc(ctx, f.name), f.name.name, "in this record"));
      seen.add(f.name.name);
      checkAgainst(ctx, f.value, T.string, "environment variables are text");
    }
    ctx.state.exprTypes.set(v, { kind: "record", fields: v.fields.map((f) => ({ name: f.name.name, type: T.string })) });
    return;
  }
  const t = inferExpr(ctx, v);
  const inner = t.kind === "optional" ? t.inner : t;
  if (isDynamic(inner) || inner.kind === "none") return;
  if (inner.kind === "record" && inner.fields.every((f) => isStringLike(f.type) || isDynamic(f.type))) return;
  ctx.state.report(E.mismatch(loc(ctx, v), ENV_DISPLAY, t));
}

function checkWorkflowCall(ctx: Ctx, stmt: StepStmt, call: CallExpr, sym: WorkflowSym): void {
  const sig = workflowSignature(ctx.state, sym);
  const names = new Set(sig.params.map((p) => p.name));
  const params = [...sig.params, ...COMMON_OPTIONS.filter((o) => !names.has(o.name))];
  const name = sym.decl.name.name;
  const args = bindArgs(ctx, call, name, params, sig.params.length);
  linkNamedArgs(ctx, call, sym.module, sym.decl.params);
  ctx.state.actions.set(stmt, { kind: "call", workflow: sym, args });
  ctx.state.exprTypes.set(call, sig.returns ?? T.none);
  if (ctx.wf) {
    ctx.state.callEdges.push({ from: ctx.wf.id, to: symbolId(sym.module, name), loc: loc(ctx, call.callee) });
  }
}

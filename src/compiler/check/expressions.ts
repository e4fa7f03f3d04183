/**
 * Type-checking expressions (LANGUAGE.md §7): literals, names, field access, indexing, operators
 * and string interpolation. Calls live in `calls.ts`. The types lowering reads (binary operands,
 * interpolated expressions) are recorded in the state's `exprTypes`, not every expression's; an
 * expression that already produced an error has type `unknown`.
 */
import type { BinaryExpr, Expr, InterpPart, MemberExpr, NameExpr, RecordLit, StringLit, UnaryExpr } from "../ast/ast.js";
import { T, type RecordTypeT, type Type } from "../types.js";
import { ACTION_NAMES, BUILTIN_FNS } from "./builtins.js";
import { topLevelCtx, type Ctx } from "./context.js";
import { ARITHMETIC_ONLY_NUMBERS, ShellScanner } from "../shell-context.js";
import { E } from "./errors.js";
import { checkLiteralComparison } from "./literal-comparison.js";
import { narrowingOf, withNarrowing } from "./narrowing.js";
import { symbolId, type NameRes, type Sym, type ValueSym } from "./model.js";
import { linkGlobal } from "./links.js";
import { suggest } from "./suggest.js";
import {
  assignable,
  commonType,
  comparable,
  isDynamic,
  isLiteralish,
  isNumeric,
  isStringLike,
  literalValues,
  stripOptional,
} from "./type-relations.js";

const loc = (ctx: Ctx, e: { span: Expr["span"] }) => ({ file: ctx.module.key, span: e.span });

/**
 * How deeply binary operators and list or record literals may nest in one expression (a chain
 * `a + b + …` nests one per operator): deeper would overflow the stack where the IR is stored and run.
 */
const MAX_OPERATOR_DEPTH = 256;

/** Checks `e` one level deeper; past `MAX_OPERATOR_DEPTH`, E0330 (once: nothing inside is checked). */
function nested(ctx: Ctx, e: Expr, check: () => Type): Type {
  const state = ctx.state;
  if (state.operatorDepth >= MAX_OPERATOR_DEPTH) {
    state.report(E.tooManyOperators(loc(ctx, e), MAX_OPERATOR_DEPTH));
    return T.unknown;
  }
  state.operatorDepth++;
  try {
    return check();
  } finally {
    state.operatorDepth--;
  }
}

/** Infers the type of `e` and records it in `exprTypes`, for an expression that lowering reads. */
export function inferRecorded(ctx: Ctx, e: Expr): Type {
  const t = inferExpr(ctx, e);
  ctx.state.exprTypes.set(e, t);
  return t;
}

/**
 * Infers the type of `e` without recording it (recording every expression cost a map entry per
 * node that nothing reads).
 */
export function inferExpr(ctx: Ctx, e: Expr): Type {
  const t = inferKind(ctx, e);
  ctx.state.recorder?.exprType(e, t);
  return t;
}

function inferKind(ctx: Ctx, e: Expr): Type {
  switch (e.kind) {
    case "StringLit":
      return checkString(ctx, e, false);
    case "NumberLit":
      if (e.isFloat) return T.float;
      if (!Number.isSafeInteger(e.value)) ctx.state.report(E.intTooLarge(loc(ctx, e)));
      return T.int;
    case "DurationLit":
      return T.duration;
    case "BoolLit":
      return T.bool;
    case "NoneLit":
      return T.none;
    case "ListLit":
      return nested(ctx, e, () => {
        let element: Type | undefined;
        for (const item of e.items) {
          const t = inferExpr(ctx, item);
          if (element === undefined) element = t;
          else {
            const joined = commonType(element, t);
            if (joined === undefined) ctx.state.report(E.mismatch(loc(ctx, item), element, t, "list items must have one type"));
            else element = joined;
          }
        }
        return T.list(element ?? T.unknown);
      });
    case "RecordLit":
      return nested(ctx, e, () => {
        const fields: { name: string; type: Type }[] = [];
        for (const f of e.fields) {
          const t = inferExpr(ctx, f.value);
          if (fields.some((x) => x.name === f.name.name)) {
            ctx.state.report(E.duplicateName(loc(ctx, f.name), f.name.name, "in this record"));
          } else fields.push({ name: f.name.name, type: t });
        }
        return { kind: "record", fields };
      });
    case "NameExpr":
      return resolveName(ctx, e);
    case "MemberExpr":
      return checkMember(ctx, e);
    case "IndexExpr": {
      const obj = inferExpr(ctx, e.object);
      const idx = inferExpr(ctx, e.index);
      if (isDynamic(obj)) return obj;
      if (obj.kind === "list") {
        if (!assignable(idx, T.int)) ctx.state.report(E.mismatch(loc(ctx, e.index), T.int, idx, "a list index is an `int`"));
        return obj.element;
      }
      ctx.state.report(E.notIndexable(loc(ctx, e.object), obj));
      return T.unknown;
    }
    case "CallExpr":
      return ctx.calls.checkCallExpr(ctx, e);
    case "UnaryExpr":
      return checkUnary(ctx, e);
    case "BinaryExpr":
      return nested(ctx, e, () => checkBinary(ctx, e));
    case "TypeValue":
      // Only an `output:` argument's value can be one; an `output` parameter of a workflow call is not a type.
      ctx.state.report(E.notAValue(loc(ctx, e), ctx.module.source.slice(e.span.start, e.span.end), "type"));
      return T.unknown;
  }
}

/**
 * Checks `e` where a value of type `expected` is needed: record and list literals are checked
 * field by field, a string outside a literal union names the allowed values. `label` goes under
 * the caret of a mismatch (a function when it costs something to word: called only on a mismatch).
 */
export function checkAgainst(ctx: Ctx, e: Expr, expected: Type, label?: string | (() => string), option?: string): Type {
  if (expected.kind === "unknown") return inferExpr(ctx, e);
  const inner = stripOptional(expected);
  const allowed = literalValues(expected);
  if (allowed && e.kind === "StringLit" && e.parts.every((p) => p.kind === "TextPart")) {
    const value = e.parts.map((p) => (p.kind === "TextPart" ? p.value : "")).join("");
    const t = inferExpr(ctx, e);
    if (!allowed.includes(value)) {
      ctx.state.report(E.badEnumValue(loc(ctx, e), value, option ?? "this value", allowed));
      return T.unknown;
    }
    return t;
  }
  if (inner.kind === "command") {
    const written = checkCommandText(ctx, e);
    if (written) return written;
  }
  if (e.kind === "RecordLit" && inner.kind === "record") return nested(ctx, e, () => checkRecordLit(ctx, e, inner));
  if (e.kind === "ListLit" && inner.kind === "list") {
    return nested(ctx, e, () => {
      for (const item of e.items) checkAgainst(ctx, item, inner.element, label, option);
      const t = T.list(inner.element);
      ctx.state.exprTypes.set(e, t);
      return t;
    });
  }
  const t = inferExpr(ctx, e);
  if (!assignable(t, expected)) {
    if (inner.kind === "command" && (isStringLike(t) || t.kind === "json")) {
      ctx.state.report(E.valueAsCommand(loc(ctx, e), t));
      return T.unknown;
    }
    let help: string | undefined;
    if (t.kind === "optional" && assignable(t.inner, expected)) help = "give a default with `??`";
    else if (allowed) help = `expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`;
    else if (t.kind === "int" && expected.kind === "duration") help = "write a duration with a unit: `30s`, `5m`, `1h`";
    const shown = t.kind === "optional" || t.kind === "none" ? expected : inner;
    ctx.state.report(E.mismatch(loc(ctx, e), shown, t, typeof label === "function" ? label() : label, help));
    return T.unknown;
  }
  return t;
}

function checkRecordLit(ctx: Ctx, e: RecordLit, expected: RecordTypeT): Type {
  const seen = new Set<string>();
  for (const f of e.fields) {
    const name = f.name.name;
    if (seen.has(name)) {
      ctx.state.report(E.duplicateName(loc(ctx, f.name), name, "in this record"));
      continue;
    }
    seen.add(name);
    const want = expected.fields.find((x) => x.name === name);
    if (!want) {
      inferExpr(ctx, f.value);
      ctx.state.report(E.extraField(loc(ctx, f.name), name, expected, suggest(name, expected.fields.map((x) => x.name))));
    } else {
      ctx.state.recorder?.field(loc(ctx, f.name), expected, name);
      checkAgainst(ctx, f.value, want.type, undefined, name);
    }
  }
  for (const want of expected.fields) {
    if (!seen.has(want.name) && want.type.kind !== "optional" && !isDynamic(want.type)) {
      ctx.state.report(E.missingField(loc(ctx, e), want.name, expected));
    }
  }
  ctx.state.exprTypes.set(e, expected);
  return expected;
}

/**
 * Command text written where a `command` is expected: a string literal, checked and (when it runs)
 * quoted like an `sh` command, or `raw(x)`. Undefined for any other expression.
 */
function checkCommandText(ctx: Ctx, e: Expr): Type | undefined {
  if (e.kind === "StringLit") checkString(ctx, e, true);
  else if (ctx.calls.isRawCall(ctx, e)) ctx.calls.checkRawCall(ctx, e);
  else return undefined;
  ctx.state.exprTypes.set(e, T.command);
  return T.command;
}

/** Checks a string literal; inside an `sh` command (`sh`), `${raw(x)}` is allowed and `command` values are command text. */
export function checkString(ctx: Ctx, e: StringLit, sh: boolean): Type {
  let text = "";
  let interpolated = false;
  // A shell command's text, followed to tell where each value lands (raw text is unknown here).
  const shell = sh ? new ShellScanner() : undefined;
  for (const part of e.parts) {
    if (part.kind === "TextPart") {
      // The text is only the type of a string without interpolation.
      if (!interpolated) text += part.value;
      shell?.feed(part.value);
      continue;
    }
    interpolated = true;
    if (sh && ctx.calls.isRawCall(ctx, part.expr)) {
      ctx.state.exprTypes.set(part.expr, ctx.calls.checkRawCall(ctx, part.expr));
      continue;
    }
    const t = inferRecorded(ctx, part.expr);
    if (!interpolatable(t)) ctx.state.report(E.cannotInterpolate(loc(ctx, part.expr), t));
    if (shell && t.kind !== "command") checkSplice(ctx, shell, part, t);
  }
  const problem = shell?.finish();
  if (problem) {
    ctx.state.report(E.unsafeSplice(loc(ctx, e), problem, "close it with `))`, or write `$( (…) )` for a subshell", "in this command"));
  }
  const t: Type = interpolated ? T.string : { kind: "literal", value: text };
  ctx.state.exprTypes.set(e, t);
  return t;
}

/** A value spliced into a shell command: refused where no quoting is safe (LANGUAGE.md §6.1). */
function checkSplice(ctx: Ctx, shell: ShellScanner, part: InterpPart, t: Type): void {
  const refused = shell.refusal();
  if (refused) ctx.state.report(E.unsafeSplice(loc(ctx, part), refused.why, refused.help));
  else if (shell.context === "arithmetic" && t.kind !== "int" && !isDynamic(t)) {
    ctx.state.report(E.unsafeSplice(loc(ctx, part), ARITHMETIC_ONLY_NUMBERS, "splice an `int` here"));
  }
  shell.placeholder();
}

/** Types `${…}` accepts: text, numbers, bools, durations, paths (and dynamic values). */
export function interpolatable(t: Type): boolean {
  switch (t.kind) {
    case "string":
    case "int":
    case "float":
    case "bool":
    case "duration":
    case "path":
    case "command":
    case "json":
    case "unknown":
    case "literal":
      return true;
    case "union":
      return isLiteralish(t);
    default:
      return false;
  }
}

/** Names visible at this point that hold values, for suggestions. */
export function valueNames(ctx: Ctx): string[] {
  const out = [...ctx.scope.names(), ...ctx.flow.names()];
  for (const [name, entry] of ctx.module.scope) {
    if (entry.sym.kind === "let" || entry.sym.kind === "agent") out.push(name);
  }
  return out;
}

/** Names that can be called at this point, for suggestions. */
export function callableNames(ctx: Ctx): string[] {
  const out = [...Object.keys(BUILTIN_FNS), ...ACTION_NAMES, "prev"];
  for (const [name, entry] of ctx.module.scope) {
    if (entry.sym.kind === "workflow" || entry.sym.kind === "ctor") out.push(name);
  }
  return out;
}

/** The type of a top-level `let` or `agent`, inferred once in its own module. */
export function globalType(ctx: Ctx, sym: ValueSym): Type {
  const state = ctx.state;
  const cached = state.globalTypes.get(sym.decl);
  if (cached === null) {
    state.report(E.selfReferentialLet({ file: sym.module, span: sym.decl.name.span }, sym.decl.name.name));
    state.globalTypes.set(sym.decl, T.unknown);
    return T.unknown;
  }
  if (cached !== undefined) return cached;
  const module = state.modules.get(sym.module);
  if (!module) return T.unknown;
  state.globalTypes.set(sym.decl, null);
  const top = topLevelCtx(state, ctx.calls, module);
  const t =
    sym.kind === "agent"
      ? checkAgainst(top, sym.decl.value, T.agent, "an agent is made by a constructor such as `claude(…)`")
      : inferExpr(top, sym.decl.value);
  if (state.globalTypes.get(sym.decl) === null) state.globalTypes.set(sym.decl, t);
  return state.globalTypes.get(sym.decl) ?? T.unknown;
}

/** How every local name resolves (one shared, immutable value). */
const LOCAL: NameRes = Object.freeze({ kind: "local" });

/** Resolves a name used as a value. */
export function resolveName(ctx: Ctx, e: NameExpr): Type {
  const name = e.name.name;
  const binding = ctx.scope.lookup(name);
  const recorder = ctx.state.recorder;
  if (binding) {
    binding.used = true;
    ctx.state.names.set(e, LOCAL);
    recorder?.link(loc(ctx, e.name), { file: ctx.module.key, span: binding.span }, binding.kind);
    return binding.type;
  }
  const step = ctx.flow.lookup(name);
  const def = ctx.wf?.steps.get(name);
  if (def) recorder?.link(loc(ctx, e.name), { file: ctx.module.key, span: def.stmt.name.span }, "step");
  if (step) {
    ctx.state.names.set(e, LOCAL);
    return step;
  }
  if (def) {
    const at = ctx.state.lines(ctx.module).position(def.stmt.name.span.start);
    const inLoop = ctx.repeats.some((r) => r.bodySteps.has(name));
    ctx.state.report(
      E.usedBeforeDefined(
        loc(ctx, e),
        name,
        def.stmt.span.start > e.span.start ? `defined later, at line ${at.line}` : `defined at line ${at.line}, which does not always run before this`,
        inLoop ? `use \`prev(${name})\` for the previous round's result` : undefined,
      ),
    );
    return T.unknown;
  }
  const entry = ctx.module.scope.get(name);
  if (entry) {
    const sym = entry.sym;
    if (recorder) linkGlobal(recorder, ctx.module.key, e.name, entry);
    switch (sym.kind) {
      case "broken":
        return T.unknown;
      case "let":
      case "agent":
        ctx.state.use(sym);
        ctx.state.names.set(e, { kind: "global", id: symbolId(sym.module, sym.decl.name.name) });
        return globalType(ctx, sym);
      case "workflow":
        ctx.state.report(E.notAValue(loc(ctx, e), name, "workflow"));
        return T.unknown;
      case "type":
        ctx.state.report(E.notAValue(loc(ctx, e), name, "type"));
        return T.unknown;
      case "ctor":
        ctx.state.report(E.notAValue(loc(ctx, e), name, "agent constructor"));
        return T.unknown;
    }
  }
  if (Object.hasOwn(BUILTIN_FNS, name) || ACTION_NAMES.includes(name) || name === "prev") {
    ctx.state.report(E.notAValue(loc(ctx, e), name, "function"));
    return T.unknown;
  }
  const suggestion = suggest(name, valueNames(ctx));
  // The misspelt name most likely meant the suggestion: do not also call that one unused.
  const meant = suggestion !== undefined ? ctx.scope.lookup(suggestion) : undefined;
  if (meant) meant.used = true;
  ctx.state.report(E.unknownName(loc(ctx, e), name, suggestion));
  return T.unknown;
}

/** True when `name` means nothing at this point (not even a step defined elsewhere). */
export function isUnbound(ctx: Ctx, name: string): boolean {
  return (
    ctx.scope.lookup(name) === undefined &&
    ctx.flow.lookup(name) === undefined &&
    !ctx.wf?.steps.has(name) &&
    !ctx.module.scope.has(name) &&
    !Object.hasOwn(BUILTIN_FNS, name) &&
    !ACTION_NAMES.includes(name) &&
    name !== "prev"
  );
}

function checkMember(ctx: Ctx, e: MemberExpr): Type {
  if (e.object.kind === "NameExpr" && isUnbound(ctx, e.object.name.name)) {
    const name = e.object.name.name;
    const steps = ctx.wf ? [...ctx.wf.steps.keys()] : [];
    const suggestion = suggest(name, [...steps, ...valueNames(ctx)]);
    if (ctx.wf && (suggestion === undefined || steps.includes(suggestion))) {
      ctx.state.report(E.unknownStep(loc(ctx, e.object), name, ctx.wf.name, suggestion));
    } else {
      const meant = suggestion !== undefined ? ctx.scope.lookup(suggestion) : undefined;
      if (meant) meant.used = true;
      ctx.state.report(E.unknownName(loc(ctx, e.object), name, suggestion));
    }
    ctx.state.exprTypes.set(e.object, T.unknown);
    return T.unknown;
  }
  const obj = inferExpr(ctx, e.object);
  const field = e.name.name;
  if (isDynamic(obj)) return obj;
  if (obj.kind === "optional") {
    if (!e.optional) {
      const name = e.object.kind === "NameExpr" ? e.object.name.name : undefined;
      ctx.state.report(E.optionalField(loc(ctx, e.object), field, obj, name));
      return T.unknown;
    }
    if (isDynamic(obj.inner)) return obj.inner;
    const t = fieldType(ctx, e, obj.inner);
    return t.kind === "unknown" ? t : T.optional(t);
  }
  return fieldType(ctx, e, obj);
}

function fieldType(ctx: Ctx, e: MemberExpr, obj: Type): Type {
  const field = e.name.name;
  if (obj.kind === "record") {
    const f = obj.fields.find((x) => x.name === field);
    if (f) {
      ctx.state.recorder?.field(loc(ctx, e.name), obj, field);
      return f.type;
    }
    ctx.state.report(E.unknownField(loc(ctx, e.name), field, obj, suggest(field, obj.fields.map((x) => x.name))));
    return T.unknown;
  }
  ctx.state.report(E.unknownField(loc(ctx, e.name), field, obj));
  return T.unknown;
}

function checkUnary(ctx: Ctx, e: UnaryExpr): Type {
  const t = inferExpr(ctx, e.operand);
  if (isDynamic(t)) return e.op === "!" ? T.bool : t;
  if (e.op === "!") {
    if (t.kind !== "bool") ctx.state.report(E.badOperands(loc(ctx, e), "!", t));
    return T.bool;
  }
  if (isNumeric(t) || t.kind === "duration") return t;
  ctx.state.report(E.badOperands(loc(ctx, e), "-", t));
  return T.unknown;
}

function checkBinary(ctx: Ctx, e: BinaryExpr): Type {
  const l = inferRecorded(ctx, e.left);
  // The right operand of `&&` runs only where the left is true, that of `||` where it is false.
  const logical = e.op === "&&" || e.op === "||";
  const r = inferRecorded(logical ? withNarrowing(ctx, narrowingOf(ctx, e.left, e.op === "&&")) : ctx, e.right);
  const op = e.op;
  const bad = (): Type => {
    ctx.state.report(E.badOperands(loc(ctx, e), op, l, r));
    return T.unknown;
  };
  const dynamic = isDynamic(l) || isDynamic(r);
  switch (op) {
    case "??": {
      if (l.kind === "unknown") return r;
      if (l.kind === "json") return T.json;
      const left = stripOptional(l);
      if (l.kind === "none") return r;
      if (assignable(r, left)) return r.kind === "optional" || r.kind === "none" ? T.optional(left) : left;
      const joined = commonType(left, stripOptional(r));
      if (joined) return r.kind === "optional" || r.kind === "none" ? T.optional(joined) : joined;
      return bad();
    }
    case "||":
    case "&&":
      if (!(l.kind === "bool" || isDynamic(l)) || !(r.kind === "bool" || isDynamic(r))) bad();
      return T.bool;
    case "==":
    case "!=":
      if (!comparable(l, r)) bad();
      else checkLiteralComparison(ctx, e, l, r);
      return T.bool;
    case "<":
    case "<=":
    case ">":
    case ">=":
      if (dynamic) return T.bool;
      if ((isNumeric(l) && isNumeric(r)) || (l.kind === "duration" && r.kind === "duration") || (isStringLike(l) && isStringLike(r))) {
        return T.bool;
      }
      bad();
      return T.bool;
    case "+":
      if (l.kind === "unknown" || r.kind === "unknown") return T.unknown;
      if (dynamic) return isStringLike(l) || isStringLike(r) ? T.string : T.json;
      if (isStringLike(l) && isStringLike(r)) return T.string;
      if (l.kind === "duration" && r.kind === "duration") return T.duration;
      return arithmetic(l, r) ?? bad();
    case "-":
      if (dynamic) return l.kind === "unknown" || r.kind === "unknown" ? T.unknown : T.json;
      if (l.kind === "duration" && r.kind === "duration") return T.duration;
      return arithmetic(l, r) ?? bad();
    case "*":
      if (dynamic) return l.kind === "unknown" || r.kind === "unknown" ? T.unknown : T.json;
      if (l.kind === "duration" && isNumeric(r)) return T.duration;
      if (isNumeric(l) && r.kind === "duration") return T.duration;
      return arithmetic(l, r) ?? bad();
    case "/":
      if (dynamic) return l.kind === "unknown" || r.kind === "unknown" ? T.unknown : T.json;
      if (l.kind === "duration" && isNumeric(r)) return T.duration;
      return arithmetic(l, r) ?? bad();
    case "%":
      if (dynamic) return l.kind === "unknown" || r.kind === "unknown" ? T.unknown : T.json;
      return arithmetic(l, r) ?? bad();
  }
}

function arithmetic(l: Type, r: Type): Type | undefined {
  if (l.kind === "int" && r.kind === "int") return T.int;
  if (isNumeric(l) && isNumeric(r)) return T.float;
  return undefined;
}

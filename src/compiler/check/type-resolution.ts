/**
 * Turning written types into semantic types: type expressions, aliases (across modules, with
 * self-reference caught) and the expression after `output:`, which the parser reads as a value.
 */
import type { Expr, Ident, TypeExpr } from "../ast/ast.js";
import { T, type Type } from "../types.js";
import { sharedReplyType } from "./type-relations.js";
import { BUILTIN_TYPE_NAMES, PRIMITIVE_TYPES } from "./builtins.js";
import { E } from "./errors.js";
import type { CheckState, ModuleInfo, Sym } from "./model.js";
import { suggest } from "./suggest.js";
import { linkGlobal } from "./links.js";

type TypeSym = Extract<Sym, { kind: "type" }>;

/** The type an alias stands for, resolved once (errors in it are reported the first time). */
export function aliasType(state: CheckState, sym: TypeSym): Type {
  const cached = state.aliasTypes.get(sym.decl);
  if (cached === null) {
    state.report(E.recursiveType({ file: sym.module, span: sym.decl.name.span }, sym.decl.name.name));
    state.aliasTypes.set(sym.decl, T.unknown);
    return T.unknown;
  }
  if (cached !== undefined) return cached;
  state.aliasTypes.set(sym.decl, null);
  const module = state.modules.get(sym.module);
  let t = module ? resolveTypeExpr(state, module, sym.decl.type) : T.unknown;
  if (t.kind === "record" && !t.name) {
    t = { ...t, name: sym.decl.name.name };
    if (sym.decl.type.kind === "RecordType") state.recorder?.recordOrigin(t, sym.module, sym.decl.type);
  }
  if (state.aliasTypes.get(sym.decl) === null) state.aliasTypes.set(sym.decl, t);
  return state.aliasTypes.get(sym.decl) ?? T.unknown;
}

/** Type names visible in `module`, for suggestions. */
function typeNames(module: ModuleInfo): string[] {
  const names = [...BUILTIN_TYPE_NAMES];
  for (const [name, entry] of module.scope) if (entry.sym.kind === "type") names.push(name);
  return names;
}

function namedType(state: CheckState, module: ModuleInfo, name: Ident, args: readonly TypeExpr[]): Type {
  const loc = { file: module.key, span: name.span };
  const n = name.name;
  const entry = module.scope.get(n);
  if (entry) {
    if (entry.sym.kind === "broken") return T.unknown;
    if (entry.sym.kind === "type") {
      if (state.recorder) linkGlobal(state.recorder, module.key, name, entry);
      if (args.length > 0) state.report(E.typeArity(loc, n, 0));
      return aliasType(state, entry.sym);
    }
  }
  if (n === "list") {
    if (args.length !== 1) {
      state.report(E.typeArity(loc, n, 1));
      return T.list(T.unknown);
    }
    return T.list(resolveTypeExpr(state, module, args[0]!));
  }
  if (n === "Reply") {
    if (args.length > 1) state.report(E.typeArity(loc, n, 1));
    return args.length >= 1 ? sharedReplyType(resolveTypeExpr(state, module, args[0]!)) : sharedReplyType();
  }
  const primitive = Object.hasOwn(PRIMITIVE_TYPES, n) ? PRIMITIVE_TYPES[n] : undefined;
  if (primitive) {
    if (args.length > 0) state.report(E.typeArity(loc, n, 0));
    return primitive;
  }
  state.report(E.unknownType(loc, n, suggest(n, typeNames(module))));
  return T.unknown;
}

/** Resolves a type expression written in `module`. */
export function resolveTypeExpr(state: CheckState, module: ModuleInfo, te: TypeExpr | undefined): Type {
  if (!te) return T.unknown;
  switch (te.kind) {
    case "NamedType":
      return namedType(state, module, te.name, te.args ?? []);
    case "RecordType": {
      const seen = new Set<string>();
      const fields: { name: string; type: Type }[] = [];
      for (const f of te.fields) {
        if (seen.has(f.name.name)) {
          state.report(E.duplicateName({ file: module.key, span: f.name.span }, f.name.name, "in this record type"));
          continue;
        }
        seen.add(f.name.name);
        fields.push({ name: f.name.name, type: resolveTypeExpr(state, module, f.type) });
      }
      const record: Type = { kind: "record", fields };
      state.recorder?.recordOrigin(record, module.key, te);
      return record;
    }
    case "OptionalType":
      return T.optional(resolveTypeExpr(state, module, te.inner));
    case "UnionType": {
      const members: Type[] = [];
      for (const m of te.members) {
        const t = resolveTypeExpr(state, module, m);
        if (t.kind === "literal") {
          if (!members.some((x) => x.kind === "literal" && x.value === t.value)) members.push(t);
        } else if (t.kind === "union" && t.members.every((x) => x.kind === "literal")) {
          for (const x of t.members) if (!members.some((y) => y.kind === "literal" && x.kind === "literal" && y.value === x.value)) members.push(x);
        } else if (t.kind === "unknown") {
          return T.unknown;
        } else {
          state.report(E.nonLiteralUnion({ file: module.key, span: m.span }));
          return T.unknown;
        }
      }
      return members.length === 1 ? members[0]! : { kind: "union", members };
    }
    case "LiteralType":
      return { kind: "literal", value: te.value };
  }
}

/**
 * The type named by the value of an `output:` option. The parser reads `output: Plan` as a name and
 * `output: { a: string }` as a record literal; both are read back as types here.
 */
export function typeFromExpr(state: CheckState, module: ModuleInfo, expr: Expr): Type {
  const cached = state.outputTypes.get(expr);
  if (cached) return cached;
  const t = computeTypeFromExpr(state, module, expr);
  state.outputTypes.set(expr, t);
  return t;
}

function computeTypeFromExpr(state: CheckState, module: ModuleInfo, expr: Expr): Type {
  switch (expr.kind) {
    case "TypeValue":
      return resolveTypeExpr(state, module, expr.type);
    case "NameExpr":
      return namedType(state, module, expr.name, []);
    case "RecordLit": {
      const fields: { name: string; type: Type }[] = [];
      for (const f of expr.fields) {
        if (fields.some((x) => x.name === f.name.name)) {
          state.report(E.duplicateName({ file: module.key, span: f.name.span }, f.name.name, "in this record type"));
          continue;
        }
        fields.push({ name: f.name.name, type: typeFromExpr(state, module, f.value) });
      }
      return { kind: "record", fields };
    }
    case "StringLit":
      if (expr.parts.length <= 1 && expr.parts.every((p) => p.kind === "TextPart")) {
        return { kind: "literal", value: expr.parts[0]?.kind === "TextPart" ? expr.parts[0].value : "" };
      }
      break;
    default:
      break;
  }
  state.report(E.notAType({ file: module.key, span: expr.span }));
  return T.unknown;
}

/** The call around an offset and the parameters its callee takes (built-in, action, workflow or constructor). */
import type { CallExpr, Param } from "../ast/ast.js";
import { APPROVE_PARAMS, ASK_PARAMS, BUILTIN_FNS, COMMON_OPTIONS, SH_PARAMS, type ParamSpec } from "../check/builtins.js";
import { typeToString } from "../types.js";
import { moduleOf, type Analysis } from "./analysis.js";
import { declAt } from "./hover.js";
import { nodesAt } from "./node-at.js";
import { symbolAt } from "./symbol-at.js";

export interface ParamInfo {
  readonly name: string;
  /** The type as written in messages (`duration?`), or `any`. */
  readonly type: string;
  readonly required: boolean;
}

export interface CalleeInfo {
  /** `sh`, `coder.ask`, `deploy`. */
  readonly name: string;
  /** Parameters that may be given by position (in order), then by name. */
  readonly params: readonly ParamInfo[];
  readonly positional: number;
  readonly doc?: string;
}

/** How a parameter checked by a rule of its own is shown. */
const SPECIAL_TYPES: Readonly<Record<NonNullable<ParamSpec["special"]>, string>> = {
  any: "any",
  output: "a type",
  command: "string | list<string>",
  env: "{ …: string }",
};

function fromSpecs(specs: readonly ParamSpec[]): ParamInfo[] {
  return specs.map((p) => {
    const shown = p.special ? SPECIAL_TYPES[p.special] : typeToString(p.type);
    return { name: p.name, type: p.special && !p.required ? `${shown}?` : shown, required: p.required };
  });
}

function fromDecl(a: Analysis, params: readonly Param[], source: string): ParamInfo[] {
  return params.map((p) => {
    const t = a.program?.paramTypes.get(p);
    const type = t ? typeToString(t) : source.slice(p.type.span.start, p.type.span.end);
    return { name: p.name.name, type, required: p.default === undefined && t?.kind !== "optional" };
  });
}

/** The callee of `call` in `file`, with its parameters, when the checker knows it. */
export function calleeOf(a: Analysis, file: string, call: CallExpr): CalleeInfo | undefined {
  const callee = call.callee;
  if (callee.kind === "MemberExpr" && callee.name.name === "ask") {
    const source = a.result.sources.get(file) ?? "";
    return { name: source.slice(callee.span.start, callee.span.end), params: fromSpecs(ASK_PARAMS), positional: 1 };
  }
  if (callee.kind !== "NameExpr") return undefined;
  const name = callee.name.name;
  const sym = symbolAt(a, file, callee.name.span.start);
  if (sym && (sym.kind === "workflow" || sym.kind === "ctor")) {
    const decl = declAt(a, sym.def);
    const source = a.result.sources.get(sym.def.file) ?? "";
    if (decl?.kind === "WorkflowDecl") {
      const own = fromDecl(a, decl.params, source);
      const options = fromSpecs(COMMON_OPTIONS.filter((o) => !own.some((p) => p.name === o.name)));
      return { name, params: [...own, ...options], positional: own.length, ...(decl.doc ? { doc: decl.doc } : {}) };
    }
    if (decl?.kind === "AgentCtorDecl") {
      const own = fromDecl(a, decl.params, source);
      return { name, params: own, positional: own.length, ...(decl.doc ? { doc: decl.doc } : {}) };
    }
    return undefined;
  }
  if (sym) return undefined;
  if (name === "sh") return { name, params: fromSpecs(SH_PARAMS), positional: 1 };
  if (name === "approve") return { name, params: fromSpecs(APPROVE_PARAMS), positional: 1 };
  const fn = Object.hasOwn(BUILTIN_FNS, name) ? BUILTIN_FNS[name] : undefined;
  if (fn) return { name, params: fromSpecs(fn.params), positional: fn.params.length };
  return undefined;
}

/** The innermost call whose parentheses hold `offset`. */
export function callAt(a: Analysis, file: string, offset: number): CallExpr | undefined {
  const module = moduleOf(a, file);
  if (!module) return undefined;
  const path = nodesAt(module, offset);
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    if (n.kind !== "CallExpr") continue;
    const call = n as CallExpr;
    if (offset > call.callee.span.end && offset < call.span.end) return call;
  }
  return undefined;
}

export interface SignatureInfo extends CalleeInfo {
  /** The parameter the argument at the cursor binds, an index into `params`. */
  readonly active?: number;
}

/** Signature help at `offset`: the call around it, and which parameter the cursor is on. */
export function signatureAt(a: Analysis, file: string, offset: number): SignatureInfo | undefined {
  const call = callAt(a, file, offset);
  if (!call) return undefined;
  const info = calleeOf(a, file, call);
  if (!info) return undefined;
  let positional = 0;
  for (const arg of call.args) {
    const at = offset >= arg.span.start && offset <= arg.span.end;
    if (at && arg.name) {
      const i = info.params.findIndex((p) => p.name === arg.name!.name);
      return { ...info, ...(i >= 0 ? { active: i } : {}) };
    }
    if (at) return { ...info, active: positional };
    if (arg.span.end < offset && !arg.name) positional++;
  }
  return positional < info.positional ? { ...info, active: positional } : info;
}

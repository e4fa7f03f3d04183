/**
 * What hovering shows: a name's kind and type at that point (a step's result type where it is
 * read: optional after an `if`, a list after a `for`), a declaration's signature and its `///`
 * doc comment, or the type of the expression under the cursor.
 */
import type { AgentStmt, Decl, Expr, Ident, Module, Node } from "../ast/ast.js";
import { BUILTIN_FNS } from "../check/builtins.js";
import type { Loc } from "../check/errors.js";
import type { Span } from "../span.js";
import { typeToString, type Type } from "../types.js";
import { moduleOf, type Analysis } from "./analysis.js";
import { nodesAt } from "./node-at.js";
import { symbolAt } from "./symbol-at.js";

export interface HoverInfo {
  /** Code, in `.cm` syntax. */
  readonly code: string;
  /** The doc comment, Markdown. */
  readonly doc?: string;
  readonly span: Span;
}

const EXPRESSION_KINDS = new Set([
  "StringLit", "NumberLit", "DurationLit", "BoolLit", "NoneLit", "ListLit", "RecordLit", "NameExpr",
  "MemberExpr", "IndexExpr", "CallExpr", "UnaryExpr", "BinaryExpr",
]);

/** The declaration whose name is at `def`, when it is a top-level one. */
export function declAt(a: Analysis, def: Loc): Decl | undefined {
  return moduleOf(a, def.file)?.decls.find((d) => d.name.span.start === def.span.start);
}

/** The type the checker gave `e`, if it gave one. */
export function typeOf(a: Analysis, e: Expr): Type | undefined {
  return a.index.types.get(e) ?? a.program?.exprTypes.get(e);
}

/** How a declaration is written, up to its body: `workflow f(x: int) -> string`. */
function declHeader(source: string, decl: Decl, a: Analysis): string {
  const text = (from: number, to: number) => source.slice(from, to).replace(/\s+/g, " ").trim();
  const exported = decl.exported ? "export " : "";
  switch (decl.kind) {
    case "WorkflowDecl":
      return `${exported}${text(source.lastIndexOf("workflow", decl.name.span.start), decl.body.span.start)}`;
    case "TypeDecl":
    case "AgentCtorDecl":
      return `${exported}${text(source.lastIndexOf(decl.kind === "TypeDecl" ? "type" : "agent", decl.name.span.start), decl.span.end)}`;
    case "LetDecl":
    case "AgentDecl": {
      const t = typeOf(a, decl.value);
      const keyword = decl.kind === "LetDecl" ? "let" : "agent";
      const value = text(decl.value.span.start, decl.value.span.end);
      return decl.kind === "AgentDecl"
        ? `${exported}agent ${decl.name.name} = ${value}`
        : `${exported}${keyword} ${decl.name.name}: ${t ? typeToString(t) : "unknown"}`;
    }
  }
}

/** The expression whose name is the identifier at `span`, in `module`. */
function useAt(module: Module | undefined, span: Span): Node | undefined {
  if (!module) return undefined;
  const path = nodesAt(module, span.start);
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    if ((n.kind === "NameExpr" || n.kind === "MemberExpr") && n.span.end === span.end) return n;
  }
  return undefined;
}

/** `agent name = ctor(settings…)` for a local agent declared at `def`. */
function localAgent(a: Analysis, def: Loc): string | undefined {
  const module = moduleOf(a, def.file);
  if (!module) return undefined;
  const stmt = nodesAt(module, def.span.start).find((n): n is AgentStmt => n.kind === "AgentStmt" && (n as AgentStmt).name.span.start === def.span.start);
  if (!stmt) return undefined;
  const source = a.result.sources.get(def.file) ?? "";
  return `agent ${stmt.name.name} = ${source.slice(stmt.value.span.start, stmt.value.span.end).replace(/\s+/g, " ")}`;
}

/** The hover at `offset` of `file`, or undefined where there is nothing to tell. */
export function hoverAt(a: Analysis, file: string, offset: number): HoverInfo | undefined {
  const module = moduleOf(a, file);
  const source = a.result.sources.get(file) ?? "";
  const sym = symbolAt(a, file, offset);
  if (sym) {
    const decl = declAt(a, sym.def);
    if (decl && sym.kind !== "field" && sym.kind !== "param") {
      const declSource = a.result.sources.get(sym.def.file) ?? "";
      const where = sym.def.file === file ? "" : `\n// ${sym.def.file}`;
      return { code: declHeader(declSource, decl, a) + where, ...(decl.doc ? { doc: decl.doc } : {}), span: sym.span };
    }
    const agent = sym.kind === "agent" ? localAgent(a, sym.def) : undefined;
    if (agent) return { code: agent, span: sym.span };
    const use = useAt(module, sym.span);
    const local = a.index.localAt(sym.def.file, sym.def.span.start);
    const t = (use && typeOf(a, use as Expr)) ?? local?.type;
    const name = source.slice(sym.span.start, sym.span.end);
    const label = sym.kind === "loop" ? "for" : sym.kind === "catch" ? "catch" : sym.kind;
    return { code: `${label} ${name}: ${t ? typeToString(t) : "unknown"}`, span: sym.span };
  }
  if (!module) return undefined;
  const path = nodesAt(module, offset);
  const leaf = path[path.length - 1];
  const parent = path[path.length - 2];
  if (leaf?.kind === "Ident" && parent?.kind === "NameExpr") {
    const name = (leaf as Ident).name;
    const fn = Object.hasOwn(BUILTIN_FNS, name) ? BUILTIN_FNS[name] : undefined;
    if (fn) {
      const params = fn.params.map((p) => `${p.name}: ${p.special === "any" ? "any" : typeToString(p.type)}`).join(", ");
      return { code: `${name}(${params}) -> ${typeToString(fn.returns)}`, doc: "built-in function", span: leaf.span };
    }
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    if (!EXPRESSION_KINDS.has(n.kind)) continue;
    const t = typeOf(a, n as Expr);
    if (t) return { code: typeToString(t), span: n.span };
  }
  return undefined;
}

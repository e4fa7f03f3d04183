/** Helpers for parser tests: parse expecting no errors, and print nodes as compact s-expressions. */
import { expect } from "vitest";
import type { Decl, Expr, Module, Stmt, TypeExpr } from "../../src/compiler/ast/ast.js";
import type { Diagnostic } from "../../src/compiler/diagnostics.js";
import { parse } from "../../src/compiler/parser/index.js";

/** Parses `text` and fails the test if there is any diagnostic. */
export function parseClean(text: string): Module {
  const { module, diagnostics } = parse(text, "test.cm");
  expect(diagnostics.map(describe)).toEqual([]);
  return module;
}

/** Parses `text` and returns only the diagnostics. */
export function errorsOf(text: string): Diagnostic[] {
  return parse(text, "test.cm").diagnostics;
}

/** `code line:col message` for a diagnostic. */
export function describe(d: Diagnostic, text?: string): string {
  if (text === undefined) return `${d.code} ${d.message}`;
  const before = text.slice(0, d.span.start);
  const line = before.split("\n").length;
  const column = d.span.start - before.lastIndexOf("\n");
  return `${d.code} ${line}:${column} ${d.message}`;
}

/** An s-expression of a node without spans: `(Call sh "x" check=false)`-like, stable and readable. */
export function sexp(node: unknown): string {
  if (Array.isArray(node)) return `[${node.map(sexp).join(" ")}]`;
  if (node === null || typeof node !== "object") return JSON.stringify(node);
  const n = node as { kind: string } & Record<string, unknown>;
  switch (n.kind) {
    case "Ident":
      return String(n["name"]);
    case "NameExpr":
      return sexp(n["name"]);
    case "TextPart":
      return JSON.stringify(n["value"]);
    case "NumberLit":
      return String(n["value"]) + (n["isFloat"] ? "f" : "");
    case "DurationLit":
      return `${String(n["ms"])}ms`;
    case "BoolLit":
      return String(n["value"]);
    case "NoneLit":
      return "none";
    case "BinaryExpr":
      return `(${String(n["op"])} ${sexp(n["left"])} ${sexp(n["right"])})`;
    case "UnaryExpr":
      return `(${String(n["op"])} ${sexp(n["operand"])})`;
    case "MemberExpr":
      return `${sexp(n["object"])}${n["optional"] ? "?." : "."}${sexp(n["name"])}`;
    case "StringLit":
      return `(str${(n["parts"] as unknown[]).map((p) => " " + sexp(p)).join("")})`;
    case "InterpPart":
      return `\${${sexp(n["expr"])}}`;
    case "CallExpr":
      return `(call ${sexp(n["callee"])}${(n["args"] as unknown[]).map((a) => " " + sexp(a)).join("")})`;
    case "Arg":
      return n["name"] ? `${sexp(n["name"])}=${sexp(n["value"])}` : sexp(n["value"]);
    case "NamedType":
      return (n["args"] as unknown[]).length ? `${sexp(n["name"])}<${(n["args"] as unknown[]).map(sexp).join(", ")}>` : sexp(n["name"]);
    case "OptionalType":
      return `${sexp(n["inner"])}?`;
    case "LiteralType":
      return JSON.stringify(n["value"]);
    case "TypeValue":
      return `(type ${sexp(n["type"])})`;
    case "UnionType":
      return `(${(n["members"] as unknown[]).map(sexp).join(" | ")})`;
    default: {
      const fields = Object.entries(n)
        .filter(([k, v]) => k !== "kind" && k !== "span" && k !== "fromSpan" && v !== undefined)
        .map(([k, v]) => `${k}=${sexp(v)}`);
      return `(${n.kind}${fields.length ? " " + fields.join(" ") : ""})`;
    }
  }
}

/** Parses `let x = <expr>` and prints the expression. */
export function expr(source: string): string {
  const decl = parseClean(`let x = ${source}`).decls[0] as Decl & { value: Expr };
  return sexp(decl.value);
}

/** Parses `type T = <type>` and prints the type. */
export function type(source: string): string {
  const decl = parseClean(`type T = ${source}`).decls[0] as Decl & { type: TypeExpr };
  return sexp(decl.type);
}

/** Parses the statements of a workflow body. */
export function body(source: string): readonly Stmt[] {
  const decl = parseClean(`workflow w() {\n${source}\n}`).decls[0];
  if (decl?.kind !== "WorkflowDecl") throw new Error("no workflow");
  return decl.body.statements;
}

/** The first string literal value of `let x = <string>`, as one text (interpolations shown as `${…}`). */
export function stringValue(source: string): string {
  const decl = parseClean(`let x = ${source}`).decls[0] as Decl & { value: Expr };
  if (decl.value.kind !== "StringLit") throw new Error("not a string");
  return decl.value.parts.map((p) => (p.kind === "TextPart" ? p.value : `\${${sexp(p.expr)}}`)).join("");
}

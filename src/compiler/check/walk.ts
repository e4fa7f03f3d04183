/** Syntactic walks over statements and expressions that several checker passes need. */
import type { Block, Expr, StepStmt, Stmt } from "../ast/ast.js";
import { T, type Type } from "../types.js";

/** Shared by every statement without blocks. */
const NO_BLOCKS: readonly Block[] = [];

/** The blocks directly owned by a statement, in source order. */
export function childBlocks(stmt: Stmt): readonly Block[] {
  switch (stmt.kind) {
    case "IfStmt": {
      const out = [stmt.then];
      if (stmt.otherwise?.kind === "Block") out.push(stmt.otherwise);
      else if (stmt.otherwise?.kind === "IfStmt") out.push(...childBlocks(stmt.otherwise));
      return out;
    }
    case "ParallelStmt":
      return [{ kind: "Block", span: stmt.span, statements: stmt.branches }];
    case "BlockStmt":
      return [stmt.block];
    case "ForStmt":
      return [stmt.body];
    case "RepeatStmt":
      return stmt.otherwise ? [stmt.body, stmt.otherwise] : [stmt.body];
    case "TryStmt":
      return [stmt.body, stmt.handler];
    default:
      return NO_BLOCKS;
  }
}

/** Every `step` statement in the statements, nested ones included, in source order. */
export function stepsIn(statements: readonly Stmt[]): StepStmt[] {
  const out: StepStmt[] = [];
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (!s) continue;
      if (s.kind === "StepStmt") out.push(s);
      for (const b of childBlocks(s)) visit(b.statements ?? []);
    }
  };
  visit(statements);
  return out;
}

/**
 * The type each step in `statements` has at their end, computed from the structure alone: a step
 * under `if` or `try` may be missing (`T?`), a step under `for` is a list.
 */
export function typesAtEnd(statements: readonly Stmt[], stepType: (s: StepStmt) => Type): Map<string, Type> {
  const out = new Map<string, Type>();
  const visit = (stmts: readonly Stmt[], wrap: (t: Type) => Type): void => {
    for (const s of stmts) {
      if (!s) continue;
      switch (s.kind) {
        case "StepStmt":
          if (!out.has(s.name.name)) out.set(s.name.name, wrap(stepType(s)));
          break;
        case "IfStmt":
        case "TryStmt":
          for (const b of childBlocks(s)) visit(b.statements, (t) => wrap(T.optional(t)));
          break;
        case "ForStmt":
          visit(s.body.statements, (t) => wrap(T.list(t)));
          break;
        case "RepeatStmt":
          visit(s.body.statements, wrap);
          if (s.otherwise) visit(s.otherwise.statements, (t) => wrap(T.optional(t)));
          break;
        default:
          for (const b of childBlocks(s)) visit(b.statements, wrap);
      }
    }
  };
  visit(statements, (t) => t);
  return out;
}

/** The direct sub-expressions of an expression. */
export function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case "StringLit":
      return e.parts.flatMap((p) => (p.kind === "InterpPart" ? [p.expr] : []));
    case "ListLit":
      return [...e.items];
    case "RecordLit":
      return e.fields.map((f) => f.value);
    case "MemberExpr":
      return [e.object];
    case "IndexExpr":
      return [e.object, e.index];
    case "CallExpr":
      return [e.callee, ...e.args.map((a) => a.value)];
    case "UnaryExpr":
      return [e.operand];
    case "BinaryExpr":
      return [e.left, e.right];
    default:
      return [];
  }
}

/** Calls `f` on `e` and every expression inside it. */
export function forEachExpr(e: Expr | undefined, f: (e: Expr) => void): void {
  if (!e) return;
  f(e);
  for (const c of childExprs(e)) forEachExpr(c, f);
}

/** The layout of blocks and statements: one statement a line, bodies indented, `} else {` on one line. */
import { assertNever, type Block, type Expr, type Stmt } from "../ast/ast.js";
import type { Doc } from "./doc.js";
import { printArgs, printExpr } from "./expressions.js";
import { braced, type Context, type Item } from "./layout.js";

function statementItems(ctx: Context, statements: readonly Stmt[]): Item[] {
  return statements.map((s) => ({ start: s.span.start, end: s.span.end, doc: () => printStmt(ctx, s) }));
}

export function printBlock(ctx: Context, block: Block): Doc {
  return braced(ctx, statementItems(ctx, block.statements), block.span.end);
}

function binding(ctx: Context, keyword: string, name: string, value: Expr): Doc {
  return [keyword, " ", name, " = ", printExpr(ctx, value)];
}

export function printStmt(ctx: Context, s: Stmt): Doc {
  switch (s.kind) {
    case "StepStmt":
      return binding(ctx, "step", s.name.name, s.action);
    case "LetStmt":
      return binding(ctx, "let", s.name.name, s.value);
    case "AgentStmt":
      return binding(ctx, "agent", s.name.name, s.value);
    case "IfStmt": {
      const head: Doc[] = ["if ", printExpr(ctx, s.condition), " ", printBlock(ctx, s.then)];
      if (s.otherwise === undefined) return head;
      const otherwise = s.otherwise.kind === "IfStmt" ? printStmt(ctx, s.otherwise) : printBlock(ctx, s.otherwise);
      return [head, " else ", otherwise];
    }
    case "ParallelStmt":
      return [
        "parallel ",
        s.limit ? [printExpr(ctx, s.limit), " "] : "",
        braced(ctx, statementItems(ctx, s.branches), s.span.end),
      ];
    case "BlockStmt":
      return printBlock(ctx, s.block);
    case "ForStmt":
      return [
        "for ",
        s.variable.name,
        " in ",
        printExpr(ctx, s.iterable),
        s.parallel ? [" parallel", s.limit ? [" ", printExpr(ctx, s.limit)] : ""] : "",
        " ",
        printBlock(ctx, s.body),
      ];
    case "RepeatStmt":
      return [
        "repeat max ",
        printExpr(ctx, s.max),
        " ",
        printBlock(ctx, s.body),
        " until ",
        printExpr(ctx, s.until),
        s.otherwise ? [" else ", printBlock(ctx, s.otherwise)] : "",
      ];
    case "TryStmt":
      return ["try ", printBlock(ctx, s.body), " catch ", s.errorName.name, " ", printBlock(ctx, s.handler)];
    case "FailStmt":
    case "EscalateStmt":
      return [
        s.kind === "FailStmt" ? "fail" : "escalate",
        printArgs(ctx, [{ kind: "Arg", span: s.message.span, value: s.message }], s.span.start, s.span.end),
      ];
    case "ReturnStmt":
      return s.value ? ["return ", printExpr(ctx, s.value)] : "return";
    case "ExprStmt":
      return printExpr(ctx, s.expr);
    default:
      return assertNever(s);
  }
}

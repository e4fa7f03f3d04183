/**
 * The CST → AST builder: a chevrotain CST visitor that produces the readonly AST of `ast/ast.ts`
 * with offset spans on every node. Parts of the CST left incomplete by error recovery are dropped
 * at the nearest statement or declaration (their errors are already reported).
 */
import type { CstNode, IToken } from "chevrotain";
import type * as A from "../ast/ast.js";
import { BINARY_PRECEDENCE } from "../ast/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { lex } from "../lexer/lexer.js";
import type { StringPayload } from "../lexer/scan.js";
import { TripleString } from "../lexer/tokens.js";
import { cover, type Span } from "../span.js";
import { cmParser, runParser } from "./cst-parser.js";
import type * as C from "./cst-types.js";
import { numberLiteral } from "./number-literal.js";
import { splitString } from "./string-literal.js";
import { toSyntaxDiagnostic } from "./syntax-errors.js";
import { docBefore } from "./doc-comments.js";

/** One `.f`/`?.f`, `[i]` or `(args)` after a primary, with the offset it starts at. */
type Suffix =
  | { readonly kind: "member"; readonly at: number; readonly access: IToken; readonly name: IToken }
  | { readonly kind: "index"; readonly at: number; readonly index: CstNode; readonly close: IToken }
  | { readonly kind: "call"; readonly at: number; readonly node: C.CallArgsCstNode };

/** Thrown when a CST node lacks a part error recovery skipped; caught at statement/declaration level. */
class Incomplete extends Error {}

/** The per-file context of one AST build. */
export interface BuildContext {
  readonly text: string;
  readonly file: string;
  readonly diagnostics: Diagnostic[];
  /** Start offsets of `///` comment tokens, and their tokens. */
  readonly docs: ReadonlyMap<number, IToken>;
}

function one<T>(items: readonly T[] | undefined): T {
  const item = items?.[0];
  if (item === undefined) throw new Incomplete();
  return item;
}

function valid(offset: number | undefined): offset is number {
  return offset !== undefined && !Number.isNaN(offset);
}

function tokenSpan(token: IToken): Span {
  if (!valid(token.startOffset) || !valid(token.endOffset) || token.isInsertedInRecovery) throw new Incomplete();
  return { start: token.startOffset, end: token.endOffset + 1 };
}

function nodeSpan(node: CstNode): Span {
  const loc = node.location;
  if (loc === undefined || !valid(loc.startOffset) || !valid(loc.endOffset)) throw new Incomplete();
  return { start: loc.startOffset, end: loc.endOffset + 1 };
}

function ident(token: IToken): A.Ident {
  return { kind: "Ident", name: token.image, span: tokenSpan(token) };
}

/**
 * What chevrotain's visitor base class (`getBaseCstVisitorConstructor()`) does: dispatch a CST node
 * to the method named after its rule. Written out so that loading this module does not build the
 * chevrotain parser (see `cmParser()`); {@link astBuilder} checks every rule has a method instead.
 */
class CstVisitorBase {
  visit(node: CstNode | CstNode[] | undefined): unknown {
    const one = Array.isArray(node) ? node[0] : node;
    if (one === undefined) return undefined;
    return (this as unknown as Record<string, (children: unknown, param: unknown) => unknown>)[one.name]!(one.children, undefined);
  }
}

/** Builds AST nodes from CST nodes. One instance is reused; {@link AstBuilder.build} sets the context. */
export class AstBuilder extends CstVisitorBase {
  private ctx: BuildContext = { text: "", file: "", diagnostics: [], docs: new Map() };

  constructor() {
    super();
    const missing = Object.keys(cmParser().getGAstProductions()).filter(
      (rule) => typeof (this as unknown as Record<string, unknown>)[rule] !== "function",
    );
    if (missing.length > 0) throw new Error(`AstBuilder has no method for the rules ${missing.join(", ")}`);
  }

  /** Builds the module of `cst` (a `module` rule node) in the given context. */
  build(cst: CstNode, context: BuildContext): A.Module {
    this.ctx = context;
    return this.visit(cst) as A.Module;
  }

  /** Builds an expression CST (an interpolation) in the current context. */
  private expr(node: CstNode | undefined): A.Expr {
    if (node === undefined) throw new Incomplete();
    return this.visit(node) as A.Expr;
  }

  private type(node: CstNode | undefined): A.TypeExpr {
    if (node === undefined) throw new Incomplete();
    return this.visit(node) as A.TypeExpr;
  }

  private report(diagnostic: Omit<Diagnostic, "file" | "severity">): void {
    this.ctx.diagnostics.push({ severity: "error", file: this.ctx.file, ...diagnostic });
  }

  // ─── Module and declarations ──────────────────────────────────────────────

  module(ctx: C.ModuleCstChildren): A.Module {
    const imports: A.Import[] = [];
    const decls: A.Decl[] = [];
    for (const item of ctx.topItem ?? []) {
      try {
        const built = this.visit(item) as A.Import | A.Decl;
        if (built.kind === "Import") imports.push(built);
        else decls.push(built);
      } catch (e) {
        if (!(e instanceof Incomplete)) throw e;
      }
    }
    return { kind: "Module", file: this.ctx.file, span: { start: 0, end: this.ctx.text.length }, imports, decls };
  }

  topItem(ctx: C.TopItemCstChildren): A.Import | A.Decl {
    if (ctx.importDecl) return this.visit(one(ctx.importDecl)) as A.Import;
    return this.visit(one(ctx.declaration)) as A.Decl;
  }

  importDecl(ctx: C.ImportDeclCstChildren): A.Import {
    const fromToken = one(ctx.StringLiteral);
    const names = (ctx.importName ?? []).map((n) => this.visit(n) as A.ImportName);
    return {
      kind: "Import",
      span: cover(tokenSpan(one(ctx.Kw_import)), tokenSpan(fromToken)),
      names,
      from: this.plainString(fromToken, "an import path"),
      fromSpan: tokenSpan(fromToken),
    };
  }

  importName(ctx: C.ImportNameCstChildren): A.ImportName {
    const name = ident(one(ctx.Ident));
    const aliasToken = ctx.Kw_as ? ctx.Ident[1] : undefined;
    if (ctx.Kw_as && aliasToken === undefined) throw new Incomplete();
    const alias = aliasToken === undefined ? undefined : ident(aliasToken);
    return { kind: "ImportName", span: alias ? cover(name.span, alias.span) : name.span, name, ...(alias ? { alias } : {}) };
  }

  declaration(ctx: C.DeclarationCstChildren): A.Decl {
    const inner = ctx.typeDecl ?? ctx.workflowDecl ?? ctx.agentDecl ?? ctx.letDecl;
    const decl = this.visit(one<CstNode>(inner)) as A.Decl;
    const exportToken = ctx.Kw_export?.[0];
    const span = exportToken ? cover(tokenSpan(exportToken), decl.span) : decl.span;
    const doc = this.docBefore(span.start);
    return { ...decl, span, exported: exportToken !== undefined, ...(doc === undefined ? {} : { doc }) };
  }

  /** The `///` lines directly above the line where a declaration starts, if that line starts with it. */
  private docBefore(start: number): string | undefined {
    const { text, docs } = this.ctx;
    if (docs.size === 0) return undefined;
    return docBefore(text, start, (offset) => docs.get(offset)?.image);
  }

  typeDecl(ctx: C.TypeDeclCstChildren): A.TypeDecl {
    const type = this.type(ctx.typeExpr?.[0]);
    return { kind: "TypeDecl", span: cover(tokenSpan(one(ctx.Kw_type)), type.span), name: ident(one(ctx.Ident)), exported: false, type };
  }

  workflowDecl(ctx: C.WorkflowDeclCstChildren): A.WorkflowDecl {
    const params = this.visit(one(ctx.paramList)) as A.Param[];
    const returns = ctx.Arrow ? this.type(ctx.typeExpr?.[0]) : undefined;
    const body = this.visit(one(ctx.block)) as A.Block;
    return {
      kind: "WorkflowDecl",
      span: cover(tokenSpan(one(ctx.Kw_workflow)), body.span),
      name: ident(one(ctx.Ident)),
      exported: false,
      params,
      ...(returns ? { returns } : {}),
      body,
    };
  }

  agentDecl(ctx: C.AgentDeclCstChildren): A.AgentDecl | A.AgentCtorDecl {
    const keyword = tokenSpan(one(ctx.Kw_agent));
    const name = ident(one(ctx.Ident));
    if (ctx.paramList) {
      const list = one(ctx.paramList);
      const params = this.visit(list) as A.Param[];
      return { kind: "AgentCtorDecl", span: cover(keyword, nodeSpan(list)), name, exported: false, params };
    }
    const value = this.expr(ctx.expression?.[0]);
    return { kind: "AgentDecl", span: cover(keyword, value.span), name, exported: false, value };
  }

  letDecl(ctx: C.LetDeclCstChildren): A.LetDecl {
    const value = this.expr(ctx.expression?.[0]);
    return { kind: "LetDecl", span: cover(tokenSpan(one(ctx.Kw_let)), value.span), name: ident(one(ctx.Ident)), exported: false, value };
  }

  paramList(ctx: C.ParamListCstChildren): A.Param[] {
    return (ctx.param ?? []).map((p) => this.visit(p) as A.Param);
  }

  param(ctx: C.ParamCstChildren): A.Param {
    const name = ident(one(ctx.AnyName));
    const type = this.type(ctx.typeExpr?.[0]);
    const value = ctx.Equals ? this.expr(ctx.expression?.[0]) : undefined;
    return { kind: "Param", span: cover(name.span, (value ?? type).span), name, type, ...(value ? { default: value } : {}) };
  }

  // ─── Types ────────────────────────────────────────────────────────────────

  typeExpr(ctx: C.TypeExprCstChildren): A.TypeExpr {
    const members = ctx.optionalType.map((t) => this.type(t));
    if (members.length === 1) return members[0]!;
    if (members.length === 0) throw new Incomplete();
    return { kind: "UnionType", span: cover(members[0]!.span, members[members.length - 1]!.span), members };
  }

  optionalType(ctx: C.OptionalTypeCstChildren): A.TypeExpr {
    const inner = this.type(ctx.typeAtom?.[0]);
    const question = ctx.Question?.[0];
    if (question === undefined) return inner;
    return { kind: "OptionalType", span: cover(inner.span, tokenSpan(question)), inner };
  }

  typeAtom(ctx: C.TypeAtomCstChildren): A.TypeExpr {
    return this.type(one<CstNode>(ctx.namedType ?? ctx.recordType ?? ctx.literalType ?? ctx.parenType));
  }

  namedType(ctx: C.NamedTypeCstChildren): A.NamedType {
    const name = ident(one(ctx.Ident ?? ctx.Kw_agent));
    const args = ctx.Less ? (ctx.typeExpr ?? []).map((t) => this.type(t)) : [];
    if (ctx.Less && args.length === 0) throw new Incomplete();
    const span = ctx.Less ? cover(name.span, tokenSpan(one(ctx.Greater))) : name.span;
    return { kind: "NamedType", span, name, args };
  }

  recordType(ctx: C.RecordTypeCstChildren): A.RecordType {
    const open = tokenSpan(one(ctx.RecordOpen));
    const fields = (ctx.recordTypeField ?? []).map((f) => this.visit(f) as A.RecordTypeField);
    return { kind: "RecordType", span: cover(open, tokenSpan(one(ctx.RCurly))), fields };
  }

  recordTypeField(ctx: C.RecordTypeFieldCstChildren): A.RecordTypeField {
    const name = ident(one(ctx.AnyName));
    const type = this.type(ctx.typeExpr?.[0]);
    return { kind: "RecordTypeField", span: cover(name.span, type.span), name, type };
  }

  literalType(ctx: C.LiteralTypeCstChildren): A.LiteralType {
    const token = one(ctx.StringLiteral);
    return { kind: "LiteralType", span: tokenSpan(token), value: this.plainString(token, "a string literal type") };
  }

  parenType(ctx: C.ParenTypeCstChildren): A.TypeExpr {
    return this.type(ctx.typeExpr?.[0]);
  }

  // ─── Statements ───────────────────────────────────────────────────────────

  block(ctx: C.BlockCstChildren): A.Block {
    const open = tokenSpan(one(ctx.BlockOpen));
    const close = ctx.RCurly?.[0];
    const end = close && !close.isInsertedInRecovery ? tokenSpan(close) : undefined;
    const statements = this.statements(ctx.statement);
    const last = statements[statements.length - 1];
    return { kind: "Block", span: cover(open, end ?? last?.span ?? open), statements };
  }

  private statements(nodes: readonly CstNode[] | undefined): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const node of nodes ?? []) {
      try {
        out.push(this.visit(node) as A.Stmt);
      } catch (e) {
        if (!(e instanceof Incomplete)) throw e;
      }
    }
    return out;
  }

  statement(ctx: C.StatementCstChildren): A.Stmt {
    const inner =
      ctx.stepStmt ?? ctx.letStmt ?? ctx.agentStmt ?? ctx.ifStmt ?? ctx.parallelStmt ?? ctx.blockStmt ?? ctx.forStmt ??
      ctx.repeatStmt ?? ctx.tryStmt ?? ctx.failStmt ?? ctx.escalateStmt ?? ctx.returnStmt ?? ctx.exprStmt;
    return this.visit(one<CstNode>(inner)) as A.Stmt;
  }

  stepStmt(ctx: C.StepStmtCstChildren): A.StepStmt {
    const action = this.expr(ctx.expression?.[0]);
    return { kind: "StepStmt", span: cover(tokenSpan(one(ctx.Kw_step)), action.span), name: ident(one(ctx.Ident)), action };
  }

  letStmt(ctx: C.LetStmtCstChildren): A.LetStmt {
    const value = this.expr(ctx.expression?.[0]);
    return { kind: "LetStmt", span: cover(tokenSpan(one(ctx.Kw_let)), value.span), name: ident(one(ctx.Ident)), value };
  }

  agentStmt(ctx: C.AgentStmtCstChildren): A.AgentStmt {
    const value = this.expr(ctx.expression?.[0]);
    return { kind: "AgentStmt", span: cover(tokenSpan(one(ctx.Kw_agent)), value.span), name: ident(one(ctx.Ident)), value };
  }

  ifStmt(ctx: C.IfStmtCstChildren): A.IfStmt {
    const condition = this.expr(ctx.expression?.[0]);
    const then = this.visit(one(ctx.block)) as A.Block;
    let otherwise: A.Block | A.IfStmt | undefined;
    if (ctx.Kw_else) {
      const elseNode = ctx.ifStmt?.[0] ?? ctx.block[1];
      if (elseNode === undefined) throw new Incomplete();
      otherwise = this.visit(elseNode) as A.Block | A.IfStmt;
    }
    return {
      kind: "IfStmt",
      span: cover(tokenSpan(one(ctx.Kw_if)), (otherwise ?? then).span),
      condition,
      then,
      ...(otherwise ? { otherwise } : {}),
    };
  }

  parallelStmt(ctx: C.ParallelStmtCstChildren): A.ParallelStmt {
    const limit = ctx.expression ? this.expr(ctx.expression[0]) : undefined;
    const branches = this.statements(ctx.statement);
    const close = ctx.RCurly?.[0];
    const end = close && !close.isInsertedInRecovery ? tokenSpan(close) : tokenSpan(one(ctx.BlockOpen));
    return { kind: "ParallelStmt", span: cover(tokenSpan(one(ctx.Kw_parallel)), end), ...(limit ? { limit } : {}), branches };
  }

  blockStmt(ctx: C.BlockStmtCstChildren): A.BlockStmt {
    const block = this.visit(one(ctx.block)) as A.Block;
    return { kind: "BlockStmt", span: block.span, block };
  }

  forStmt(ctx: C.ForStmtCstChildren): A.ForStmt {
    const iterable = this.expr(ctx.expression?.[0]);
    const parallel = ctx.Kw_parallel !== undefined;
    const limit = parallel && ctx.expression.length > 1 ? this.expr(ctx.expression[1]) : undefined;
    const body = this.visit(one(ctx.block)) as A.Block;
    return {
      kind: "ForStmt",
      span: cover(tokenSpan(one(ctx.Kw_for)), body.span),
      variable: ident(one(ctx.Ident)),
      iterable,
      parallel,
      ...(limit ? { limit } : {}),
      body,
    };
  }

  repeatStmt(ctx: C.RepeatStmtCstChildren): A.RepeatStmt {
    const max = this.expr(ctx.expression?.[0]);
    const body = this.visit(one(ctx.block)) as A.Block;
    const until = this.expr(ctx.expression[1]);
    let otherwise: A.Block | undefined;
    if (ctx.Kw_else) {
      const elseNode = ctx.block[1];
      if (elseNode === undefined) throw new Incomplete();
      otherwise = this.visit(elseNode) as A.Block;
    }
    return {
      kind: "RepeatStmt",
      span: cover(tokenSpan(one(ctx.Kw_repeat)), (otherwise ?? until).span),
      max,
      body,
      until,
      ...(otherwise ? { otherwise } : {}),
    };
  }

  tryStmt(ctx: C.TryStmtCstChildren): A.TryStmt {
    const body = this.visit(one(ctx.block)) as A.Block;
    const handlerNode = ctx.block[1];
    if (handlerNode === undefined) throw new Incomplete();
    const handler = this.visit(handlerNode) as A.Block;
    return { kind: "TryStmt", span: cover(tokenSpan(one(ctx.Kw_try)), handler.span), body, errorName: ident(one(ctx.Ident)), handler };
  }

  failStmt(ctx: C.FailStmtCstChildren): A.FailStmt {
    const arg = one(ctx.messageArg);
    return { kind: "FailStmt", span: cover(tokenSpan(one(ctx.Kw_fail)), nodeSpan(arg)), message: this.visit(arg) as A.Expr };
  }

  escalateStmt(ctx: C.EscalateStmtCstChildren): A.EscalateStmt {
    const arg = one(ctx.messageArg);
    return { kind: "EscalateStmt", span: cover(tokenSpan(one(ctx.Kw_escalate)), nodeSpan(arg)), message: this.visit(arg) as A.Expr };
  }

  messageArg(ctx: C.MessageArgCstChildren): A.Expr {
    one(ctx.RParen);
    return this.expr(ctx.expression?.[0]);
  }

  returnStmt(ctx: C.ReturnStmtCstChildren): A.ReturnStmt {
    const keyword = tokenSpan(one(ctx.Kw_return));
    const value = ctx.expression ? this.expr(ctx.expression[0]) : undefined;
    return { kind: "ReturnStmt", span: value ? cover(keyword, value.span) : keyword, ...(value ? { value } : {}) };
  }

  exprStmt(ctx: C.ExprStmtCstChildren): A.ExprStmt {
    const expr = this.expr(ctx.expression?.[0]);
    return { kind: "ExprStmt", span: expr.span, expr };
  }

  // ─── Expressions ──────────────────────────────────────────────────────────

  /** Applies precedence (low → high: `??`, `||`, `&&`, equality, comparison, `+ -`, `* / %`) to the flat chain. */
  expression(ctx: C.ExpressionCstChildren): A.Expr {
    const operands = (ctx.operand ?? []).map((u) => this.expr(u));
    const ops = ctx.BinaryOp ?? [];
    if (operands.length === 0 || operands.length !== ops.length + 1) throw new Incomplete();
    let index = 0;
    const next = (): A.Expr => operands[index]!;
    const climb = (minPrecedence: number): A.Expr => {
      let left = next();
      while (index < ops.length) {
        const op = ops[index]!.image as A.BinaryOp;
        const precedence = BINARY_PRECEDENCE[op];
        if (precedence < minPrecedence) break;
        index++;
        const right = climb(op === "??" ? precedence : precedence + 1);
        left = { kind: "BinaryExpr", span: cover(left.span, right.span), op, left, right };
      }
      return left;
    };
    return climb(0);
  }

  operand(ctx: C.OperandCstChildren): A.Expr {
    let expr = this.primary(ctx);
    const start = expr.span.start;
    for (const suffix of this.suffixes(ctx)) {
      switch (suffix.kind) {
        case "member": {
          const name = ident(suffix.name);
          expr = { kind: "MemberExpr", span: { start, end: name.span.end }, object: expr, name, optional: suffix.access.image === "?." };
          break;
        }
        case "index": {
          const index = this.expr(suffix.index);
          expr = { kind: "IndexExpr", span: { start, end: tokenSpan(suffix.close).end }, object: expr, index };
          break;
        }
        case "call": {
          const call = suffix.node.children;
          const args = (call.argument ?? []).map((a) => this.visit(a) as A.Arg);
          expr = { kind: "CallExpr", span: { start, end: tokenSpan(one(call.RParen)).end }, callee: expr, args };
          break;
        }
      }
    }
    const ops = ctx.UnaryOp ?? [];
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i]!;
      expr = { kind: "UnaryExpr", span: cover(tokenSpan(op), expr.span), op: op.image as A.UnaryOp, operand: expr };
    }
    return expr;
  }

  /** The primary of an operand: a literal, a name, `( … )`, a list or a record. */
  private primary(ctx: C.OperandCstChildren): A.Expr {
    if (ctx.ValueName) return this.nameExpr(one(ctx.ValueName));
    if (ctx.StringLiteral) return this.stringLit(one(ctx.StringLiteral));
    if (ctx.NumberLiteral) return this.numberLit(one(ctx.NumberLiteral));
    if (ctx.Kw_true) return { kind: "BoolLit", span: tokenSpan(one(ctx.Kw_true)), value: true };
    if (ctx.Kw_false) return { kind: "BoolLit", span: tokenSpan(one(ctx.Kw_false)), value: false };
    if (ctx.Kw_none) return { kind: "NoneLit", span: tokenSpan(one(ctx.Kw_none)) };
    return this.expr(one<CstNode>(ctx.parenExpr ?? ctx.listLit ?? ctx.recordLit));
  }

  /** The operand's suffixes in source order (the CST groups them by kind). */
  private suffixes(ctx: C.OperandCstChildren): Suffix[] {
    const members = ctx.MemberAccess ?? [];
    const brackets = ctx.LBracket ?? [];
    const calls = ctx.callArgs ?? [];
    if (members.length + brackets.length + calls.length === 0) return [];
    const names = ctx.AnyName ?? [];
    const indexes = ctx.expression ?? [];
    const closes = ctx.RBracket ?? [];
    if (names.length !== members.length || indexes.length !== brackets.length || closes.length !== brackets.length) throw new Incomplete();
    const out: Suffix[] = [
      ...members.map((access, i): Suffix => ({ kind: "member", at: access.startOffset, access, name: names[i]! })),
      ...brackets.map((open, i): Suffix => ({ kind: "index", at: open.startOffset, index: indexes[i]!, close: closes[i]! })),
      ...calls.map((node): Suffix => ({ kind: "call", at: nodeSpan(node).start, node })),
    ];
    return out.sort((a, b) => a.at - b.at);
  }

  callArgs(): never {
    throw new Incomplete();
  }

  argument(ctx: C.ArgumentCstChildren): A.Arg {
    const typeNode = ctx.typeExpr?.[0];
    let value: A.Expr;
    if (typeNode) {
      const type = this.visit(typeNode) as A.TypeExpr;
      value = { kind: "TypeValue", span: type.span, type };
    } else value = this.expr(ctx.expression?.[0]);
    const nameToken = ctx.AnyName?.[0];
    if (nameToken === undefined) return { kind: "Arg", span: value.span, value };
    const name = ident(nameToken);
    return { kind: "Arg", span: cover(name.span, value.span), name, value };
  }

  // Lookahead only (`output:` values): never part of a finished CST.
  wholeArgument(): never {
    throw new Error("wholeArgument is a lookahead rule");
  }

  wholeTypeArgument(): never {
    throw new Error("wholeTypeArgument is a lookahead rule");
  }

  argumentEnd(): never {
    throw new Error("argumentEnd is a lookahead rule");
  }

  private nameExpr(token: IToken): A.NameExpr {
    const name = ident(token);
    return { kind: "NameExpr", span: name.span, name };
  }

  parenExpr(ctx: C.ParenExprCstChildren): A.Expr {
    one(ctx.RParen);
    return this.expr(ctx.expression?.[0]);
  }

  listLit(ctx: C.ListLitCstChildren): A.ListLit {
    const items = (ctx.expression ?? []).map((e) => this.expr(e));
    return { kind: "ListLit", span: cover(tokenSpan(one(ctx.LBracket)), tokenSpan(one(ctx.RBracket))), items };
  }

  recordLit(ctx: C.RecordLitCstChildren): A.RecordLit {
    const fields = (ctx.recordField ?? []).map((f) => this.visit(f) as A.RecordLitField);
    return { kind: "RecordLit", span: cover(tokenSpan(one(ctx.RecordOpen)), tokenSpan(one(ctx.RCurly))), fields };
  }

  recordField(ctx: C.RecordFieldCstChildren): A.RecordLitField {
    const name = ident(one(ctx.AnyName));
    const value = this.expr(ctx.expression?.[0]);
    return { kind: "RecordLitField", span: cover(name.span, value.span), name, value };
  }

  // ─── Literals ─────────────────────────────────────────────────────────────

  private numberLit(token: IToken): A.NumberLit | A.DurationLit {
    const span = tokenSpan(token);
    const literal = numberLiteral(token.image, span);
    if (literal.kind !== "invalid") return literal;
    this.report({
      code: "E0105",
      message: `invalid number \`${token.image}\``,
      span,
      label: `\`${literal.suffix}\` is not a duration unit`,
      help: "a duration ends in `ms`, `s`, `m`, `h` or `d` (`500ms`, `30s`, `20m`, `2h`, `1d`)",
    });
    return { kind: "NumberLit", span, value: literal.value, isFloat: token.image.includes(".") };
  }

  private stringLit(token: IToken): A.StringLit {
    const span = tokenSpan(token);
    const triple = token.tokenType === TripleString;
    const unterminated = (token.payload as StringPayload | undefined)?.unterminated ?? false;
    const split = splitString(this.ctx.text, this.ctx.file, span.start, span.end, triple, unterminated);
    this.ctx.diagnostics.push(...split.diagnostics);
    const parts = split.pieces.map((piece): A.TextPart | A.InterpPart =>
      piece.kind === "text"
        ? { kind: "TextPart", span: piece.span, value: piece.value }
        : { kind: "InterpPart", span: piece.span, expr: this.interpolation(piece.span, piece.expr) },
    );
    return { kind: "StringLit", span, parts, triple };
  }

  /** Lexes and parses the expression of one `${…}` with offsets into the file. */
  private interpolation(whole: Span, inner: Span): A.Expr {
    const { text, file, diagnostics } = this.ctx;
    const lexed = lex(text.slice(inner.start, inner.end), file, { base: inner.start, expression: true });
    diagnostics.push(...lexed.diagnostics);
    if (lexed.tokens.length === 0) {
      this.report({ code: "E0101", message: "expected an expression, found `}`", span: { start: inner.end, end: whole.end }, label: "expected an expression inside `${…}`" });
      throw new Incomplete();
    }
    const { cst, errors } = runParser(lexed.tokens, "expression");
    if (errors.length > 0) {
      for (const error of errors) {
        const d = toSyntaxDiagnostic(error, text, file, inner.end);
        // The interpolation's input ends at its closing brace, not at the end of the file.
        diagnostics.push({ ...d, message: d.message.replace(/found end of file$/, "found `}`") });
      }
      throw new Incomplete();
    }
    return this.expr(cst);
  }

  /** The text of a string literal that must not interpolate (an import path, a literal type). */
  private plainString(token: IToken, what: string): string {
    const literal = this.stringLit(token);
    let value = "";
    for (const part of literal.parts) {
      if (part.kind === "TextPart") value += part.value;
      else this.report({ code: "E0101", message: `${what} cannot contain \`\${…}\``, span: part.span, label: "interpolation not allowed here" });
    }
    return value;
  }
}

let shared: AstBuilder | undefined;

/** The shared builder, made on first use (with the chevrotain parser). */
export function astBuilder(): AstBuilder {
  shared ??= new AstBuilder();
  return shared;
}

/**
 * The fast parse path: a hand-written recursive-descent parser over the fast scanner's tokens
 * (`lexer/fast-scan.ts`) that builds the AST directly, for files without syntax errors.
 *
 * Why it exists: `cmc check` must read ≥ 200,000 lines per second, and the chevrotain path (token
 * objects, a CST, then the visitor in `to-ast.ts`) was about 12× too slow, mostly allocation and GC.
 * Why it does not replace that path: error recovery and the wording of every syntax error come from
 * chevrotain (`cst-parser.ts`, `syntax-errors.ts`). So this parser never reports anything: at the
 * first token it cannot fit into the grammar, or anything the CST path would report (an invalid
 * number, escape or interpolation), it gives up on that top-level item and says where it stopped;
 * `parse()` re-parses that item (up to the next top-level line) the chevrotain way and goes on here.
 *
 * It accepts exactly the inputs the grammar of `cst-parser.ts` (= grammar/cm.ebnf) accepts without
 * error, and builds the same AST as `to-ast.ts` (same nodes, spans and key order); a differential
 * test (test/parser/fast-path.test.ts) holds it to that. Change the three together.
 */
import type * as A from "../ast/ast.js";
import { BINARY_PRECEDENCE } from "../ast/ast.js";
import {
  AGENT, AND_AND, ARROW, AS, BANG, BLOCK_OPEN, CATCH, COLON, COMMA, DOT, ELSE, EQUALS, EQ_EQ, ESCALATE, EXPORT, EOF, FAIL, FALSE, FOR, FROM, GREATER, GREATER_EQ, IDENT, IF, IMPORT, IN, LESS, LESS_EQ, LET, L_BRACKET, L_PAREN, MAX, MINUS, NEWLINE, NONE, NOT_EQ, NUMBER, OR_OR, PARALLEL, PERCENT, PIPE, PLAIN_STRING, PLUS, QUESTION, QUESTION_DOT, QUESTION_QUESTION, RECORD_OPEN, REPEAT, RETURN, R_BRACKET, R_CURLY, R_PAREN, SEMICOLON, SLASH, STAR, STEP, TRIPLE_STRING, TRUE, TRY, TYPE, UNTIL, WORKFLOW,
} from "../lexer/fast-kinds.js";
import { fastScan, type DocComments, type FastTokens } from "../lexer/fast-scan.js";
import type { Span } from "../span.js";
import { docBefore } from "./doc-comments.js";
import { numberLiteral } from "./number-literal.js";
import { scanInterpolation } from "../lexer/scan.js";
import { splitString } from "./string-literal.js";

/** Thrown to abandon the item being read; the chevrotain path then reads that item. */
class GiveUp {}
const GIVE_UP = new GiveUp();

/** Binding strength of each binary operator kind (-1: not a binary operator); `??` alone is right-associative. */
const precedence = new Int8Array(64).fill(-1);
const binaryText: string[] = [];
for (const [kind, text] of [
  [QUESTION_QUESTION, "??"],
  [OR_OR, "||"],
  [AND_AND, "&&"],
  [EQ_EQ, "=="],
  [NOT_EQ, "!="],
  [LESS, "<"],
  [LESS_EQ, "<="],
  [GREATER, ">"],
  [GREATER_EQ, ">="],
  [PLUS, "+"],
  [MINUS, "-"],
  [STAR, "*"],
  [SLASH, "/"],
  [PERCENT, "%"],
] as const) {
  precedence[kind] = BINARY_PRECEDENCE[text];
  binaryText[kind] = text;
}

function isAnyName(kind: number): boolean {
  return kind >= IDENT && kind <= NONE;
}

function isValueName(kind: number): boolean {
  return kind === IDENT || kind === FROM || kind === AS || kind === MAX;
}

/**
 * `items` in an array of exactly its length. An array grown by `push` keeps room for 16 more
 * elements, and most AST lists hold one to three: copying them cut the live AST by ~13 %, which is
 * what the garbage collector copies (twice) while a big file is parsed.
 */
function exact<T>(items: T[]): T[] {
  return items.length === 0 ? items : items.slice();
}

function cover(a: Span, b: Span): Span {
  return { start: a.start < b.start ? a.start : b.start, end: a.end > b.end ? a.end : b.end };
}

class FastParser {
  private pos: number;
  /** Arena index just past this text's EOF token, where interpolations are scanned. */
  private readonly free: number;
  /** Arena index of this text's EOF token. */
  private readonly end: number;
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(
    /** The whole file. */
    private readonly text: string,
    private readonly file: string,
    tokens: FastTokens,
    private readonly docs: ReadonlyMap<number, string> | undefined,
    /** Arena index of the first token to read (the first of `tokens` unless given). */
    pos = tokens.first,
  ) {
    this.pos = pos;
    this.end = tokens.first + tokens.count;
    this.free = this.end + 1;
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
  }

  private peek(): number {
    return this.kinds[this.pos]!;
  }

  private expect(kind: number): number {
    const at = this.pos;
    if (this.kinds[at] !== kind) throw GIVE_UP;
    this.pos = at + 1;
    return at;
  }

  private span(at: number): Span {
    return { start: this.starts[at]!, end: this.ends[at]! };
  }

  /**
   * The span from the start of token `at` to `end` (the end of something after that token): what
   * `cover` gives, without allocating the token's own span first.
   */
  private from(at: number, end: number): Span {
    return { start: this.starts[at]!, end };
  }

  private ident(at: number): A.Ident {
    const start = this.starts[at]!;
    const end = this.ends[at]!;
    return { kind: "Ident", name: this.text.slice(start, end), span: { start, end } };
  }

  private name(): A.Ident {
    return this.ident(this.expect(IDENT));
  }

  // ─── Module and declarations ──────────────────────────────────────────────

  /**
   * Reads top-level items into `imports` and `decls` up to the end of the tokens, or up to the
   * first item that starts at `limit` or later. Returns where it stopped on an item it could not
   * read, or on the tokens' end at a lexical error; `undefined` when it read them all.
   */
  items(imports: A.Import[], decls: A.Decl[], limit: number, failedAt: number): FastStop | undefined {
    const { kinds, starts } = this;
    let previous = -1;
    for (;;) {
      const itemAt = this.pos;
      if (kinds[itemAt] === EOF) return failedAt < 0 ? undefined : { itemStart: limit, resume: lineAfter(this.text, lineAfter(this.text, failedAt)) };
      if (starts[itemAt]! >= limit) return { itemStart: starts[itemAt]!, resume: lineAfter(this.text, lineAfter(this.text, failedAt)) };
      const isImport = kinds[itemAt] === IMPORT;
      try {
        if (isImport) imports.push(this.importDecl());
        else decls.push(this.declaration());
      } catch (e) {
        // Deep nesting may overflow this parser's stack before chevrotain's: let it have the item.
        if (e !== GIVE_UP && !(e instanceof RangeError)) throw e;
        if (this.pos !== itemAt || previous < 0) return this.stopAt(itemAt, this.pos, failedAt);
        // A token that cannot start an item is worded after the item before it (`unexpected }`):
        // chevrotain reads that one again too.
        (kinds[previous] === IMPORT ? imports : decls).pop();
        return this.stopAt(previous, itemAt, failedAt);
      }
      const k = kinds[this.pos]!;
      if (k === EOF) continue;
      if (k !== NEWLINE && k !== SEMICOLON) {
        (isImport ? imports : decls).pop();
        return this.stopAt(itemAt, this.pos, failedAt);
      }
      this.pos++;
      previous = itemAt;
    }
  }

  /**
   * The stop for a failure at token `failAt` in the item starting at token `itemAt`: the recovering
   * parser takes over from the item to the second top-level line after the failure. Chevrotain
   * words an error by what follows it (`unexpected }` before more input, but a different message
   * before the end), so it reads the next item too.
   */
  private stopAt(itemAt: number, failAt: number, failedAt: number): FastStop {
    const { kinds, starts, text } = this;
    const itemStart = starts[itemAt]!;
    let lines = 0;
    for (let i = failAt + 1; i < this.end; i++) {
      if (topLevel[kinds[i]!] === 1 && startsLine(text, starts[i]!) && ++lines === 2) return { itemStart, resume: starts[i]! };
    }
    if (failedAt < 0) return { itemStart, resume: text.length };
    return { itemStart, resume: lines === 0 ? lineAfter(text, lineAfter(text, failedAt)) : lineAfter(text, failedAt) };
  }

  private importDecl(): A.Import {
    const keyword = this.span(this.expect(IMPORT));
    this.expect(RECORD_OPEN);
    const names: A.ImportName[] = [];
    if (this.peek() === IDENT) {
      names.push(this.importName());
      while (this.peek() === COMMA) {
        this.pos++;
        if (this.peek() !== IDENT) break;
        names.push(this.importName());
      }
    }
    this.expect(R_CURLY);
    this.expect(FROM);
    const fromAt = this.expectString();
    const fromSpan = this.span(fromAt);
    return { kind: "Import", span: cover(keyword, fromSpan), names, from: this.plainString(fromAt), fromSpan: this.span(fromAt) };
  }

  private expectString(): number {
    const k = this.peek();
    if (k !== PLAIN_STRING && k !== TRIPLE_STRING) throw GIVE_UP;
    return this.pos++;
  }

  private importName(): A.ImportName {
    const name = this.name();
    if (this.peek() !== AS) return { kind: "ImportName", span: name.span, name };
    this.pos++;
    const alias = this.name();
    return { kind: "ImportName", span: cover(name.span, alias.span), name, alias };
  }

  private declaration(): A.Decl {
    let exportAt = -1;
    if (this.peek() === EXPORT) exportAt = this.pos++;
    let decl: A.Decl;
    switch (this.peek()) {
      case TYPE:
        decl = this.typeDecl();
        break;
      case WORKFLOW:
        decl = this.workflowDecl();
        break;
      case AGENT:
        decl = this.agentDecl();
        break;
      case LET:
        decl = this.letDecl();
        break;
      default:
        throw GIVE_UP;
    }
    const span = exportAt >= 0 ? cover(this.span(exportAt), decl.span) : decl.span;
    const doc = this.docBefore(span.start);
    return { ...decl, span, exported: exportAt >= 0, ...(doc === undefined ? {} : { doc }) };
  }

  /** The `///` lines directly above the line where a declaration starts. */
  private docBefore(start: number): string | undefined {
    const { text, docs } = this;
    if (docs === undefined || docs.size === 0) return undefined;
    return docBefore(text, start, (offset) => docs.get(offset));
  }

  private typeDecl(): A.TypeDecl {
    const keyword = this.expect(TYPE);
    const name = this.name();
    this.expect(EQUALS);
    const type = this.typeExpr();
    return { kind: "TypeDecl", span: this.from(keyword, type.span.end), name, exported: false, type };
  }

  private workflowDecl(): A.WorkflowDecl {
    const keyword = this.expect(WORKFLOW);
    const name = this.name();
    const params = this.paramList();
    let returns: A.TypeExpr | undefined;
    if (this.peek() === ARROW) {
      this.pos++;
      returns = this.typeExpr();
    }
    const body = this.block();
    return { kind: "WorkflowDecl", span: this.from(keyword, body.span.end), name, exported: false, params, ...(returns ? { returns } : {}), body };
  }

  private agentDecl(): A.AgentDecl | A.AgentCtorDecl {
    const keyword = this.span(this.expect(AGENT));
    const name = this.name();
    if (this.peek() === L_PAREN) {
      const open = this.starts[this.pos]!;
      const params = this.paramList();
      const close = this.ends[this.pos - 1]!;
      return { kind: "AgentCtorDecl", span: cover(keyword, { start: open, end: close }), name, exported: false, params };
    }
    this.expect(EQUALS);
    const value = this.expression();
    return { kind: "AgentDecl", span: cover(keyword, value.span), name, exported: false, value };
  }

  private letDecl(): A.LetDecl {
    const keyword = this.expect(LET);
    const name = this.name();
    this.expect(EQUALS);
    const value = this.expression();
    return { kind: "LetDecl", span: this.from(keyword, value.span.end), name, exported: false, value };
  }

  private paramList(): A.Param[] {
    this.expect(L_PAREN);
    const params: A.Param[] = [];
    if (isAnyName(this.peek())) {
      params.push(this.param());
      while (this.peek() === COMMA) {
        this.pos++;
        if (!isAnyName(this.peek())) break;
        params.push(this.param());
      }
    }
    this.expect(R_PAREN);
    return exact(params);
  }

  private param(): A.Param {
    const name = this.ident(this.pos++);
    this.expect(COLON);
    const type = this.typeExpr();
    let value: A.Expr | undefined;
    if (this.peek() === EQUALS) {
      this.pos++;
      value = this.expression();
    }
    return { kind: "Param", span: cover(name.span, (value ?? type).span), name, type, ...(value ? { default: value } : {}) };
  }

  // ─── Types ────────────────────────────────────────────────────────────────

  private typeExpr(): A.TypeExpr {
    const first = this.optionalType();
    if (this.peek() !== PIPE) return first;
    const members = [first];
    while (this.peek() === PIPE) {
      this.pos++;
      members.push(this.optionalType());
    }
    return { kind: "UnionType", span: cover(members[0]!.span, members[members.length - 1]!.span), members: exact(members) };
  }

  private optionalType(): A.TypeExpr {
    const inner = this.typeAtom();
    if (this.peek() !== QUESTION) return inner;
    return { kind: "OptionalType", span: cover(inner.span, this.span(this.pos++)), inner };
  }

  private typeAtom(): A.TypeExpr {
    switch (this.peek()) {
      case IDENT:
      case AGENT:
        return this.namedType();
      case RECORD_OPEN:
        return this.recordType();
      case PLAIN_STRING:
      case TRIPLE_STRING: {
        const at = this.pos++;
        return { kind: "LiteralType", span: this.span(at), value: this.plainString(at) };
      }
      case L_PAREN: {
        this.pos++;
        const inner = this.typeExpr();
        this.expect(R_PAREN);
        return inner;
      }
      default:
        throw GIVE_UP;
    }
  }

  private namedType(): A.NamedType {
    const name = this.ident(this.pos++);
    if (this.peek() !== LESS) return { kind: "NamedType", span: name.span, name, args: [] };
    this.pos++;
    const args = [this.typeExpr()];
    while (this.peek() === COMMA) {
      this.pos++;
      if (this.peek() === GREATER) break;
      args.push(this.typeExpr());
    }
    const close = this.span(this.expect(GREATER));
    return { kind: "NamedType", span: cover(name.span, close), name, args: exact(args) };
  }

  private recordType(): A.RecordType {
    const open = this.expect(RECORD_OPEN);
    const fields: A.RecordTypeField[] = [];
    if (isAnyName(this.peek())) {
      fields.push(this.recordTypeField());
      while (this.peek() === COMMA) {
        this.pos++;
        if (!isAnyName(this.peek())) break;
        fields.push(this.recordTypeField());
      }
    }
    const close = this.expect(R_CURLY);
    return { kind: "RecordType", span: this.from(open, this.ends[close]!), fields: exact(fields) };
  }

  private recordTypeField(): A.RecordTypeField {
    const name = this.ident(this.pos++);
    this.expect(COLON);
    const type = this.typeExpr();
    return { kind: "RecordTypeField", span: cover(name.span, type.span), name, type };
  }

  // ─── Statements ───────────────────────────────────────────────────────────

  private block(): A.Block {
    const open = this.expect(BLOCK_OPEN);
    const statements = this.statementList();
    const close = this.expect(R_CURLY);
    return { kind: "Block", span: this.from(open, this.ends[close]!), statements };
  }

  /** `statement (Terminator statement)*`, possibly empty, up to (not including) the closing `}`. */
  private statementList(): A.Stmt[] {
    const out: A.Stmt[] = [];
    if (this.peek() === R_CURLY) return out;
    for (;;) {
      out.push(this.statement());
      const k = this.peek();
      if (k !== NEWLINE && k !== SEMICOLON) return exact(out);
      this.pos++;
    }
  }

  private statement(): A.Stmt {
    switch (this.peek()) {
      case STEP: {
        const keyword = this.pos++;
        const name = this.name();
        this.expect(EQUALS);
        const action = this.expression();
        return { kind: "StepStmt", span: this.from(keyword, action.span.end), name, action };
      }
      case LET: {
        const keyword = this.pos++;
        const name = this.name();
        this.expect(EQUALS);
        const value = this.expression();
        return { kind: "LetStmt", span: this.from(keyword, value.span.end), name, value };
      }
      case AGENT: {
        const keyword = this.pos++;
        const name = this.name();
        this.expect(EQUALS);
        const value = this.expression();
        return { kind: "AgentStmt", span: this.from(keyword, value.span.end), name, value };
      }
      case IF:
        return this.ifStmt();
      case PARALLEL: {
        const keyword = this.pos++;
        const limit = this.peek() === BLOCK_OPEN ? undefined : this.expression();
        this.expect(BLOCK_OPEN);
        const branches = this.statementList();
        const close = this.expect(R_CURLY);
        return { kind: "ParallelStmt", span: this.from(keyword, this.ends[close]!), ...(limit ? { limit } : {}), branches };
      }
      case BLOCK_OPEN: {
        const block = this.block();
        return { kind: "BlockStmt", span: block.span, block };
      }
      case FOR: {
        const keyword = this.pos++;
        const variable = this.name();
        this.expect(IN);
        const iterable = this.expression();
        let parallel = false;
        let limit: A.Expr | undefined;
        if (this.peek() === PARALLEL) {
          this.pos++;
          parallel = true;
          if (this.peek() !== BLOCK_OPEN) limit = this.expression();
        }
        const body = this.block();
        return { kind: "ForStmt", span: this.from(keyword, body.span.end), variable, iterable, parallel, ...(limit ? { limit } : {}), body };
      }
      case REPEAT: {
        const keyword = this.pos++;
        this.expect(MAX);
        const max = this.expression();
        const body = this.block();
        this.expect(UNTIL);
        const until = this.expression();
        let otherwise: A.Block | undefined;
        if (this.peek() === ELSE) {
          this.pos++;
          otherwise = this.block();
        }
        return { kind: "RepeatStmt", span: this.from(keyword, (otherwise ?? until).span.end), max, body, until, ...(otherwise ? { otherwise } : {}) };
      }
      case TRY: {
        const keyword = this.pos++;
        const body = this.block();
        this.expect(CATCH);
        const errorName = this.name();
        const handler = this.block();
        return { kind: "TryStmt", span: this.from(keyword, handler.span.end), body, errorName, handler };
      }
      case FAIL: {
        const keyword = this.pos++;
        const [message, end] = this.messageArg();
        return { kind: "FailStmt", span: this.from(keyword, end.end), message };
      }
      case ESCALATE: {
        const keyword = this.pos++;
        const [message, end] = this.messageArg();
        return { kind: "EscalateStmt", span: this.from(keyword, end.end), message };
      }
      case RETURN: {
        const keyword = this.pos++;
        const k = this.peek();
        const value = k === NEWLINE || k === SEMICOLON || k === R_CURLY || k === EOF ? undefined : this.expression();
        return { kind: "ReturnStmt", span: value ? this.from(keyword, value.span.end) : this.span(keyword), ...(value ? { value } : {}) };
      }
      default: {
        const expr = this.expression();
        return { kind: "ExprStmt", span: expr.span, expr };
      }
    }
  }

  private ifStmt(): A.IfStmt {
    const keyword = this.expect(IF);
    const condition = this.expression();
    const then = this.block();
    let otherwise: A.Block | A.IfStmt | undefined;
    if (this.peek() === ELSE) {
      this.pos++;
      otherwise = this.peek() === IF ? this.ifStmt() : this.block();
    }
    return { kind: "IfStmt", span: this.from(keyword, (otherwise ?? then).span.end), condition, then, ...(otherwise ? { otherwise } : {}) };
  }

  /** `( expr ,? )` of `fail`/`escalate`: the expression, and the span of the whole argument list. */
  private messageArg(): [A.Expr, Span] {
    const open = this.starts[this.expect(L_PAREN)]!;
    const message = this.expression();
    if (this.peek() === COMMA) this.pos++;
    const close = this.ends[this.expect(R_PAREN)]!;
    return [message, { start: open, end: close }];
  }

  // ─── Expressions ──────────────────────────────────────────────────────────

  /** Operands joined by binary operators, with precedence applied as in `to-ast.ts`. */
  expression(): A.Expr {
    const first = this.operand();
    const op = this.peek();
    if (precedence[op]! < 0) return first;
    const operands: A.Expr[] = [first];
    const ops: number[] = [];
    while (precedence[this.peek()]! >= 0) {
      ops.push(this.kinds[this.pos++]!);
      operands.push(this.operand());
    }
    let index = 0;
    const climb = (minPrecedence: number): A.Expr => {
      let left = operands[index]!;
      while (index < ops.length) {
        const kind = ops[index]!;
        const p = precedence[kind]!;
        if (p < minPrecedence) break;
        index++;
        const right = climb(kind === QUESTION_QUESTION ? p : p + 1);
        left = { kind: "BinaryExpr", span: cover(left.span, right.span), op: binaryText[kind] as A.BinaryOp, left, right };
      }
      return left;
    };
    return climb(0);
  }

  private operand(): A.Expr {
    const unaryStart = this.pos;
    while (this.peek() === BANG || this.peek() === MINUS) this.pos++;
    const unaryEnd = this.pos;
    let expr = this.primary();
    const start = expr.span.start;
    for (;;) {
      const k = this.peek();
      if (k === DOT || k === QUESTION_DOT) {
        this.pos++;
        if (!isAnyName(this.peek())) throw GIVE_UP;
        const name = this.ident(this.pos++);
        expr = { kind: "MemberExpr", span: { start, end: name.span.end }, object: expr, name, optional: k === QUESTION_DOT };
      } else if (k === L_BRACKET) {
        this.pos++;
        const index = this.expression();
        const close = this.ends[this.expect(R_BRACKET)]!;
        expr = { kind: "IndexExpr", span: { start, end: close }, object: expr, index };
      } else if (k === L_PAREN) {
        const args = this.callArgs();
        expr = { kind: "CallExpr", span: { start, end: this.ends[this.pos - 1]! }, callee: expr, args };
      } else {
        break;
      }
    }
    for (let i = unaryEnd - 1; i >= unaryStart; i--) {
      const op = this.span(i);
      expr = { kind: "UnaryExpr", span: cover(op, expr.span), op: this.kinds[i] === BANG ? "!" : "-", operand: expr };
    }
    return expr;
  }

  private primary(): A.Expr {
    const at = this.pos;
    const k = this.kinds[at]!;
    switch (k) {
      case IDENT:
      case FROM:
      case AS:
      case MAX: {
        this.pos++;
        const name = this.ident(at);
        return { kind: "NameExpr", span: name.span, name };
      }
      case PLAIN_STRING:
      case TRIPLE_STRING:
        this.pos++;
        return this.stringLit(at);
      case NUMBER:
        this.pos++;
        return this.numberLit(at);
      case TRUE:
        this.pos++;
        return { kind: "BoolLit", span: this.span(at), value: true };
      case FALSE:
        this.pos++;
        return { kind: "BoolLit", span: this.span(at), value: false };
      case NONE:
        this.pos++;
        return { kind: "NoneLit", span: this.span(at) };
      case L_PAREN: {
        this.pos++;
        const inner = this.expression();
        this.expect(R_PAREN);
        return inner;
      }
      case L_BRACKET: {
        this.pos++;
        const items: A.Expr[] = [];
        if (this.peek() !== R_BRACKET) {
          items.push(this.expression());
          while (this.peek() === COMMA) {
            this.pos++;
            if (this.peek() === R_BRACKET) break;
            items.push(this.expression());
          }
        }
        const close = this.expect(R_BRACKET);
        return { kind: "ListLit", span: this.from(at, this.ends[close]!), items: exact(items) };
      }
      case RECORD_OPEN: {
        this.pos++;
        const fields: A.RecordLitField[] = [];
        if (isAnyName(this.peek())) {
          fields.push(this.recordField());
          while (this.peek() === COMMA) {
            this.pos++;
            if (!isAnyName(this.peek())) break;
            fields.push(this.recordField());
          }
        }
        const close = this.expect(R_CURLY);
        return { kind: "RecordLit", span: this.from(at, this.ends[close]!), fields: exact(fields) };
      }
      default:
        throw GIVE_UP;
    }
  }

  private recordField(): A.RecordLitField {
    const name = this.ident(this.pos++);
    this.expect(COLON);
    const value = this.expression();
    return { kind: "RecordLitField", span: cover(name.span, value.span), name, value };
  }

  private callArgs(): A.Arg[] {
    this.expect(L_PAREN);
    const args: A.Arg[] = [];
    if (this.peek() !== R_PAREN) {
      args.push(this.argument());
      while (this.peek() === COMMA) {
        this.pos++;
        if (this.peek() === R_PAREN) break;
        args.push(this.argument());
      }
    }
    this.expect(R_PAREN);
    return exact(args);
  }

  private argument(): A.Arg {
    if (isAnyName(this.peek()) && this.kinds[this.pos + 1] === COLON) {
      const name = this.ident(this.pos);
      this.pos += 2;
      const value = name.name === "output" ? this.outputValue() : this.expression();
      return { kind: "Arg", span: cover(name.span, value.span), name, value };
    }
    const value = this.expression();
    return { kind: "Arg", span: value.span, value };
  }

  /** An `output:` value: an expression when one fills the argument, else a type (`list<Task>`). */
  private outputValue(): A.Expr {
    const start = this.pos;
    try {
      const value = this.expression();
      if (this.peek() === COMMA || this.peek() === R_PAREN) return value;
    } catch (e) {
      if (e !== GIVE_UP) throw e;
    }
    this.pos = start;
    const type = this.typeExpr();
    return { kind: "TypeValue", span: type.span, type };
  }

  // ─── Literals ─────────────────────────────────────────────────────────────

  private numberLit(at: number): A.NumberLit | A.DurationLit {
    const span = this.span(at);
    const literal = numberLiteral(this.text.slice(span.start, span.end), span);
    if (literal.kind === "invalid") throw GIVE_UP;
    return literal;
  }

  private stringLit(at: number): A.StringLit {
    if (this.kinds[at] === TRIPLE_STRING) return this.splitStringLit(at, true);
    // A one-line string without escapes (the common case) is split here directly, as
    // `splitString` would split it, without its intermediate pieces.
    const text = this.text;
    const start = this.starts[at]!;
    const end = this.ends[at]!;
    const contentEnd = end - 1;
    const parts: (A.TextPart | A.InterpPart)[] = [];
    let textStart = start + 1;
    let i = textStart;
    while (i < contentEnd) {
      const c = text.charCodeAt(i);
      if (c === 92) return this.splitStringLit(at, false);
      if (c === 36 && text.charCodeAt(i + 1) === 123) {
        const close = scanInterpolation(text, i + 2, false);
        if (close < 0 || close > contentEnd) {
          i++;
          continue;
        }
        if (i > textStart) parts.push({ kind: "TextPart", span: { start: textStart, end: i }, value: text.slice(textStart, i) });
        parts.push({ kind: "InterpPart", span: { start: i, end: close }, expr: this.interpolation(i + 2, close - 1) });
        i = close;
        textStart = close;
      } else {
        i++;
      }
    }
    if (contentEnd > textStart) parts.push({ kind: "TextPart", span: { start: textStart, end: contentEnd }, value: text.slice(textStart, contentEnd) });
    return { kind: "StringLit", span: { start, end }, parts: exact(parts), triple: false };
  }

  /** A string literal split by `splitString` (triple-quoted, or with escapes). */
  private splitStringLit(at: number, triple: boolean): A.StringLit {
    const span = this.span(at);
    const split = splitString(this.text, this.file, span.start, span.end, triple, false);
    if (split.diagnostics.length > 0) throw GIVE_UP;
    const parts: (A.TextPart | A.InterpPart)[] = [];
    for (const piece of split.pieces) {
      parts.push(
        piece.kind === "text"
          ? { kind: "TextPart", span: piece.span, value: piece.value }
          : { kind: "InterpPart", span: piece.span, expr: this.interpolation(piece.expr.start, piece.expr.end) },
      );
    }
    return { kind: "StringLit", span, parts: exact(parts), triple };
  }

  /** Scans and parses the expression of one `${…}`, `[start, end)` of the file. */
  private interpolation(start: number, end: number): A.Expr {
    const tokens = fastScan(this.text.slice(start, end), start, true, this.free);
    if (tokens.failedAt >= 0 || tokens.count === 0) throw GIVE_UP;
    const parser = new FastParser(this.text, this.file, tokens, undefined);
    const expr = parser.expression();
    if (parser.peek() !== EOF) throw GIVE_UP;
    return expr;
  }

  /** The text of a string literal that must not interpolate (an import path, a literal type). */
  private plainString(at: number): string {
    const literal = this.stringLit(at);
    let value = "";
    for (const part of literal.parts) {
      if (part.kind !== "TextPart") throw GIVE_UP;
      value += part.value;
    }
    return value;
  }
}

/**
 * Where the fast path stopped: `[itemStart, resume)` is for the recovering parser, and the fast
 * path can go on at `resume` (a top-level keyword at the start of a line, or the file's end).
 */
export interface FastStop {
  readonly itemStart: number;
  readonly resume: number;
}

/** What {@link FastReader.read} read. */
export interface FastOutcome {
  readonly imports: A.Import[];
  readonly decls: A.Decl[];
  /** Set when the fast path stopped at an error before the end of the file. */
  readonly stop?: FastStop;
}

/** Keywords that start a top-level item. */
const topLevel = new Uint8Array(64);
for (const kind of [IMPORT, EXPORT, TYPE, WORKFLOW, AGENT, LET]) topLevel[kind] = 1;

function startsLine(text: string, offset: number): boolean {
  return offset === 0 || text.charCodeAt(offset - 1) === 10;
}

const topLevelLine = /\n(?=(?:import|export|type|workflow|agent|let)(?![A-Za-z0-9_]))/g;
const topLevelWord = /(?:import|export|type|workflow|agent|let)(?![A-Za-z0-9_])/y;

/**
 * The start of the first line after offset `at` that begins with a top-level keyword, or the
 * text's end. (A look at the text, not a scan: such a line inside a string counts too.)
 */
export function lineAfter(text: string, at: number): number {
  topLevelLine.lastIndex = at;
  const m = topLevelLine.exec(text);
  return m === null ? text.length : m.index + 1;
}

/** The start of the last line before offset `end` (a line start) that begins with a top-level keyword, or `floor`. */
export function lineBefore(text: string, end: number, floor: number): number {
  for (let i = text.lastIndexOf("\n", end - 2); i >= floor; i = text.lastIndexOf("\n", i - 1)) {
    topLevelWord.lastIndex = i + 1;
    if (topLevelWord.test(text)) return i + 1;
    if (i === 0) break;
  }
  return floor;
}

/**
 * Reads the top-level items of one file on the fast path. The file is scanned once, up to its first
 * lexical error; reading again after a stop reuses those tokens, and scans again only past a
 * lexical error (so a file with many errors is still scanned about once).
 */
export class FastReader {
  private tokens!: FastTokens;
  private docs!: Map<number, string>;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.scan(0);
  }

  private scan(from: number): void {
    const comments: DocComments = { starts: [], images: [] };
    this.tokens = fastScan(from === 0 ? this.text : this.text.slice(from), from, false, 0, comments);
    this.docs = new Map<number, string>();
    for (let i = 0; i < comments.starts.length; i++) this.docs.set(comments.starts[i]!, comments.images[i]!);
  }

  /**
   * Reads the items from offset `from` (0, or where an earlier read's stop resumes) until the end
   * or the first item with a lexical or syntax error (or anything else the chevrotain path would
   * report). Items before that one are kept; `stop` says which part the recovering parser must
   * read before the fast path can go on.
   */
  read(from: number): FastOutcome {
    if (this.tokens.failedAt >= 0 && from > this.tokens.failedAt) this.scan(from);
    const { text, tokens } = this;
    const { kinds, starts } = tokens;
    const last = tokens.first + tokens.count;
    // The first token at or after `from`.
    let lo = tokens.first;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    // At a lexical error, the item it is in starts at the last top-level line before it.
    let limit = Number.MAX_SAFE_INTEGER;
    if (tokens.failedAt >= 0) {
      limit = from;
      for (let i = last - 1; i >= lo; i--) {
        if (topLevel[kinds[i]!] === 1 && startsLine(text, starts[i]!)) {
          limit = starts[i]!;
          break;
        }
      }
    }
    const imports: A.Import[] = [];
    const decls: A.Decl[] = [];
    const stop = new FastParser(text, this.file, tokens, this.docs, lo).items(imports, decls, limit, tokens.failedAt);
    return stop === undefined ? { imports, decls } : { imports, decls, stop };
  }
}

/**
 * Parses the items of `text` in `[start, end)` on the fast path, or returns `undefined` at any
 * error; `start` and `end` must lie between top-level items (a doc comment belongs to the item after it).
 */
export function fastParseRange(text: string, file: string, start: number, end: number): { imports: A.Import[]; decls: A.Decl[] } | undefined {
  const comments: DocComments = { starts: [], images: [] };
  const tokens = fastScan(text.slice(start, end), start, false, 0, comments);
  if (tokens.failedAt >= 0) return undefined;
  const docs = new Map<number, string>();
  for (let i = 0; i < comments.starts.length; i++) docs.set(comments.starts[i]!, comments.images[i]!);
  const imports: A.Import[] = [];
  const decls: A.Decl[] = [];
  const stop = new FastParser(text, file, tokens, docs, tokens.first).items(imports, decls, Number.MAX_SAFE_INTEGER, -1);
  return stop === undefined ? { imports, decls } : undefined;
}

/**
 * Parses `text` on the fast path: the module, or `undefined` when the file has any lexical or
 * syntax error (or anything else the chevrotain path would report).
 */
export function fastParse(text: string, file: string): A.Module | undefined {
  const { imports, decls, stop } = new FastReader(text, file).read(0);
  if (stop !== undefined) return undefined;
  return { kind: "Module", file, span: { start: 0, end: text.length }, imports, decls };
}

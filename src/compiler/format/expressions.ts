/**
 * The layout of expressions and type expressions. Literals print as written (strings byte for byte,
 * `${…}` included); parentheses appear exactly where the operators' binding needs them; a long
 * operator chain breaks after its operators, a long call, list or record one item a line.
 */
import {
  type Arg,
  assertNever,
  BINARY_PRECEDENCE,
  type BinaryExpr,
  type Expr,
  type Node,
  type RecordLit,
  type RecordType,
  type TypeExpr,
} from "../ast/ast.js";
import { type Doc, group, indent, join, line } from "./doc.js";
import { commaList, type Context, type Item } from "./layout.js";

/** The source text of a node: literals keep their exact spelling. */
function written(ctx: Context, node: Node): string {
  return ctx.text.slice(node.span.start, node.span.end);
}

function item(node: Node, doc: () => Doc): Item {
  return { start: node.span.start, end: node.span.end, doc };
}

function parenthesized(doc: Doc, needed: boolean): Doc {
  return needed ? ["(", doc, ")"] : doc;
}

/** Whether a record's source puts a line break after its `{`: then it stays one field a line. */
function writtenBroken(ctx: Context, node: RecordLit | RecordType): boolean {
  const first = node.fields[0];
  return first !== undefined && ctx.text.slice(node.span.start + 1, first.span.start).includes("\n");
}

export function printExpr(ctx: Context, e: Expr): Doc {
  switch (e.kind) {
    case "StringLit":
      // A `"""` string's CR before LF is not part of its value (grammar/cm.ebnf): line ends become LF.
      return e.triple ? written(ctx, e).replace(/\r\n/g, "\n") : written(ctx, e);
    case "NumberLit":
    case "DurationLit":
      return written(ctx, e);
    case "BoolLit":
      return e.value ? "true" : "false";
    case "NoneLit":
      return "none";
    case "NameExpr":
      return e.name.name;
    case "TypeValue":
      return printType(ctx, e.type);
    case "ListLit":
      return commaList(
        ctx,
        e.items.map((x) => item(x, () => printExpr(ctx, x))),
        e.span.start,
        e.span.end,
        { open: "[", close: "]", spaced: false },
      );
    case "RecordLit":
      return commaList(
        ctx,
        e.fields.map((f) => item(f, () => [f.name.name, ": ", printExpr(ctx, f.value)])),
        e.span.start,
        e.span.end,
        { open: "{", close: "}", spaced: true, broken: writtenBroken(ctx, e) },
      );
    case "MemberExpr":
      return [postfixObject(ctx, e.object), e.optional ? "?." : ".", e.name.name];
    case "IndexExpr":
      return [postfixObject(ctx, e.object), "[", printExpr(ctx, e.index), "]"];
    case "CallExpr":
      return [postfixObject(ctx, e.callee), printArgs(ctx, e.args, e.callee.span.end, e.span.end)];
    case "UnaryExpr":
      return [e.op, parenthesized(printExpr(ctx, e.operand), e.operand.kind === "BinaryExpr")];
    case "BinaryExpr":
      return printBinary(ctx, e);
    default:
      return assertNever(e);
  }
}

/** Call arguments, `(…)` between `start` (the callee's end) and `end`. */
export function printArgs(ctx: Context, args: readonly Arg[], start: number, end: number): Doc {
  return commaList(
    ctx,
    args.map((a) => item(a, () => (a.name ? [a.name.name, ": ", printExpr(ctx, a.value)] : printExpr(ctx, a.value)))),
    start,
    end,
    { open: "(", close: ")", spaced: false, hugLone: true },
  );
}

function postfixObject(ctx: Context, e: Expr): Doc {
  return parenthesized(printExpr(ctx, e), e.kind === "BinaryExpr" || e.kind === "UnaryExpr");
}

/**
 * A chain of operators of one binding strength, `a && b && c`, as one group that breaks after each
 * operator (a newline after an operator continues the statement; one before it would end it).
 */
function printBinary(ctx: Context, e: BinaryExpr): Doc {
  const strength = BINARY_PRECEDENCE[e.op];
  const rightAssoc = e.op === "??";
  const operands: Expr[] = [];
  const ops: string[] = [];
  if (rightAssoc) {
    let cur: Expr = e;
    while (cur.kind === "BinaryExpr" && cur.op === "??") {
      operands.push(cur.left);
      ops.push(cur.op);
      cur = cur.right;
    }
    operands.push(cur);
  } else {
    let cur: Expr = e;
    while (cur.kind === "BinaryExpr" && BINARY_PRECEDENCE[cur.op] === strength) {
      operands.unshift(cur.right);
      ops.unshift(cur.op);
      cur = cur.left;
    }
    operands.unshift(cur);
  }
  const docs = operands.map((operand, i) => {
    const inner = operand.kind === "BinaryExpr" ? BINARY_PRECEDENCE[operand.op] : Infinity;
    // The operand that the chain's associativity groups first may bind as tightly as the chain;
    // every other one must bind tighter, else it needs parentheses to keep its place.
    const first = rightAssoc ? i === operands.length - 1 : i === 0;
    return parenthesized(printExpr(ctx, operand), first ? inner < strength : inner <= strength);
  });
  // A newline after `>` would end the statement (`>` also closes `list<T>`), so `>` never breaks.
  return group([docs[0]!, indent(ops.map((op, i) => [" ", op, op === ">" ? " " : line, docs[i + 1]!]))]);
}

export function printType(ctx: Context, t: TypeExpr): Doc {
  switch (t.kind) {
    case "NamedType":
      return t.args.length === 0 ? t.name.name : [t.name.name, "<", join(", ", t.args.map((a) => printType(ctx, a))), ">"];
    case "LiteralType":
      return written(ctx, t);
    case "OptionalType":
      return [parenthesized(printType(ctx, t.inner), t.inner.kind === "UnionType" || t.inner.kind === "OptionalType"), "?"];
    case "UnionType":
      return join(
        " | ",
        t.members.map((m) => parenthesized(printType(ctx, m), m.kind === "UnionType")),
      );
    case "RecordType":
      return commaList(
        ctx,
        t.fields.map((f) => item(f, () => [f.name.name, ": ", printType(ctx, f.type)])),
        t.span.start,
        t.span.end,
        { open: "{", close: "}", spaced: true, broken: writtenBroken(ctx, t) },
      );
    default:
      return assertNever(t);
  }
}

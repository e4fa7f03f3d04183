/** Short source-like text for IR expressions, for labels in drawn graphs. */
import type { IrExpr, IrStrPart } from "../../compiler/ir/ir.js";
import { BINARY_PRECEDENCE } from "../../compiler/ast/ast.js";

const MAX = 40;

/** `text` cut to `max` characters with `…`. */
export function shorten(text: string, max = MAX): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

function globalName(id: string): string {
  const colon = id.lastIndexOf(":");
  return colon === -1 ? id : id.slice(colon + 1);
}

function part(p: IrStrPart): string {
  return typeof p === "string" ? p.replace(/\\/g, "\\\\").replace(/"/g, '\\"') : `\${${exprText(p.expr)}}`;
}

/** Binding strength of binary operators, loosest first (shared with the parser). */
const PRECEDENCE: Readonly<Record<string, number>> = BINARY_PRECEDENCE;

/** `e` as an operand of a postfix or unary operator: any binary expression gets parentheses. */
function operand(e: IrExpr): string {
  const text = exprText(e);
  return e.k === "binary" ? `(${text})` : text;
}

/** `e` as a side of a binary `op`: parenthesized only when it binds more loosely (or equally, on the right). */
function side(e: IrExpr, op: string, right: boolean): string {
  const text = exprText(e);
  if (e.k !== "binary") return text;
  const inner = PRECEDENCE[e.op] ?? 0;
  const outer = PRECEDENCE[op] ?? 0;
  return inner < outer || (right && inner === outer) ? `(${text})` : text;
}

/** How `e` would be written in source (durations show as milliseconds). Not shortened. */
export function exprText(e: IrExpr): string {
  switch (e.k) {
    case "lit":
      return e.value === null ? "none" : typeof e.value === "string" ? JSON.stringify(e.value) : String(e.value);
    case "str":
      return `"${e.parts.map(part).join("")}"`;
    case "name":
      return e.name;
    case "global":
      return globalName(e.id);
    case "field":
      return `${operand(e.object)}${e.optional ? "?." : "."}${e.name}`;
    case "index":
      return `${operand(e.object)}[${exprText(e.index)}]`;
    case "unary":
      return `${e.op}${operand(e.operand)}`;
    case "binary":
      return `${side(e.left, e.op, false)} ${e.op} ${side(e.right, e.op, true)}`;
    case "list":
      return `[${e.items.map(exprText).join(", ")}]`;
    case "record":
      return `{ ${e.fields.map((f) => `${f.name}: ${exprText(f.value)}`).join(", ")} }`;
    case "call":
      return `${e.fn}(${e.args.map(exprText).join(", ")})`;
    case "prev":
      return `prev(${e.step})`;
    case "agent":
      return `${e.ctor}(${Object.entries(e.options)
        .map(([k, v]) => `${k}: ${exprText(v)}`)
        .join(", ")})`;
  }
}

/** The name an agent expression is known by in a step label: `architect`, `claude`. */
export function agentText(e: IrExpr): string {
  switch (e.k) {
    case "name":
      return e.name;
    case "global":
      return globalName(e.id);
    case "agent":
      return e.ctor;
    default:
      return shorten(exprText(e), 20);
  }
}

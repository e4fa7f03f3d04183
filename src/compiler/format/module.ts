/** The layout of a module: its imports and declarations in source order, one a line, blank lines kept. */
import { assertNever, type Decl, type Import, type Module, type Param } from "../ast/ast.js";
import { type Doc, flat, hardline } from "./doc.js";
import { printExpr, printType } from "./expressions.js";
import { commaList, type Context, type Item, vertical } from "./layout.js";
import { printBlock } from "./statements.js";

export function printModule(ctx: Context, module: Module): Doc {
  const items: Item[] = [...module.imports, ...module.decls]
    .sort((a, b) => a.span.start - b.span.start)
    .map((node) => ({
      start: node.span.start,
      end: node.span.end,
      doc: () => (node.kind === "Import" ? printImport(ctx, node) : printDecl(ctx, node)),
    }));
  const body = vertical(ctx, items, ctx.text.length + 1);
  return body.length === 0 ? "" : [body, hardline];
}

function printImport(ctx: Context, node: Import): Doc {
  const names = node.names.map((n) => ({
    start: n.span.start,
    end: n.span.end,
    doc: () => (n.alias ? `${n.name.name} as ${n.alias.name}` : n.name.name),
  }));
  const from = ctx.text.slice(node.fromSpan.start, node.fromSpan.end);
  return ["import ", commaList(ctx, names, node.span.start, node.fromSpan.start, { open: "{", close: "}", spaced: true }), " from ", from];
}

function printParams(ctx: Context, params: readonly Param[], start: number, end: number): Doc {
  const items = params.map((p) => ({
    start: p.span.start,
    end: p.span.end,
    doc: () => [p.name.name, ": ", printType(ctx, p.type), p.default ? [" = ", printExpr(ctx, p.default)] : ""],
  }));
  return commaList(ctx, items, start, end, { open: "(", close: ")", spaced: false });
}

function printDecl(ctx: Context, d: Decl): Doc {
  const exported = d.exported ? "export " : "";
  switch (d.kind) {
    case "TypeDecl":
      return [exported, "type ", d.name.name, " = ", printType(ctx, d.type)];
    case "WorkflowDecl": {
      const paramsEnd = d.returns?.span.start ?? d.body.span.start;
      return [
        exported,
        "workflow ",
        d.name.name,
        printParams(ctx, d.params, d.name.span.end, paramsEnd),
        // On one line: a signature too long breaks its parameters, not its result type.
        d.returns ? [" -> ", flat(printType(ctx, d.returns))] : "",
        " ",
        printBlock(ctx, d.body),
      ];
    }
    case "AgentDecl":
      return [exported, "agent ", d.name.name, " = ", printExpr(ctx, d.value)];
    case "AgentCtorDecl":
      return [exported, "agent ", d.name.name, printParams(ctx, d.params, d.name.span.end, d.span.end)];
    case "LetDecl":
      return [exported, "let ", d.name.name, " = ", printExpr(ctx, d.value)];
    default:
      return assertNever(d);
  }
}

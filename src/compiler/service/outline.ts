/** The outline of a module: its declarations, and under each workflow its parameters and steps. */
import type { Module, Stmt } from "../ast/ast.js";
import { childBlocks } from "../check/walk.js";
import type { SymbolKind } from "../check/recorder.js";
import type { Span } from "../span.js";

export interface OutlineItem {
  readonly name: string;
  readonly kind: SymbolKind;
  /** The whole declaration or statement. */
  readonly span: Span;
  /** Its name. */
  readonly nameSpan: Span;
  readonly children: readonly OutlineItem[];
}

function stepsOf(statements: readonly Stmt[]): OutlineItem[] {
  const out: OutlineItem[] = [];
  for (const s of statements) {
    if (!s) continue;
    if (s.kind === "StepStmt") out.push({ name: s.name.name, kind: "step", span: s.span, nameSpan: s.name.span, children: [] });
    for (const b of childBlocks(s)) out.push(...stepsOf(b.statements ?? []));
  }
  return out;
}

const KIND = { WorkflowDecl: "workflow", TypeDecl: "type", LetDecl: "let", AgentDecl: "agent", AgentCtorDecl: "ctor" } as const;

/** The outline of `module`, in source order. */
export function outline(module: Module): OutlineItem[] {
  return module.decls.map((d) => ({
    name: d.name.name,
    kind: KIND[d.kind],
    span: d.span,
    nameSpan: d.name.span,
    children:
      d.kind === "WorkflowDecl"
        ? [
            ...d.params.map((p) => ({ name: p.name.name, kind: "param" as const, span: p.span, nameSpan: p.name.span, children: [] })),
            ...stepsOf(d.body.statements),
          ]
        : [],
  }));
}

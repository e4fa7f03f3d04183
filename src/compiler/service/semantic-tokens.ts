/** Semantic tokens: every name the checker linked or declared, classified by what it names. */
import type { SymbolKind } from "../check/recorder.js";
import type { Span } from "../span.js";
import { moduleOf, type Analysis } from "./analysis.js";
import { outline, type OutlineItem } from "./outline.js";

/** The token types, in legend order. */
export const TOKEN_TYPES = ["function", "type", "parameter", "variable", "property", "namespace"] as const;
/** The token modifiers, in legend order (bit i is modifier i). */
export const TOKEN_MODIFIERS = ["declaration", "readonly", "defaultLibrary"] as const;

const TYPE_OF: Readonly<Record<SymbolKind, number>> = {
  workflow: 0,
  ctor: 0,
  type: 1,
  param: 2,
  step: 3,
  let: 3,
  agent: 3,
  loop: 3,
  catch: 3,
  field: 4,
  import: 5,
};

export interface SemanticToken {
  readonly span: Span;
  readonly type: number;
  readonly modifiers: number;
}

/** The tokens of `file`, sorted by offset, one per identifier. */
export function semanticTokens(a: Analysis, file: string): SemanticToken[] {
  const byStart = new Map<number, SemanticToken>();
  const add = (span: Span, kind: SymbolKind, declaration: boolean, defFile: string) => {
    if (kind === "import" && !declaration) return;
    const modifiers = (declaration ? 1 : 0) | (kind === "let" || kind === "step" ? 2 : 0) | (defFile.startsWith("std/") ? 4 : 0);
    if (!byStart.has(span.start)) byStart.set(span.start, { span, type: TYPE_OF[kind], modifiers });
  };
  const module = moduleOf(a, file);
  const visit = (item: OutlineItem) => {
    add(item.nameSpan, item.kind, true, file);
    item.children.forEach(visit);
  };
  if (module) outline(module).forEach(visit);
  for (const local of a.index.localsIn(file)) add(local.span, local.kind, true, file);
  for (const r of a.index.referencesIn(file)) add(r.span, r.kind, r.def.file === file && r.def.span.start === r.span.start, r.def.file);
  return [...byStart.values()].sort((x, y) => x.span.start - y.span.start);
}

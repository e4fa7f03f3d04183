/**
 * Parsing again after an edit: the declarations the edit did not touch are kept (those after it
 * with their offsets moved), and only those around it are parsed again, on the fast path. The
 * result is what `parse` gives for the new text (test/parser/incremental.test.ts holds it so);
 * whenever that cannot be had this way (the old text had errors, the edit reaches the imports,
 * the new text has an error), the whole text is parsed.
 */
import type { Decl, Module } from "../ast/ast.js";
import { editBetween } from "../edit.js";
import { fastParseRange } from "./fast-parser.js";
import { docStart, parse, type ParseResult } from "./index.js";

/** A text and what `parse` (or `reparse`) gave for it. */
export interface Parsed {
  readonly text: string;
  readonly result: ParseResult;
}

/**
 * `parse(text, file)`, reusing what `before` (an earlier text of the same file) parsed to. The
 * declarations it keeps are `before`'s own objects, those after the edit with their offsets moved
 * in place: `before` is used up, and nothing that read its tree may be asked about offsets again.
 */
export function reparse(before: Parsed | undefined, text: string, file: string): ParseResult {
  if (before === undefined || before.result.diagnostics.length > 0 || before.result.module.file !== file) return parse(text, file);
  if (before.text === text) return before.result;
  return reuse(before.text, before.result.module, text, file) ?? parse(text, file);
}

function reuse(old: string, module: Module, text: string, file: string): ParseResult | undefined {
  const { imports, decls } = module;
  const { from, oldEnd } = editBetween(old, text);
  const delta = text.length - old.length;

  // Each declaration's first line (its doc comment's, if it has one).
  const starts = decls.map((d) => docStart(old, d.span.start));
  // Parsed again: from the last declaration that starts before the edit (so a line the edit begins
  // with cannot continue the one before it) to the first that starts after it, included (the edit
  // may have made a doc comment of the line above it).
  let first = -1;
  while (first + 1 < decls.length && starts[first + 1]! < from) first++;
  let kept = first + 1;
  while (kept < decls.length && starts[kept]! <= oldEnd) kept++;
  kept = Math.min(kept + 1, decls.length);
  if (first < 0 || !startsLine(old, starts[first]!) || (kept < decls.length && !startsLine(old, starts[kept]!))) return undefined;
  const regionStart = starts[first]!;
  if (imports.some((i) => i.span.end > regionStart)) return undefined;
  const regionEnd = kept < decls.length ? starts[kept]! + delta : text.length;
  const region = fastParseRange(text, file, regionStart, regionEnd);
  if (region === undefined || region.imports.length > 0) return undefined;
  const moved = decls.slice(kept);
  if (delta !== 0) move(moved, delta);
  return {
    module: { kind: "Module", file, span: { start: 0, end: text.length }, imports, decls: [...decls.slice(0, first), ...region.decls, ...moved] },
    diagnostics: [],
  };
}

function startsLine(text: string, offset: number): boolean {
  return offset === 0 || text.charCodeAt(offset - 1) === 10;
}

type MutableSpan = { start: number; end: number };

/** The spans in each declaration moved before, so that moving it again is a walk over a list. */
const spansOf = new WeakMap<Decl, MutableSpan[]>();

/** Moves every offset in `decls` by `delta`, in place, each span once. */
function move(decls: readonly Decl[], delta: number): void {
  for (const decl of decls) {
    let spans = spansOf.get(decl);
    if (spans === undefined) spansOf.set(decl, (spans = collect(decl)));
    for (let i = 0; i < spans.length; i++) {
      spans[i]!.start += delta;
      spans[i]!.end += delta;
    }
  }
}

/** The distinct spans in `decl` (a node may share its span with a child: `x` as a name and as an expression). */
function collect(decl: Decl): MutableSpan[] {
  const spans = new Set<MutableSpan>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) walk(node[i]);
    } else if (node !== null && typeof node === "object") {
      const fields = node as Record<string, unknown>;
      for (const key in fields) {
        const value = fields[key];
        if (key === "span" || key === "fromSpan") spans.add(value as MutableSpan);
        else if (typeof value === "object") walk(value);
      }
    }
  };
  walk(decl);
  return [...spans];
}

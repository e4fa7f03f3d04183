/**
 * The parser's public entry point: source text in, an AST module and every syntax error out.
 * Never throws, whatever the input.
 */
import type { Decl, Import, Module } from "../ast/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { FastReader, lineAfter, lineBefore } from "./fast-parser.js";
import { discardParser, parseRange, type RangeResult } from "./recovering.js";

/** What {@link parse} returns. */
export interface ParseResult {
  readonly module: Module;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses one `.cm` module. On syntax errors the module holds the imports and declarations that
 * could be recovered, and `diagnostics` holds every error (E01xx), each at its own location,
 * sorted by offset.
 */
export function parse(text: string, file: string): ParseResult {
  // The fast path reads the file until a top-level item with an error; chevrotain, which recovers
  // and words every diagnostic, reads from that item to the second top-level line after the error
  // (see FastStop), and the fast path goes on from there.
  const reader = new FastReader(text, file);
  let fast = reader.read(0);
  if (fast.stop === undefined) return { module: moduleOf(text, file, fast.imports, fast.decls), diagnostics: [] };
  const imports: Import[] = [];
  const decls: Decl[] = [];
  const diagnostics: Diagnostic[] = [];
  try {
    for (;;) {
      append(imports, fast.imports);
      append(decls, fast.decls);
      if (fast.stop === undefined) break;
      const start = docStart(text, fast.stop.itemStart);
      let slow = parseRange(text, file, start, docStart(text, fast.stop.resume));
      // Chevrotain words an error by what follows it (`found a newline` before more input, `found
      // end of file` at the range's end): with an error in the range's last item, read one more
      // item, and after two tries the rest of the file.
      for (let tries = 0; slow.end < text.length && lastItemFails(text, slow, start); tries++) {
        const next = tries < 2 ? docStart(text, lineAfter(text, slow.end)) : text.length;
        slow = parseRange(text, file, start, next > slow.end ? next : text.length);
      }
      append(imports, slow.imports);
      append(decls, slow.decls);
      append(diagnostics, slow.diagnostics);
      if (slow.end >= text.length) break;
      fast = reader.read(slow.end);
    }
  } catch (e) {
    return internalFailure(e, text, file);
  }
  return { module: moduleOf(text, file, imports, decls), diagnostics };
}

/** Parses the whole file with chevrotain, error recovery and every syntax diagnostic. */
export function parseWithRecovery(text: string, file: string): ParseResult {
  try {
    const { imports, decls, diagnostics } = parseRange(text, file, 0, text.length);
    return { module: moduleOf(text, file, imports, decls), diagnostics };
  } catch (e) {
    return internalFailure(e, text, file);
  }
}

function moduleOf(text: string, file: string, imports: Import[], decls: Decl[]): Module {
  return { kind: "Module", file, span: { start: 0, end: text.length }, imports, decls };
}

function append<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}

/** The result for a file the parser could not get through (chevrotain threw). */
function internalFailure(e: unknown, text: string, file: string): ParseResult {
  // Only a stack overflow on absurdly deep nesting is expected here; anything else is a bug.
  const tooDeep = e instanceof RangeError;
  discardParser();
  const at = tooDeep ? deepestPoint(text) : { offset: 0, depth: 0 };
  return {
    module: moduleOf(text, file, [], []),
    diagnostics: [
      {
        code: "E0100",
        severity: "error",
        message: tooDeep ? "the file is nested too deeply to parse" : "internal parser error",
        file,
        span: { start: at.offset, end: at.offset + (tooDeep ? 1 : 0) },
        ...(tooDeep
          ? { label: `brackets are nested ${at.depth} deep here`, help: "name the inner parts with `let`" }
          : { help: `please report this: ${e instanceof Error ? e.message : String(e)}` }),
      },
    ],
  };
}

/** Whether a diagnostic of the range lies in its last item (one after the first). */
function lastItemFails(text: string, range: RangeResult, start: number): boolean {
  const last = lineBefore(text, range.end, start);
  return last > start && range.diagnostics.some((d) => d.span.start >= last);
}

/**
 * The start of the `///` lines directly above the line at `offset`; when there are none, the start
 * of that line if only blanks precede `offset` on it, else `offset`.
 */
export function docStart(text: string, offset: number): number {
  let start = text.lastIndexOf("\n", offset - 1) + 1;
  if (text.slice(start, offset).trim() !== "") return offset;
  while (start > 0) {
    const prev = text.lastIndexOf("\n", start - 2) + 1;
    if (!text.slice(prev, start).trimStart().startsWith("///")) break;
    start = prev;
  }
  return start;
}

/** Where brackets first reach their deepest nesting (strings and comments are not told apart: a hint, not a parse). */
function deepestPoint(text: string): { offset: number; depth: number } {
  let depth = 0;
  let best = { offset: 0, depth: 0 };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      depth++;
      if (depth > best.depth) best = { offset: i, depth };
    } else if (c === 41 || c === 93 || c === 125) depth--;
  }
  return best;
}

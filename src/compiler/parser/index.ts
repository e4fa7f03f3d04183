/**
 * The parser's public entry point: source text in, an AST module and every syntax error out.
 * Never throws, whatever the input.
 */
import type { IToken, TokenType } from "chevrotain";
import type { Decl, Import, Module } from "../ast/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { lex } from "../lexer/lexer.js";
import { Agent, Export, Import as ImportKw, Let, Newline, RCurly, Type, Workflow } from "../lexer/tokens.js";
import { discardParser, runParser } from "./cst-parser.js";
import { FastReader, lineAfter, lineBefore } from "./fast-parser.js";
import { toSyntaxDiagnostic } from "./syntax-errors.js";
import { astBuilder } from "./to-ast.js";

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

/** Keywords that can start a top-level item: where parsing resumes after stray input. */
const topLevelStarts = new Set<TokenType>([ImportKw, Export, Type, Workflow, Agent, Let]);

/** What {@link parseRange} read, and where it ended. */
interface RangeResult {
  readonly imports: Import[];
  readonly decls: Decl[];
  readonly diagnostics: Diagnostic[];
  readonly end: number;
}

/**
 * Parses `[start, end)` of the text (both at the start of a line) with chevrotain. When a string or
 * block comment opened there is never closed, it runs to the end of the file, and so does the range.
 */
function parseRange(text: string, file: string, start: number, end: number): RangeResult {
  let lexed = lex(start === 0 && end === text.length ? text : text.slice(start, end), file, { base: start });
  if (end < text.length && lexed.diagnostics.some((d) => runsToEnd(text, d))) {
    end = text.length;
    lexed = lex(text.slice(start), file, { base: start });
  }
  const tokens = lexed.tokens;
  const docs = new Map<number, IToken>(lexed.docs.map((t) => [t.startOffset, t]));
  const later: Diagnostic[] = [];
  const imports: Import[] = [];
  const decls: Decl[] = [];
  // Chevrotain stops at input it cannot fit into the module rule; resume at the next line that
  // starts a declaration, so one stray token does not hide the rest of the range.
  let from = 0;
  while (from < tokens.length) {
    const { cst, errors } = runParser(from === 0 ? tokens : tokens.slice(from), "module");
    const built = astBuilder().build(cst, { text, file, diagnostics: later, docs });
    append(imports, built.imports);
    append(decls, built.decls);
    let resume = -1;
    for (const error of errors) {
      // After an item and before more input, chevrotain deletes a stray `}` and words it so; where
      // a range ends before the file does, more input follows.
      const stray = error.name === "NotAllInputParsedException" && error.token.tokenType === RCurly && error.token !== tokens[from];
      if (stray && end < text.length) error.message = "unexpected `}`";
      later.push(toSyntaxDiagnostic(error, text, file, end));
      if (error.name === "NotAllInputParsedException") resume = resumeAfter(tokens, tokens.indexOf(error.token, from));
    }
    if (resume < 0) break;
    from = resume;
  }
  return { imports, decls, diagnostics: tidy(text, lexed.diagnostics, later), end };
}

/** Whether a diagnostic of the range lies in its last item (one after the first). */
function lastItemFails(text: string, range: RangeResult, start: number): boolean {
  const last = lineBefore(text, range.end, start);
  return last > start && range.diagnostics.some((d) => d.span.start >= last);
}

/** Whether a lexical error leaves a string or comment open to the end of the file. */
function runsToEnd(text: string, d: Diagnostic): boolean {
  return d.code === "E0103" || (d.code === "E0102" && text.startsWith('"""', d.span.start));
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

/** The index of the first token after `from` that starts a line with a declaration keyword, or -1. */
function resumeAfter(tokens: readonly IToken[], from: number): number {
  if (from < 0) return -1;
  for (let i = from + 1; i < tokens.length; i++) {
    if (topLevelStarts.has(tokens[i]!.tokenType) && tokens[i - 1]!.tokenType === Newline) return i;
  }
  return -1;
}

/** The offsets a lexical error makes unreliable for the parser: the rest of its line, or of the file. */
function shadowOf(text: string, d: Diagnostic): { start: number; end: number } {
  const start = text.lastIndexOf("\n", d.span.start - 1) + 1;
  const toEnd = runsToEnd(text, d);
  const newline = text.indexOf("\n", d.span.start);
  return { start, end: toEnd || newline < 0 ? text.length : newline };
}

/**
 * Orders diagnostics by offset and drops the noise one mistake can cause: two errors at the same
 * offset, and parser errors on the same line just after an unterminated string or stray character
 * (which already explain what went wrong there).
 */
function tidy(text: string, lexical: readonly Diagnostic[], later: readonly Diagnostic[]): Diagnostic[] {
  const shadows = lexical.map((d) => shadowOf(text, d));
  const kept = later.filter((d) => d.code !== "E0101" || !shadows.some((s) => d.span.start >= s.start && d.span.start <= s.end));
  const sorted = [...lexical, ...kept].sort((a, b) => a.span.start - b.span.start);
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const d of sorted) {
    if (seen.has(d.span.start)) continue;
    seen.add(d.span.start);
    out.push(d);
  }
  return out;
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

/**
 * The recovering parser: chevrotain's lexer and parser over a range of the text, which recover from
 * every syntax error and word it. `parse()` (index.ts) sends it only the items the fast path
 * stopped at, so a file without errors never loads it: the bundle builds this module and chevrotain
 * as a CommonJS file of its own, required on first use (scripts/bundle.js).
 */
import type { IToken, TokenType } from "chevrotain";
import type { Decl, Import } from "../ast/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { lex } from "../lexer/lexer.js";
import { Agent, Export, Import as ImportKw, Let, Newline, RCurly, Type, Workflow } from "../lexer/tokens.js";
import { runParser } from "./cst-parser.js";
import { toSyntaxDiagnostic } from "./syntax-errors.js";
import { astBuilder } from "./to-ast.js";

export { discardParser } from "./cst-parser.js";

/** Keywords that can start a top-level item: where parsing resumes after stray input. */
const topLevelStarts = new Set<TokenType>([ImportKw, Export, Type, Workflow, Agent, Let]);

/** What {@link parseRange} read, and where it ended. */
export interface RangeResult {
  readonly imports: Import[];
  readonly decls: Decl[];
  readonly diagnostics: Diagnostic[];
  readonly end: number;
}

/**
 * Parses `[start, end)` of the text (both at the start of a line) with chevrotain. When a string or
 * block comment opened there is never closed, it runs to the end of the file, and so does the range.
 */
export function parseRange(text: string, file: string, start: number, end: number): RangeResult {
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
    for (const item of built.imports) imports.push(item);
    for (const item of built.decls) decls.push(item);
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

/** Whether a lexical error leaves a string or comment open to the end of the file. */
function runsToEnd(text: string, d: Diagnostic): boolean {
  return d.code === "E0103" || (d.code === "E0102" && text.startsWith('"""', d.span.start));
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

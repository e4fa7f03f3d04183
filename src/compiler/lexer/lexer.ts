/**
 * Turns `.cm` source text into the token stream the parser reads: chevrotain's lexer, then the
 * terminator pass. Lexical errors (unterminated strings and comments, stray characters) become
 * diagnostics; lexing always continues after them.
 */
import { Lexer, type ILexingError, type IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics.js";
import type { CommentPayload, StringPayload } from "./scan.js";
import { applyTerminators } from "./terminators.js";
import { lexedTokens, PlainString, TripleString } from "./tokens.js";

/** The result of lexing one text (a file, or one interpolated expression inside a string). */
export interface LexResult {
  /** Significant tokens, with offsets into the whole file. */
  readonly tokens: IToken[];
  /** `///` comment tokens, in order. */
  readonly docs: readonly IToken[];
  readonly diagnostics: Diagnostic[];
}

/** Options for {@link lex}. */
export interface LexOptions {
  /** Offset of `text` inside its file; every token offset is shifted by it. */
  readonly base?: number;
  /** Lex an interpolated expression: newlines never terminate, a leading `{` is a record. */
  readonly expression?: boolean;
}

let shared: Lexer | undefined;

/** The chevrotain lexer, built on first use (files without errors take the fast scanner, fast-scan.ts). */
function chevrotainLexer(): Lexer {
  shared ??= new Lexer(lexedTokens as never, {
    // Spans are offsets; line and column tracking would double the parse time.
    positionTracking: "onlyOffset",
    ensureOptimizations: true,
    errorMessageProvider: {
      buildUnexpectedCharactersMessage: (text, offset, length) => text.slice(offset, offset + length),
      buildUnableToPopLexerModeMessage: () => "",
    },
  });
  return shared;
}

/** Shifts offsets by `base` and fills in `endOffset` (the offset-only lexer leaves it out). */
function place(tokens: IToken[], base: number): void {
  for (const t of tokens) {
    t.startOffset += base;
    t.endOffset = t.startOffset + t.image.length - 1;
  }
}

function describeCharacters(chars: string): string {
  const first = chars.codePointAt(0) ?? 0;
  const shown = first < 32 || first === 127 ? `\\u{${first.toString(16)}}` : String.fromCodePoint(first);
  return `unexpected character \`${shown}\``;
}

/** Lexes `text` (never throws). */
export function lex(text: string, file: string, options: LexOptions = {}): LexResult {
  const base = options.base ?? 0;
  const result = chevrotainLexer().tokenize(text);
  const diagnostics: Diagnostic[] = [];
  const comments = (result.groups["comments"] ?? []) as IToken[];
  const docs = (result.groups["docs"] ?? []) as IToken[];
  place(result.tokens, base);
  place(comments, base);
  place(docs, base);

  for (const error of result.errors as ILexingError[]) {
    const chars = error.message;
    const start = base + error.offset;
    const width = chars.codePointAt(0)! > 0xffff ? 2 : 1;
    diagnostics.push({
      code: "E0106",
      severity: "error",
      message: describeCharacters(chars),
      file,
      span: { start, end: start + width },
      label: "not valid here",
    });
  }
  for (const token of result.tokens) {
    if (token.tokenType !== PlainString && token.tokenType !== TripleString) continue;
    if ((token.payload as StringPayload).unterminated) {
      const quote = token.tokenType === TripleString ? 3 : 1;
      diagnostics.push({
        code: "E0102",
        severity: "error",
        message: "unterminated string",
        file,
        span: { start: token.startOffset, end: token.startOffset + quote },
        label: "this string is never closed",
        help: quote === 3 ? "close it with `\"\"\"`" : "close it with `\"` on the same line, or use `\"\"\"` for text over several lines",
      });
    }
  }
  for (const comment of comments) {
    if ((comment.payload as CommentPayload).unterminated) {
      diagnostics.push({
        code: "E0103",
        severity: "error",
        message: "unterminated block comment",
        file,
        span: { start: comment.startOffset, end: comment.startOffset + 2 },
        label: "this comment is never closed",
        help: "close it with `*/`",
      });
    }
  }
  diagnostics.sort((a, b) => a.span.start - b.span.start);
  return { tokens: applyTerminators(result.tokens, options.expression ?? false), docs, diagnostics };
}

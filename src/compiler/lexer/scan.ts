/**
 * Hand-written scanners for the tokens a regular expression cannot match: string literals with
 * nested `${…}` interpolation (which may itself hold strings and braces) and block comments.
 * Each returns the whole literal as one token; an unterminated one still becomes a token, flagged
 * in its payload, so lexing goes on after it.
 */
import type { CustomPatternMatcherReturn } from "chevrotain";

/** What the lexer learns while scanning a string literal; attached to the token as its payload. */
export interface StringPayload {
  readonly unterminated: boolean;
}

/** Payload of a block comment token. */
export interface CommentPayload {
  readonly unterminated: boolean;
}

interface BodyScan {
  readonly end: number;
  readonly terminated: boolean;
}

const QUOTE = 34;
const BACKSLASH = 92;
const DOLLAR = 36;
const LBRACE = 123;
const RBRACE = 125;
const NEWLINE = 10;

function isTripleQuote(text: string, i: number): boolean {
  return text.charCodeAt(i) === QUOTE && text.charCodeAt(i + 1) === QUOTE && text.charCodeAt(i + 2) === QUOTE;
}

/**
 * Scans a string body starting after its opening quote(s). A one-line string ends at its line's end
 * when unterminated; a triple-quoted one at the end of the text.
 */
function scanBody(text: string, start: number, triple: boolean): BodyScan {
  const length = text.length;
  let i = start;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      if (!triple && text.charCodeAt(i + 1) === NEWLINE) return { end: i + 1, terminated: false };
      i += 2;
    } else if (c === QUOTE) {
      if (!triple) return { end: i + 1, terminated: true };
      if (isTripleQuote(text, i)) return { end: i + 3, terminated: true };
      i++;
    } else if (c === NEWLINE && !triple) {
      return { end: i, terminated: false };
    } else if (c === DOLLAR && text.charCodeAt(i + 1) === LBRACE) {
      const after = scanInterpolation(text, i + 2, triple);
      if (after < 0) return unterminatedFrom(text, start, triple);
      i = after;
    } else {
      i++;
    }
  }
  return { end: length, terminated: false };
}

function unterminatedFrom(text: string, start: number, triple: boolean): BodyScan {
  if (triple) return { end: text.length, terminated: false };
  const newline = text.indexOf("\n", start);
  return { end: newline < 0 ? text.length : newline, terminated: false };
}

/** Scans `${` … `}` from just after `${`; returns the offset after the closing `}`, or -1 when it does not close. */
export function scanInterpolation(text: string, start: number, multiline: boolean): number {
  const length = text.length;
  let depth = 0;
  let i = start;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === LBRACE) {
      depth++;
      i++;
    } else if (c === RBRACE) {
      if (depth === 0) return i + 1;
      depth--;
      i++;
    } else if (c === QUOTE) {
      const triple = isTripleQuote(text, i);
      const nested = scanBody(text, i + (triple ? 3 : 1), triple);
      if (!nested.terminated) return -1;
      i = nested.end;
    } else if (c === NEWLINE && !multiline) {
      return -1;
    } else {
      i++;
    }
  }
  return -1;
}

function match(image: string, payload: StringPayload | CommentPayload): CustomPatternMatcherReturn {
  const result: CustomPatternMatcherReturn = [image];
  result.payload = payload;
  return result;
}

/** Custom chevrotain pattern for `"…"` (not `"""`). */
export function scanString(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== QUOTE || isTripleQuote(text, offset)) return null;
  const body = scanBody(text, offset + 1, false);
  return match(text.slice(offset, body.end), { unterminated: !body.terminated });
}

/** Custom chevrotain pattern for `"""…"""`. */
export function scanTripleString(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (!isTripleQuote(text, offset)) return null;
  const body = scanBody(text, offset + 3, true);
  return match(text.slice(offset, body.end), { unterminated: !body.terminated });
}

/** Custom chevrotain pattern for `/* … *\/`, running to the end of the text when unterminated. */
export function scanBlockComment(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 47 || text.charCodeAt(offset + 1) !== 42) return null;
  const close = text.indexOf("*/", offset + 2);
  const end = close < 0 ? text.length : close + 2;
  return match(text.slice(offset, end), { unterminated: close < 0 });
}

/**
 * The offset just after the string literal (`"…"` or `"""…"""`) that starts at `offset`, or -1 when
 * it is unterminated. Used by the fast scanner (`fast-scan.ts`); same rules as the chevrotain patterns.
 */
export function stringLiteralEnd(text: string, offset: number): number {
  const triple = isTripleQuote(text, offset);
  const body = scanBody(text, offset + (triple ? 3 : 1), triple);
  return body.terminated ? body.end : -1;
}

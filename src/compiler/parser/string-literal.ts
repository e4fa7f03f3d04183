/**
 * Splits a string-literal token into text and `${…}` parts: finds the interpolations, strips a
 * triple-quoted string's first and last blank lines and common indentation (on the raw text, before
 * escapes are decoded and before interpolation), and decodes escapes.
 */
import type { Diagnostic } from "../diagnostics.js";
import { scanInterpolation } from "../lexer/scan.js";
import type { Span } from "../span.js";

/** One piece of a string literal, with offsets into the file. */
export type StringPiece =
  | { readonly kind: "text"; readonly value: string; readonly span: Span }
  /** `span` covers `${` … `}`; `expr` the text between them. */
  | { readonly kind: "interp"; readonly span: Span; readonly expr: Span };

interface Segment {
  readonly kind: "text" | "interp";
  readonly start: number;
  readonly end: number;
}

interface Line {
  readonly start: number;
  /** Offset of the `\n` ending the line, or the content end. */
  readonly end: number;
  readonly blank: boolean;
}

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", '"': '"', "\\": "\\", $: "$" };

/** E0104 for the escape `shown` (a backslash and what follows it) at offset `start`. */
function invalidEscape(file: string, start: number, shown: string): Diagnostic {
  return {
    code: "E0104",
    severity: "error",
    message: `invalid escape \`${shown}\``,
    file,
    span: { start, end: start + shown.length },
    label: "not a known escape",
    help: 'the escapes are `\\n`, `\\t`, `\\"`, `\\\\` and `\\$`',
  };
}

function isIndent(c: string | undefined): boolean {
  return c === " " || c === "\t";
}

/** The text and interpolation segments of `text[start, end)`. */
function segmentsOf(text: string, start: number, end: number, triple: boolean): Segment[] {
  const segments: Segment[] = [];
  let textStart = start;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
    } else if (c === 36 && text.charCodeAt(i + 1) === 123) {
      const close = scanInterpolation(text, i + 2, triple);
      if (close < 0 || close > end) {
        i++;
        continue;
      }
      if (i > textStart) segments.push({ kind: "text", start: textStart, end: i });
      segments.push({ kind: "interp", start: i, end: close });
      i = close;
      textStart = close;
    } else {
      i++;
    }
  }
  if (end > textStart) segments.push({ kind: "text", start: textStart, end });
  return segments;
}

/** Lines of the content, split only at newlines that are text (not inside an interpolation). */
function linesOf(text: string, segments: readonly Segment[], start: number, end: number): Line[] {
  const breaks: number[] = [];
  for (const s of segments) {
    if (s.kind !== "text") continue;
    for (let i = text.indexOf("\n", s.start); i >= 0 && i < s.end; i = text.indexOf("\n", i + 1)) breaks.push(i);
  }
  const lines: Line[] = [];
  let lineStart = start;
  for (const b of [...breaks, end]) {
    lines.push({ start: lineStart, end: b, blank: isBlank(text, segments, lineStart, b) });
    lineStart = b + 1;
  }
  return lines;
}

function isBlank(text: string, segments: readonly Segment[], start: number, end: number): boolean {
  for (const s of segments) {
    if (s.kind === "interp" && s.start < end && s.end > start) return false;
  }
  return /^[ \t\r]*$/.test(text.slice(start, end));
}

/** Leading spaces and tabs of a line (stopping at an interpolation, which is content). */
function indentOf(text: string, line: Line): string {
  let i = line.start;
  while (i < line.end && isIndent(text[i])) i++;
  return text.slice(line.start, i);
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

/** Offsets removed from a triple-quoted string's content, as half-open ranges. */
function strippedRanges(text: string, lines: readonly Line[]): Span[] {
  const removed: Span[] = [];
  if (lines.length < 2) return removed;
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  const dropFirst = first.blank;
  const dropLast = last.blank;
  if (dropFirst) removed.push({ start: first.start, end: first.end + 1 });
  if (dropLast) removed.push({ start: lines[lines.length - 2]!.end, end: last.end });
  const body = lines.slice(1, dropLast ? -1 : undefined);
  let prefix: string | undefined;
  for (const line of body) {
    if (line.blank) continue;
    const indent = indentOf(text, line);
    prefix = prefix === undefined ? indent : commonPrefix(prefix, indent);
  }
  const width = prefix?.length ?? 0;
  for (const line of body) {
    const indent = indentOf(text, line);
    const cut = line.blank ? Math.min(width, line.end - line.start) : Math.min(width, indent.length);
    if (cut > 0) removed.push({ start: line.start, end: line.start + cut });
  }
  return removed;
}

/** What {@link splitString} returns. */
export interface SplitString {
  readonly pieces: StringPiece[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Splits the string literal token at `[start, end)` of `text`. `unterminated` means the token has no
 * closing quotes (an error already reported by the lexer).
 */
export function splitString(text: string, file: string, start: number, end: number, triple: boolean, unterminated: boolean): SplitString {
  if (!triple) return splitPlain(text, file, start + 1, Math.max(start + 1, unterminated ? end : end - 1));
  const contentStart = start + 3;
  const contentEnd = Math.max(contentStart, unterminated ? end : end - 3);
  const segments = segmentsOf(text, contentStart, contentEnd, true);
  const removed = strippedRanges(text, linesOf(text, segments, contentStart, contentEnd));
  const mask = new Uint8Array(contentEnd - contentStart);
  for (const r of removed) mask.fill(1, r.start - contentStart, r.end - contentStart);
  const isRemoved = (i: number): boolean => mask[i - contentStart] === 1;
  const pieces: StringPiece[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const s of segments) {
    if (s.kind === "interp") {
      pieces.push(interpPiece(s));
      continue;
    }
    let value = "";
    let first = -1;
    let last = -1;
    // Kept characters are copied a run at a time, from `run` up to the next one left out or decoded.
    let run = -1;
    for (let i = s.start; i < s.end; i++) {
      const c = text.charCodeAt(i);
      const kept = !isRemoved(i) && c !== 92 && !(c === 13 && text.charCodeAt(i + 1) === 10);
      if (kept) {
        if (run < 0) run = i;
        if (first < 0) first = i;
        last = i;
        continue;
      }
      if (run >= 0) {
        value += text.slice(run, i);
        run = -1;
      }
      if (isRemoved(i)) continue;
      if (first < 0) first = i;
      if (c === 92) {
        const next = i + 1 < s.end && !isRemoved(i + 1) ? text[i + 1] : undefined;
        const decoded = next === undefined ? undefined : ESCAPES[next];
        if (decoded === undefined) {
          const shown = next === undefined || next === "\n" || next === "\r" ? "\\" : `\\${next}`;
          diagnostics.push(invalidEscape(file, i, shown));
          value += shown;
        } else {
          value += decoded;
        }
        i += next === undefined ? 0 : 1;
        last = i;
      }
      // (A `\r` before `\n` is left out.)
    }
    if (run >= 0) value += text.slice(run, s.end);
    if (first >= 0 && value.length > 0) pieces.push({ kind: "text", value, span: { start: first, end: last + 1 } });
  }
  return { pieces, diagnostics };
}

/**
 * {@link splitString} for a one-line string (content `[contentStart, contentEnd)`): nothing is
 * stripped, so each text segment is a piece spanning the whole segment, decoded slice by slice.
 */
function splitPlain(text: string, file: string, contentStart: number, contentEnd: number): SplitString {
  const diagnostics: Diagnostic[] = [];
  const pieces = segmentsOf(text, contentStart, contentEnd, false).map((s) =>
    s.kind === "interp" ? interpPiece(s) : plainText(text, file, s.start, s.end, diagnostics),
  );
  return { pieces, diagnostics };
}

/** The piece of a `${…}` segment: the expression is what lies between `${` and `}`. */
function interpPiece(s: Segment): StringPiece {
  return { kind: "interp", span: { start: s.start, end: s.end }, expr: { start: s.start + 2, end: s.end - 1 } };
}

/** The decoded text piece of `[start, end)` of a one-line string (not empty). */
function plainText(text: string, file: string, start: number, end: number, diagnostics: Diagnostic[]): StringPiece {
  let escape = backslashIn(text, start, end);
  if (escape < 0) return { kind: "text", value: text.slice(start, end), span: { start, end } };
  let value = "";
  let from = start;
  while (escape >= 0) {
    value += text.slice(from, escape);
    const next = escape + 1 < end ? text[escape + 1] : undefined;
    const decoded = next === undefined ? undefined : ESCAPES[next];
    if (decoded === undefined) {
      const shown = next === undefined || next === "\n" || next === "\r" ? "\\" : `\\${next}`;
      diagnostics.push(invalidEscape(file, escape, shown));
      value += shown;
    } else {
      value += decoded;
    }
    from = escape + (next === undefined ? 1 : 2);
    escape = backslashIn(text, from, end);
  }
  value += text.slice(from, end);
  return { kind: "text", value, span: { start, end } };
}

/** The offset of the first `\\` in `[from, end)`, or -1. */
function backslashIn(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === 92) return i;
  return -1;
}

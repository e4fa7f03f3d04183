/** Source positions. Nodes carry UTF-16 offsets into their file's text; only renderers turn them into lines. */

/** A half-open range `[start, end)` of offsets into one source text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The span covering both `a` and `b`. */
export function cover(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Converts an offset into a 1-based line and column (columns count UTF-16 units). */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

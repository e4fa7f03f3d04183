/** Offsets to 1-based lines and columns for one source text, with the line starts computed once. */
import type { Position } from "./span.js";

export class LineIndex {
  private readonly starts: number[] = [0];
  private readonly length: number;

  constructor(text: string) {
    this.length = text.length;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  /** The 1-based line and column of `offset` (UTF-16 units, as `positionAt`; clamped to the text). */
  position(offset: number): Position {
    const at = Math.min(offset, this.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.starts[lo]! + 1 };
  }
}

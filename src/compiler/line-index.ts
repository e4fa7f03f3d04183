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

  /** The offset of a 0-based `line` and UTF-16 `character`, clamped to the line and the text. */
  offsetAt(line: number, character: number): number {
    if (line < 0) return 0;
    if (line >= this.starts.length) return this.length;
    const start = this.starts[line]!;
    const end = line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.length;
    return Math.min(start + Math.max(0, character), end);
  }

  /** How many lines the text has. */
  get lineCount(): number {
    return this.starts.length;
  }
}

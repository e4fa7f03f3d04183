/**
 * A reply assembled from many pieces (an agent's streamed text parts), kept bounded the way the
 * process runner bounds a command's stdout: the first and the last half of the limit, with a
 * marker line where the middle was left out. An agent may print hundreds of megabytes; its step
 * log has all of it, the reply only this much.
 */
import { DEFAULT_MAX_CAPTURE } from "../actions/process.js";

export class BoundedText {
  private head = "";
  /** The kept end of the text: pieces from `tailStart` on. */
  private tail: string[] = [];
  private tailStart = 0;
  private tailLength = 0;
  private pieces = 0;
  /** Characters left out between head and tail. */
  omitted = 0;

  constructor(
    /** The most characters kept (the marker line aside). */
    private readonly max: number = DEFAULT_MAX_CAPTURE,
    /** Put between two pieces. */
    private readonly separator: string = "",
  ) {}

  /** Whether no piece was pushed. */
  get empty(): boolean {
    return this.pieces === 0;
  }

  push(piece: string): void {
    let rest = this.pieces++ > 0 ? this.separator + piece : piece;
    const headMax = Math.floor(this.max / 2);
    if (this.head.length < headMax) {
      const take = headMax - this.head.length;
      this.head = take < rest.length ? this.head + detached(rest.slice(0, take)) : this.head + rest;
      rest = take < rest.length ? rest.slice(take) : "";
    }
    if (rest === "") return;
    this.tail.push(rest);
    this.tailLength += rest.length;
    const tailMax = this.max - headMax;
    while (this.tailLength > tailMax) {
      const first = this.tail[this.tailStart]!;
      const excess = this.tailLength - tailMax;
      if (first.length <= excess) {
        this.tail[this.tailStart++] = "";
        this.tailLength -= first.length;
        this.omitted += first.length;
      } else {
        this.tail[this.tailStart] = detached(first.slice(excess));
        this.tailLength -= excess;
        this.omitted += excess;
      }
    }
    if (this.tailStart > 1024 && this.tailStart * 2 > this.tail.length) {
      this.tail = this.tail.slice(this.tailStart);
      this.tailStart = 0;
    }
  }

  /** The kept text, with a marker line where characters were left out. */
  text(): string {
    const tail = this.tail.slice(this.tailStart).join("");
    if (this.omitted === 0) return this.head + tail;
    return `${this.head}\n[… ${this.omitted} characters omitted; the step log has all of it …]\n${tail}`;
  }
}

/**
 * A copy of `s` that does not keep the string it was sliced from alive: V8 may represent a slice
 * as a view of its parent, which would retain a whole cut-off part.
 */
function detached(s: string): string {
  return Buffer.from(s, "utf16le").toString("utf16le");
}

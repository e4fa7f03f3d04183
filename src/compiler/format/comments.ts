/**
 * The comments of a source text, which the parser skips, found again for the formatter: every
 * `//`, `///` and `/* … *\/` outside string literals, handed out in source order so that each is
 * printed exactly once.
 */
import { stringLiteralEnd } from "../lexer/scan.js";

/** One comment of the source. */
export interface Comment {
  readonly start: number;
  readonly end: number;
  /** As written, with LF line ends; a line comment without its trailing whitespace. */
  readonly text: string;
  readonly block: boolean;
}

/** Every comment of `text` outside string literals, in order (strings' `${…}` are part of the string). */
export function scanComments(text: string): Comment[] {
  const comments: Comment[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const end = stringLiteralEnd(text, i);
      if (end < 0) break;
      i = end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const newline = text.indexOf("\n", i);
      const end = newline < 0 ? text.length : newline;
      comments.push({ start: i, end, text: text.slice(i, end).trimEnd(), block: false });
      i = end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf("*/", i + 2);
      const end = close < 0 ? text.length : close + 2;
      comments.push({ start: i, end, text: text.slice(i, end).replace(/\r\n/g, "\n"), block: true });
      i = end;
    } else {
      i++;
    }
  }
  return comments;
}

/** Which characters may stand between a node and a comment for the comment to trail the node. */
export type TrailingGap = "list" | "statement";

/** Hands out the comments of one text, each once, in source order. */
export class CommentQueue {
  private next = 0;

  constructor(
    private readonly text: string,
    private readonly comments: readonly Comment[],
  ) {}

  /**
   * The comments that start before `offset` and were not handed out yet; with `from`, none unless
   * the first of them starts at or after it (a comment before a list's bracket is not the list's).
   */
  takeBefore(offset: number, from = 0): Comment[] {
    const taken: Comment[] = [];
    if (this.next < this.comments.length && this.comments[this.next]!.start < from) return taken;
    while (this.next < this.comments.length && this.comments[this.next]!.start < offset) taken.push(this.comments[this.next++]!);
    return taken;
  }

  /**
   * The comments after `offset` on the same line, with only blanks (and, for a list item, its comma;
   * for a statement, `;` or the `)` of `fail(…)`) between.
   */
  takeTrailing(offset: number, gap: TrailingGap): Comment[] {
    const taken: Comment[] = [];
    let from = offset;
    const allowed = gap === "list" ? /^[ \t\r,]*$/ : /^[ \t\r;)]*$/;
    while (this.next < this.comments.length) {
      const comment = this.comments[this.next]!;
      if (comment.start < from || !allowed.test(this.text.slice(from, comment.start))) break;
      taken.push(comment);
      this.next++;
      if (!comment.block || comment.text.includes("\n")) break;
      from = comment.end;
    }
    return taken;
  }

  /** Whether a comment not handed out yet starts in `[from, offset)`. */
  hasBetween(from: number, offset: number): boolean {
    const c = this.comments[this.next];
    return c !== undefined && c.start >= from && c.start < offset;
  }

  /** The comments not handed out yet. */
  rest(): Comment[] {
    return this.takeBefore(Infinity);
  }
}

/** Whether a blank line stands right before `offset` (only whitespace between it and the line before). */
export function blankLineBefore(text: string, offset: number): boolean {
  let newlines = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) newlines++;
    else if (c !== 32 && c !== 9 && c !== 13) break;
    if (newlines >= 2) return true;
  }
  return false;
}

/** Whether a newline comes after `offset` before anything but blanks. */
export function lineEndsAfter(text: string, offset: number): boolean {
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * The two shapes every part of a `.cm` file is laid out in, with the comments around their items:
 * a vertical list (declarations, a block's statements), one item a line, blank lines kept (at most
 * one); and a bracketed comma list (arguments, parameters, fields, items), on one line when it
 * fits, else one item a line with a trailing comma.
 */
import type { Comment, CommentQueue } from "./comments.js";
import { blankLineBefore, lineEndsAfter } from "./comments.js";
import { type Doc, breakParent, group, hardline, ifBreak, indent, line, softline } from "./doc.js";

/** What every printer reads: the source text and its comments, each handed out once. */
export interface Context {
  readonly text: string;
  readonly comments: CommentQueue;
}

/** One item of a list: where it is in the source and how to print it (called in source order). */
export interface Item {
  readonly start: number;
  readonly end: number;
  readonly doc: () => Doc;
}

/** Comments that follow something on its line: ` /* a *\/ // b`; a line comment breaks the enclosing groups. */
export function trailing(comments: readonly Comment[]): Doc[] {
  const parts: Doc[] = [];
  let afterLineComment = false;
  for (const c of comments) {
    parts.push(afterLineComment ? hardline : " ", c.text);
    afterLineComment = !c.block;
    if (!c.block) parts.push(breakParent);
  }
  return parts;
}

/** Comments before an item inside a comma list: a block comment on the item's line stays on it. */
function leadingInline(ctx: Context, comments: readonly Comment[]): Doc[] {
  const parts: Doc[] = [];
  for (const c of comments) {
    parts.push(c.text);
    parts.push(c.block && !lineEndsAfter(ctx.text, c.end) ? " " : hardline);
  }
  return parts;
}

/**
 * Items one a line, each with the comments before it on lines of their own (a block comment on the
 * item's line stays there) and those after it on its line; the comments left before `end` close the
 * list. A blank line before an item or a comment is kept, except before the first.
 */
export function vertical(ctx: Context, items: readonly Item[], end: number): Doc[] {
  const parts: Doc[] = [];
  let inline = false;
  const separate = (offset: number): void => {
    if (inline) parts.push(" ");
    else if (parts.length > 0) parts.push(blankLineBefore(ctx.text, offset) ? [hardline, hardline] : hardline);
    inline = false;
  };
  const own = (c: Comment): void => {
    separate(c.start);
    parts.push(c.text);
    inline = c.block && !lineEndsAfter(ctx.text, c.end);
  };
  for (const item of items) {
    for (const c of ctx.comments.takeBefore(item.start)) own(c);
    separate(item.start);
    parts.push(item.doc());
    const inside = ctx.comments.takeBefore(item.end);
    parts.push(trailing(ctx.comments.takeTrailing(item.end, "statement")));
    for (const c of inside) {
      parts.push(hardline, c.text);
    }
  }
  for (const c of ctx.comments.takeBefore(end)) own(c);
  return parts;
}

/** A `{ … }` block of items: `{}` when empty, else the items indented, one a line. */
export function braced(ctx: Context, items: readonly Item[], end: number): Doc {
  const inner = vertical(ctx, items, end);
  if (inner.length === 0) return "{}";
  return ["{", indent([hardline, inner]), hardline, "}"];
}

/** How a comma list is bracketed. */
export interface ListShape {
  readonly open: string;
  readonly close: string;
  /** A space inside the brackets when on one line: `{ a: 1 }`, `import { a }`. */
  readonly spaced: boolean;
  /** Broken even when it fits (a record written over several lines stays so). */
  readonly broken?: boolean;
  /** A lone item hugs the brackets and the list never breaks itself: `f("…")`, `f({ … })`. */
  readonly hugLone?: boolean;
}

/**
 * A bracketed comma list from `start` (its opening bracket, or what precedes it) to `end` (the
 * offset after its closing bracket), with the comments in between.
 */
export function commaList(ctx: Context, items: readonly Item[], start: number, end: number, shape: ListShape): Doc {
  const { open, close, spaced } = shape;
  if (items.length === 1 && shape.hugLone && !ctx.comments.hasBetween(start, end)) return [open, items[0]!.doc(), close];
  const parts: Doc[] = [];
  items.forEach((item, i) => {
    parts.push(leadingInline(ctx, ctx.comments.takeBefore(item.start, start)));
    parts.push(item.doc());
    const after = ctx.comments.takeBefore(item.end, start);
    after.push(...ctx.comments.takeTrailing(item.end, "list"));
    const last = i === items.length - 1;
    const comma = last ? ifBreak(",") : ",";
    // Block comments on the item's line stay before its comma; a line comment must come after it.
    if (after.every((c) => c.block && !c.text.includes("\n"))) parts.push(trailing(after), comma);
    else parts.push(comma, trailing(after));
    if (!last) parts.push(line);
  });
  const dangling = ctx.comments.takeBefore(end, start);
  if (items.length === 0 && dangling.length === 0) return [open, close];
  dangling.forEach((c, i) => {
    if (parts.length > 0 || i > 0) parts.push(hardline);
    parts.push(c.text);
  });
  if (dangling.length > 0) parts.push(breakParent);
  const pad = spaced ? line : softline;
  return group([open, indent([pad, parts]), pad, close], shape.broken ?? false);
}

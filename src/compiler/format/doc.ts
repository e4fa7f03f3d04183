/**
 * A small Wadler-style document algebra and its printer: the formatter describes a layout as
 * groups that print on one line when they fit the width and break their lines otherwise.
 */

/** A layout: text, a possible line break, a group, an indented part, or a sequence of them. */
export type Doc = string | readonly Doc[] | Line | Group | Indent | IfBreak | BreakParent;

interface Line {
  readonly kind: "line";
  /** Prints nothing (not a space) when its group is flat. */
  readonly soft: boolean;
  /** Always a newline; breaks every enclosing group. */
  readonly hard: boolean;
}

interface Group {
  readonly kind: "group";
  readonly doc: Doc;
  /** Broken whatever the width (set for a hard line inside, or asked for). */
  broken: boolean;
}

interface Indent {
  readonly kind: "indent";
  readonly doc: Doc;
}

interface IfBreak {
  readonly kind: "ifBreak";
  readonly broken: Doc;
  readonly flat: Doc;
}

interface BreakParent {
  readonly kind: "breakParent";
}

/** A space when flat, a newline when broken. */
export const line: Doc = { kind: "line", soft: false, hard: false };
/** Nothing when flat, a newline when broken. */
export const softline: Doc = { kind: "line", soft: true, hard: false };
/** Always a newline. */
export const hardline: Doc = { kind: "line", soft: false, hard: true };
/** Breaks every group around it, printing nothing itself. */
export const breakParent: Doc = { kind: "breakParent" };

export function group(doc: Doc, broken = false): Doc {
  return { kind: "group", doc, broken };
}

export function indent(doc: Doc): Doc {
  return { kind: "indent", doc };
}

/** `broken` when the enclosing group breaks, else `flat`. */
export function ifBreak(broken: Doc, flat: Doc = ""): Doc {
  return { kind: "ifBreak", broken, flat };
}

/** `docs` with `separator` between each two. */
export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(separator);
    out.push(d);
  });
  return out;
}

/** `doc` on one line whatever the width, unless it must break (a line comment in it): then as it is. */
export function flat(doc: Doc): Doc {
  return mustBreak(doc) ? doc : flatten(doc);
}

function mustBreak(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) return (doc as readonly Doc[]).some(mustBreak);
  const node = doc as Line | Group | Indent | IfBreak | BreakParent;
  switch (node.kind) {
    case "line":
      return node.hard;
    case "breakParent":
      return true;
    case "group":
      return node.broken || mustBreak(node.doc);
    case "indent":
      return mustBreak(node.doc);
    case "ifBreak":
      return mustBreak(node.broken) || mustBreak(node.flat);
  }
}

function flatten(doc: Doc): Doc {
  if (typeof doc === "string") return doc;
  if (Array.isArray(doc)) return (doc as readonly Doc[]).map(flatten);
  const node = doc as Line | Group | Indent | IfBreak | BreakParent;
  switch (node.kind) {
    case "line":
      return node.hard ? node : node.soft ? "" : " ";
    case "breakParent":
      return node;
    case "group":
    case "indent":
      return flatten(node.doc);
    case "ifBreak":
      return flatten(node.flat);
  }
}

/** Marks every group holding a hard line or a break parent as broken; returns whether `doc` holds one. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) {
    let any = false;
    for (const d of doc as readonly Doc[]) if (propagateBreaks(d)) any = true;
    return any;
  }
  const node = doc as Line | Group | Indent | IfBreak | BreakParent;
  switch (node.kind) {
    case "line":
      return node.hard;
    case "breakParent":
      return true;
    case "group": {
      const inner = propagateBreaks(node.doc);
      if (inner) node.broken = true;
      return node.broken;
    }
    case "indent":
      return propagateBreaks(node.doc);
    case "ifBreak": {
      const a = propagateBreaks(node.broken);
      const b = propagateBreaks(node.flat);
      return a || b;
    }
  }
}

type Mode = "flat" | "break";
interface Command {
  readonly indent: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

/**
 * Whether `next` fits in `width` columns, followed by `rest` up to its first newline. A text with a
 * newline in it (a `"""` string, a block comment) fits when its first line does.
 */
function fits(next: Command, rest: readonly Command[], width: number): boolean {
  const stack: Command[] = [next];
  let restIndex = rest.length;
  let left = width;
  while (left >= 0) {
    if (stack.length === 0) {
      if (restIndex === 0) return true;
      stack.push(rest[--restIndex]!);
      continue;
    }
    const { indent: ind, mode, doc } = stack.pop()!;
    if (typeof doc === "string") {
      const newline = doc.indexOf("\n");
      if (newline >= 0) return left - newline >= 0;
      left -= doc.length;
      continue;
    }
    if (expand(stack, { indent: ind, mode, doc }, 0)) continue;
    const node = doc as Line | Group;
    if (node.kind === "group") stack.push({ indent: ind, mode: node.broken ? "break" : mode, doc: node.doc });
    else if (mode === "break" || node.hard) return true;
    else if (!node.soft) left -= 1;
  }
  return false;
}

/**
 * Pushes what a sequence, an indent or an if-break holds onto `stack` (an indent adds
 * `indentWidth`); returns false, pushing nothing, for a line or a group.
 */
function expand(stack: Command[], { indent: ind, mode, doc }: Command, indentWidth: number): boolean {
  if (Array.isArray(doc)) {
    const docs = doc as readonly Doc[];
    for (let i = docs.length - 1; i >= 0; i--) stack.push({ indent: ind, mode, doc: docs[i]! });
    return true;
  }
  const node = doc as Line | Group | Indent | IfBreak | BreakParent;
  switch (node.kind) {
    case "indent":
      stack.push({ indent: ind + indentWidth, mode, doc: node.doc });
      return true;
    case "ifBreak":
      stack.push({ indent: ind, mode, doc: mode === "break" ? node.broken : node.flat });
      return true;
    case "breakParent":
      return true;
    default:
      return false;
  }
}

/** Prints `doc` in `width` columns, indenting by `indentWidth` spaces a level; no trailing spaces. */
export function print(doc: Doc, width: number, indentWidth = 2): string {
  propagateBreaks(doc);
  const out: string[] = [];
  let column = 0;
  const stack: Command[] = [{ indent: 0, mode: "break", doc }];
  const newline = (ind: number): void => {
    while (out.length > 0 && / +$/.test(out[out.length - 1]!)) {
      const trimmed = out[out.length - 1]!.replace(/ +$/, "");
      if (trimmed === "") out.pop();
      else {
        out[out.length - 1] = trimmed;
        break;
      }
    }
    out.push("\n", " ".repeat(ind));
    column = ind;
  };
  while (stack.length > 0) {
    const { indent: ind, mode, doc: d } = stack.pop()!;
    if (typeof d === "string") {
      out.push(d);
      const lastNewline = d.lastIndexOf("\n");
      column = lastNewline < 0 ? column + d.length : d.length - lastNewline - 1;
      continue;
    }
    if (expand(stack, { indent: ind, mode, doc: d }, indentWidth)) continue;
    const node = d as Line | Group;
    if (node.kind === "group") {
      const flat: Command = { indent: ind, mode: "flat", doc: node.doc };
      stack.push(!node.broken && fits(flat, stack, width - column) ? flat : { indent: ind, mode: "break", doc: node.doc });
    } else if (mode === "break" || node.hard) {
      newline(ind);
    } else if (!node.soft) {
      out.push(" ");
      column += 1;
    }
  }
  return out.join("");
}

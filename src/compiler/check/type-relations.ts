/**
 * Relations between semantic types: assignability (LANGUAGE.md §4), the common type of two values,
 * and small predicates the checker asks about types.
 */
import { replyType, T, type RecordTypeT, type Type } from "../types.js";

/** `json` and `unknown` accept and produce anything. */
export function isDynamic(t: Type): boolean {
  return t.kind === "json" || t.kind === "unknown";
}

/** A string literal, or a union whose members are all string literals. */
export function isLiteralish(t: Type): boolean {
  return t.kind === "literal" || (t.kind === "union" && t.members.every(isLiteralish));
}

/** Text-like: `string`, `path`, `command`, a string literal or a union of them. */
export function isStringLike(t: Type): boolean {
  return t.kind === "string" || t.kind === "path" || t.kind === "command" || isLiteralish(t);
}

export function isNumeric(t: Type): boolean {
  return t.kind === "int" || t.kind === "float";
}

/** The allowed values of a literal or literal-union type (optional stripped), or undefined. */
export function literalValues(t: Type): string[] | undefined {
  const inner = t.kind === "optional" ? t.inner : t;
  if (inner.kind === "literal") return [inner.value];
  if (inner.kind === "union" && inner.members.every((m) => m.kind === "literal")) {
    return inner.members.map((m) => (m.kind === "literal" ? m.value : ""));
  }
  return undefined;
}

/** Whether a value of type `t` holds command text somewhere (`command`, `list<command>`, a record field). */
export function containsCommand(t: Type): boolean {
  switch (t.kind) {
    case "command":
      return true;
    case "optional":
      return containsCommand(t.inner);
    case "list":
      return containsCommand(t.element);
    case "record":
      return t.fields.some((f) => containsCommand(f.type));
    case "union":
      return t.members.some(containsCommand);
    default:
      return false;
  }
}

/** True when a value of type `from` may be used where `to` is expected. */
export function assignable(from: Type, to: Type): boolean {
  // Command text is never taken from a `json` value: its text could be anything (LANGUAGE.md §6.1).
  if (from.kind === "json" && containsCommand(to)) return false;
  if (isDynamic(from) || isDynamic(to)) return true;
  if (to.kind === "optional") {
    if (from.kind === "none") return true;
    if (from.kind === "optional") return assignable(from.inner, to.inner);
    return assignable(from, to.inner);
  }
  if (from.kind === "union") return from.members.every((m) => assignable(m, to));
  switch (to.kind) {
    case "string":
    case "path":
      return from.kind === "string" || from.kind === "path" || from.kind === "literal" || from.kind === "command";
    case "command":
      // A literal is text the program wrote, with no value in it.
      return from.kind === "command" || from.kind === "literal";
    case "float":
      return from.kind === "float" || from.kind === "int";
    case "int":
    case "bool":
    case "duration":
    case "none":
    case "agent":
      return from.kind === to.kind;
    case "literal":
      return from.kind === "literal" && from.value === to.value;
    case "union":
      return to.members.some((m) => assignable(from, m));
    case "list":
      return from.kind === "list" && assignable(from.element, to.element);
    case "record": {
      if (from.kind !== "record") return false;
      return to.fields.every((f) => {
        const have = from.fields.find((g) => g.name === f.name);
        if (!have) return f.type.kind === "optional" || isDynamic(f.type);
        return assignable(have.type, f.type);
      });
    }
    default:
      return false;
  }
}

/** True when `==` may compare the two types. */
export function comparable(a: Type, b: Type): boolean {
  // Anything may be compared with `none`: a name narrowed to `T` may be tested again.
  if (a.kind === "none" || b.kind === "none") return true;
  if (isStringLike(stripOptional(a)) && isStringLike(stripOptional(b))) return true;
  return assignable(a, b) || assignable(b, a);
}

export function stripOptional(t: Type): Type {
  return t.kind === "optional" ? t.inner : t;
}

/** The type of a value that is either an `a` or a `b` (list items, `??`), or undefined when none fits. */
export function commonType(a: Type, b: Type): Type | undefined {
  if (a.kind === "unknown") return b;
  if (b.kind === "unknown") return a;
  if (a.kind === "none") return b.kind === "none" ? a : T.optional(b);
  if (b.kind === "none") return T.optional(a);
  if (a.kind === "literal" && b.kind === "literal" && a.value !== b.value) return T.string;
  if (assignable(a, b)) return b;
  if (assignable(b, a)) return a;
  if (isStringLike(a) && isStringLike(b)) return T.string;
  return undefined;
}

/** Structural equality, ignoring record names. */
export function sameType(a: Type, b: Type): boolean {
  return assignable(a, b) && assignable(b, a);
}

const plainReply = replyType();
const replies = new WeakMap<Type, RecordTypeT>();

/**
 * `replyType(output)`, built once per output type: types are immutable, and building a `Reply`
 * (with its name, via `typeToString`) for every `ask` was a measurable part of checking.
 */
export function sharedReplyType(output?: Type): RecordTypeT {
  if (output === undefined) return plainReply;
  let reply = replies.get(output);
  if (reply === undefined) {
    reply = replyType(output);
    replies.set(output, reply);
  }
  return reply;
}

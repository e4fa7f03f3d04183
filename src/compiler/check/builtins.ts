/**
 * What the language provides without a declaration: built-in type names, the functions of
 * LANGUAGE.md §7, the actions of §6 with their options, and the agent constructors the runtime knows.
 */
import { DecisionType, FailureType, ShellType, T, type Type } from "../types.js";

/** A parameter of a built-in function, action or constructor. */
export interface ParamSpec {
  readonly name: string;
  readonly type: Type;
  readonly required: boolean;
  /** Checked by a rule of its own instead of by `type` alone. */
  readonly special?: "command" | "env" | "output" | "any";
}

const req = (name: string, type: Type, special?: ParamSpec["special"]): ParamSpec => ({
  name,
  type,
  required: true,
  ...(special ? { special } : {}),
});
const opt = (name: string, type: Type, special?: ParamSpec["special"]): ParamSpec => ({
  name,
  type: T.optional(type),
  required: false,
  ...(special ? { special } : {}),
});

/** Primitive type names usable in type expressions. */
export const PRIMITIVE_TYPES: Readonly<Record<string, Type>> = {
  string: T.string,
  int: T.int,
  float: T.float,
  bool: T.bool,
  duration: T.duration,
  path: T.path,
  json: T.json,
  agent: T.agent,
  Shell: ShellType,
  Decision: DecisionType,
  Failure: FailureType,
};

/** Every type name that needs no declaration (for suggestions). */
export const BUILTIN_TYPE_NAMES: readonly string[] = [...Object.keys(PRIMITIVE_TYPES), "list", "Reply"];

export interface BuiltinFn {
  readonly params: readonly ParamSpec[];
  readonly returns: Type;
}

/**
 * The built-in functions. `len`, `contains`, `prev` and `raw` have extra rules in the checker;
 * their `any` parameters accept every type and are checked there.
 */
export const BUILTIN_FNS: Readonly<Record<string, BuiltinFn>> = {
  read: { params: [req("path", T.path)], returns: T.string },
  exists: { params: [req("path", T.path)], returns: T.bool },
  glob: { params: [req("pattern", T.string)], returns: T.list(T.path) },
  join: { params: [req("list", T.list(T.string)), req("sep", T.string)], returns: T.string },
  lines: { params: [req("text", T.string)], returns: T.list(T.string) },
  head: { params: [req("text", T.string), req("n", T.int)], returns: T.string },
  tail: { params: [req("text", T.string), req("n", T.int)], returns: T.string },
  trim: { params: [req("text", T.string)], returns: T.string },
  len: { params: [req("value", T.unknown, "any")], returns: T.int },
  contains: { params: [req("container", T.unknown, "any"), req("item", T.unknown, "any")], returns: T.bool },
  tojson: { params: [req("value", T.unknown, "any")], returns: T.string },
  json: { params: [req("text", T.string)], returns: T.json },
  env: { params: [req("name", T.string)], returns: T.optional(T.string) },
  raw: { params: [req("text", T.string)], returns: T.string },
};

/** Names that are not plain functions: actions (only as a step's value) and `prev`. */
export const ACTION_NAMES: readonly string[] = ["sh", "approve"];

/** Options every action takes (LANGUAGE.md §6). */
export const COMMON_OPTIONS: readonly ParamSpec[] = [
  opt("timeout", T.duration),
  opt("retry", T.int),
  opt("backoff", T.duration),
  opt("label", T.string),
];

export const COMMON_OPTION_NAMES: ReadonlySet<string> = new Set(COMMON_OPTIONS.map((p) => p.name));

export const ON_TIMEOUT: Type = {
  kind: "union",
  members: [
    { kind: "literal", value: "fail" },
    { kind: "literal", value: "approve" },
    { kind: "literal", value: "reject" },
  ],
};

/** `sh(command, cwd:, env:, stdin:, check: true)` */
export const SH_PARAMS: readonly ParamSpec[] = [
  req("command", T.unknown, "command"),
  opt("cwd", T.path),
  opt("env", T.unknown, "env"),
  opt("stdin", T.string),
  opt("check", T.bool),
  ...COMMON_OPTIONS,
];

/** `agent.ask(prompt, output:, session:, interactive: false, files:)` */
export const ASK_PARAMS: readonly ParamSpec[] = [
  req("prompt", T.string),
  opt("output", T.unknown, "output"),
  opt("session", T.string),
  opt("interactive", T.bool),
  opt("files", T.list(T.path)),
  ...COMMON_OPTIONS,
];

/** `approve(question, timeout:, onTimeout: "fail")` */
export const APPROVE_PARAMS: readonly ParamSpec[] = [req("question", T.string), opt("onTimeout", ON_TIMEOUT), ...COMMON_OPTIONS];

/** The agent constructors the runtime implements; `agent name(…)` declarations must use one of these. */
export const AGENT_CTORS: readonly string[] = ["claude", "codex", "gemini", "opencode", "cursor", "command", "scripted", "role"];

/**
 * Semantic types of `.cm` values, shared by the checker, the IR (step outputs, parameters) and the
 * runtime (input parsing, structured-output validation). Plain JSON data, aliases resolved.
 */

export type Type =
  | { readonly kind: "string" }
  | { readonly kind: "int" }
  | { readonly kind: "float" }
  | { readonly kind: "bool" }
  | { readonly kind: "duration" }
  | { readonly kind: "path" }
  /** Shell command text whose values are already quoted (a literal checked as a command, or `raw(…)`). */
  | { readonly kind: "command" }
  | { readonly kind: "json" }
  | { readonly kind: "none" }
  | { readonly kind: "agent" }
  | { readonly kind: "list"; readonly element: Type }
  | RecordTypeT
  | { readonly kind: "optional"; readonly inner: Type }
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "union"; readonly members: readonly Type[] }
  /** The type of an expression that already produced an error; compatible with everything. */
  | { readonly kind: "unknown" };

export interface RecordTypeT {
  readonly kind: "record";
  /** A field whose type is `optional` may be absent. */
  readonly fields: readonly { readonly name: string; readonly type: Type }[];
  /** Set for named built-in records (`Shell`, `Reply`, `Decision`, `Failure`) and aliases, for messages. */
  readonly name?: string;
}

export const T = {
  string: { kind: "string" },
  int: { kind: "int" },
  float: { kind: "float" },
  bool: { kind: "bool" },
  duration: { kind: "duration" },
  path: { kind: "path" },
  command: { kind: "command" },
  json: { kind: "json" },
  none: { kind: "none" },
  agent: { kind: "agent" },
  unknown: { kind: "unknown" },
  list: (element: Type): Type => ({ kind: "list", element }),
  optional: (inner: Type): Type => (inner.kind === "optional" ? inner : { kind: "optional", inner }),
  record: (fields: Record<string, Type>, name?: string): RecordTypeT => ({
    kind: "record",
    fields: Object.entries(fields).map(([n, t]) => ({ name: n, type: t })),
    ...(name ? { name } : {}),
  }),
} as const satisfies Record<string, Type | ((...args: never[]) => Type)>;

/** `Shell = { ok, code, stdout, stderr, duration }` — the result of `sh`. */
export const ShellType: RecordTypeT = T.record(
  { ok: T.bool, code: T.int, stdout: T.string, stderr: T.string, duration: T.duration },
  "Shell",
);

/** `Reply<T>`; `output` is present only when the step gives `output: T`. */
export function replyType(output?: Type): RecordTypeT {
  return T.record(
    {
      ok: T.bool,
      text: T.string,
      ...(output ? { output } : {}),
      session: T.string,
      cost: T.float,
      tokens: T.record({ input: T.int, output: T.int }),
      duration: T.duration,
    },
    output ? `Reply<${typeToString(output)}>` : "Reply",
  );
}

/** `Decision = { approved, reason, by }` — the result of `approve`. */
export const DecisionType: RecordTypeT = T.record(
  { approved: T.bool, reason: T.string, by: T.string },
  "Decision",
);

/** `Failure = { kind, step, message }` — the value bound by `catch e`. */
export const FailureType: RecordTypeT = T.record(
  { kind: T.string, step: T.string, message: T.string },
  "Failure",
);

/** How a type is written in source, for messages: `list<{ title: string }>`, `"a" | "b"`, `int?`. */
export function typeToString(t: Type): string {
  switch (t.kind) {
    case "list":
      return `list<${typeToString(t.element)}>`;
    case "record":
      if (t.name) return t.name;
      return `{ ${t.fields.map((f) => `${f.name}: ${typeToString(f.type)}`).join(", ")} }`;
    case "optional": {
      const inner = typeToString(t.inner);
      return t.inner.kind === "union" ? `(${inner})?` : `${inner}?`;
    }
    case "literal":
      return JSON.stringify(t.value);
    case "union":
      return t.members.map(typeToString).join(" | ");
    default:
      return t.kind;
  }
}

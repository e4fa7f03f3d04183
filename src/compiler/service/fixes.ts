/** Quick fixes read from diagnostics: a `help` of "did you mean `x`?" replaces the span with `x`. */
import type { Diagnostic } from "../diagnostics.js";
import type { Span } from "../span.js";

export interface TextFix {
  readonly title: string;
  readonly span: Span;
  readonly text: string;
}

/** The replacement a diagnostic's help suggests, if it suggests one. */
export function fixOf(d: Pick<Diagnostic, "help" | "span">): TextFix | undefined {
  const name = /^did you mean `([^`]+)`\?$/.exec(d.help ?? "");
  if (name) return { title: `Change to \`${name[1]}\``, span: d.span, text: name[1]! };
  const literal = /^did you mean ("(?:[^"\\]|\\.)*")\?$/.exec(d.help ?? "");
  if (literal) return { title: `Change to ${literal[1]}`, span: d.span, text: literal[1]! };
  return undefined;
}

/**
 * Diagnostics are data: a stable code, a severity, a message, where, and optional label and help.
 * Every phase returns them; only `src/cli/render-diagnostics.ts` turns them into text.
 *
 * Code bands: E01xx syntax, E02xx names and modules, E03xx types, E04xx control flow;
 * warnings use W0xxx in the same bands.
 */
import type { Span } from "./span.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  /** Stable code such as `E0301`. */
  readonly code: string;
  readonly severity: Severity;
  /** One line, lower case start, names in backticks: "unknown step `tset`". */
  readonly message: string;
  /** The module key the span points into (as the compiler host names it). */
  readonly file: string;
  readonly span: Span;
  /** Short text printed under the caret: "not defined in workflow `feature`". */
  readonly label?: string;
  /** A suggested fix: "did you mean `test`?". */
  readonly help?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Spans ↔ LSP ranges (0-based lines, UTF-16 columns, as JS string offsets are) and diagnostics to LSP's shape. */
import type { Diagnostic as LspDiagnostic, Position, Range } from "vscode-languageserver/node.js";
import type { Diagnostic } from "../compiler/diagnostics.js";
import { LineIndex } from "../compiler/line-index.js";
import type { Span } from "../compiler/span.js";

/** A text with its line index, built once per text. */
export class Text {
  private index?: LineIndex;
  constructor(readonly text: string) {}

  private lines(): LineIndex {
    return (this.index ??= new LineIndex(this.text));
  }

  position(offset: number): Position {
    const p = this.lines().position(offset);
    return { line: p.line - 1, character: p.column - 1 };
  }

  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  /** The offset of an LSP position, clamped to the text (a position past the end is the end). */
  offset(p: Position): number {
    return this.lines().offsetAt(p.line, p.character);
  }
}

/** What a quick fix needs of a diagnostic, carried in its `data`. */
export interface DiagnosticData {
  readonly help?: string;
  readonly span: Span;
}

/**
 * A checker diagnostic as LSP publishes it: the same code and message; the label and the help,
 * which `cmc check` prints under the caret and after it, follow the message.
 */
export function toLspDiagnostic(d: Diagnostic, text: Text): LspDiagnostic {
  const lines = [d.message];
  if (d.label) lines.push(d.label);
  if (d.help) lines.push(`help: ${d.help}`);
  const data: DiagnosticData = { span: d.span, ...(d.help ? { help: d.help } : {}) };
  return {
    range: text.range(d.span),
    severity: d.severity === "error" ? 1 : 2,
    code: d.code,
    source: "cmc",
    message: lines.join("\n"),
    data,
  };
}

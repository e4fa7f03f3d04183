/** Small HTML pieces shared by the editor page and its hover markdown. */
import type { Span } from "./highlight.js";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A token as a coloured `<span>`, its innermost scope in `data-scope`, with `attributes` added. */
export function spanHtml(span: Span, attributes = ""): string {
  return `<span${attributes} style="color:${span.colour}" data-scope="${escapeHtml(span.scopes.at(-1) ?? "")}">${escapeHtml(span.text)}</span>`;
}

/** One highlighted line. */
export function spansHtml(spans: readonly Span[]): string {
  return spans.map((s) => spanHtml(s)).join("");
}

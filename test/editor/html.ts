/** Small HTML pieces shared by the editor page and its hover markdown. */
import type { Span } from "./highlight.js";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** One highlighted line: a coloured `<span>` a token, its innermost scope in `data-scope`. */
export function spansHtml(spans: readonly Span[]): string {
  return spans.map((s) => `<span style="color:${s.colour}" data-scope="${escapeHtml(s.scopes.at(-1) ?? "")}">${escapeHtml(s.text)}</span>`).join("");
}

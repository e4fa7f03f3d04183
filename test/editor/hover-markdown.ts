/**
 * The markdown of a hover as VS Code's hover widget shows it: fenced ```cm blocks highlighted by
 * the grammar, paragraphs with `inline code`. The language server writes nothing more than these.
 */
import { escapeHtml, spansHtml } from "./html.js";
import { highlight } from "./highlight.js";

export async function hoverHtml(markdown: string): Promise<string> {
  const parts: string[] = [];
  const fence = /```(\w*)\n([^]*?)\n```/g;
  let from = 0;
  for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) {
    parts.push(paragraphs(markdown.slice(from, m.index)));
    const code = m[1] === "cm" ? (await highlight(m[2]!)).map(spansHtml).join("\n") : escapeHtml(m[2]!);
    parts.push(`<pre class="hover-code">${code}</pre>`);
    from = m.index + m[0].length;
  }
  parts.push(paragraphs(markdown.slice(from)));
  return parts.join("");
}

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p) => `<p>${inline(p)}</p>`)
    .join("");
}

function inline(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((piece) => (piece.startsWith("`") && piece.endsWith("`") && piece.length > 1 ? `<code>${escapeHtml(piece.slice(1, -1))}</code>` : escapeHtml(piece)))
    .join("");
}

/** Doc comments: the `///` lines directly above the line where a declaration starts. */

/**
 * The doc of a declaration starting at offset `start`, if that line starts with it: the `///` lines
 * right above, each without its `///` and one following space, joined with "\n". `docAt` gives the
 * text of a `///` comment starting at an offset (the two parsers keep their comments differently).
 */
export function docBefore(text: string, start: number, docAt: (offset: number) => string | undefined): string | undefined {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== "") return undefined;
  const lines: string[] = [];
  let end = lineStart - 1;
  while (end >= 0) {
    // (`lastIndexOf` with a negative start still looks at offset 0, so the first line is its own case.)
    const prevStart = end === 0 ? 0 : text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(prevStart, end);
    const image = docAt(prevStart + (line.length - line.trimStart().length));
    if (image === undefined) break;
    lines.unshift(image.slice(3).replace(/^ /, "").replace(/\r$/, ""));
    end = prevStart - 1;
  }
  return lines.length === 0 ? undefined : lines.join("\n");
}

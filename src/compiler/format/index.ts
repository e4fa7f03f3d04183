/**
 * `formatSource`: the one canonical layout of a `.cm` file, from its syntax tree and its comments.
 * Pure (no I/O). A file with syntax errors is not formatted: its diagnostics come back instead.
 * Lines end in LF, also inside `"""` strings and block comments (CRLF becomes LF).
 */
import type { Diagnostic } from "../diagnostics.js";
import { parse } from "../parser/index.js";
import { CommentQueue, scanComments } from "./comments.js";
import { print } from "./doc.js";
import { printModule } from "./module.js";

/** Columns a line may take before a call, list or record breaks one item a line. */
export const LINE_WIDTH = 100;

/** What {@link formatSource} returns. */
export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Formats one `.cm` source text. `file` names it in diagnostics. When the text does not parse, the
 * parser's diagnostics; when the layout would change the program or lose a comment (a bug of the
 * formatter), one E0001 diagnostic and no text.
 */
export function formatSource(text: string, file = "input.cm"): FormatResult {
  const parsed = parse(text, file);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics };
  const comments = scanComments(text);
  const ctx = { text, comments: new CommentQueue(text, comments) };
  const formatted = print(printModule(ctx, parsed.module), LINE_WIDTH);
  const lost = ctx.comments.rest();
  const reparsed = parse(formatted, file);
  const same =
    lost.length === 0 &&
    reparsed.diagnostics.length === 0 &&
    shape(reparsed.module) === shape(parsed.module) &&
    commentTexts(scanComments(formatted)) === commentTexts(comments);
  if (!same) {
    return {
      ok: false,
      diagnostics: [
        {
          code: "E0001",
          severity: "error",
          message: "cmc fmt cannot lay out this file without changing it",
          file,
          span: { start: 0, end: 0 },
          help: "this is a bug in cmc's formatter; please report it with the file",
        },
      ],
    };
  }
  return { ok: true, text: formatted };
}

/** A syntax tree without its positions: what must not change. */
function shape(module: unknown): string {
  return JSON.stringify(module, (key, value: unknown) => (key === "span" || key === "fromSpan" ? undefined : value));
}

function commentTexts(comments: readonly { text: string }[]): string {
  return JSON.stringify(comments.map((c) => c.text).sort());
}

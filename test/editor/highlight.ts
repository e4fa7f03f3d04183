/**
 * `.cm` text coloured as VS Code colours it with the extension: the tokens of the real TextMate
 * grammar (test/grammar/tokenize.ts: vscode-textmate and vscode-oniguruma) and the Dark+ colour of
 * each token's scopes.
 */
import { tokenize } from "../grammar/tokenize.js";
import { foregroundOf } from "./dark-plus.js";

/** A run of one line's text with one token's scopes (outermost first) and its colour. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
  readonly colour: string;
}

/** The spans of each line of `text`, in order; every character of a line is in one span. */
export async function highlight(text: string): Promise<Span[][]> {
  const lines: Span[][] = text.split("\n").map(() => []);
  for (const t of await tokenize(text)) {
    lines[t.line]!.push({ start: t.start, end: t.end, text: t.text, scopes: t.scopes, colour: foregroundOf(t.scopes) });
  }
  return lines;
}

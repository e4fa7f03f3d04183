/**
 * The TextMate grammar of `.cm` (grammar/cm.tmLanguage.json) run headlessly, as VS Code runs it:
 * vscode-textmate with the Oniguruma regular expressions of vscode-oniguruma (its wasm read from
 * node_modules).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";
import { repoRoot } from "../helpers/cli.js";

/** One token of a line: where it is and the scopes it has, outermost first. */
export interface Token {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

let grammar: Promise<textmate.IGrammar> | undefined;

function load(): Promise<textmate.IGrammar> {
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma/package.json")), "release", "onig.wasm"));
  const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  }));
  const registry = new textmate.Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      if (scopeName !== "source.cm") return null;
      const file = path.join(repoRoot, "grammar", "cm.tmLanguage.json");
      return textmate.parseRawGrammar(readFileSync(file, "utf8"), file);
    },
  });
  return registry.loadGrammar("source.cm").then((g) => {
    if (g === null) throw new Error("grammar/cm.tmLanguage.json did not load");
    return g;
  });
}

/** The tokens of `text`, line by line, each line tokenised in the state the one before left. */
export async function tokenize(text: string): Promise<Token[]> {
  grammar ??= load();
  const g = await grammar;
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  text.split("\n").forEach((lineText, line) => {
    const result = g.tokenizeLine(lineText, state);
    for (const t of result.tokens) {
      tokens.push({ line, start: t.startIndex, end: t.endIndex, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}

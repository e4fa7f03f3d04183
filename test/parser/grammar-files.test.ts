/** grammar/cm.tmLanguage.json and grammar/cm.ebnf stay in step with the lexer's keywords. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { keywords } from "../../src/compiler/lexer/tokens.js";

const words = keywords.map((k) => k.name.replace(/^Kw_/, ""));

it("the TextMate grammar is valid, scoped source.cm, and highlights every keyword", () => {
  const grammar = JSON.parse(readFileSync(new URL("../../grammar/cm.tmLanguage.json", import.meta.url), "utf8")) as {
    scopeName: string;
    repository: Record<string, { patterns?: { match?: string }[] }>;
  };
  expect(grammar.scopeName).toBe("source.cm");
  const keywordRegexes = (grammar.repository["keywords"]?.patterns ?? []).map((p) => new RegExp(p.match!));
  for (const word of words) expect(keywordRegexes.some((r) => r.test(word)), word).toBe(true);
  const strings = JSON.stringify(grammar.repository["string"]);
  expect(strings).toContain("#interpolation");
  expect(JSON.stringify(grammar.repository["interpolation"])).toContain("#expression");
});

it("the EBNF lists every keyword", () => {
  const ebnf = readFileSync(new URL("../../grammar/cm.ebnf", import.meta.url), "utf8");
  for (const word of words) expect(ebnf, word).toContain(word);
});

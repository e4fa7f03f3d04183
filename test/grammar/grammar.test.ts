/**
 * Token scopes of the TextMate grammar, from case files: each `cases/<construct>.txt` holds `.cm`
 * source, a line `---`, then one expectation a line, `text => scope` (or `text => !scope`): the
 * next occurrence of `text` in the source, after the previous expectation's, is covered only by
 * tokens that have (or all lack) a scope starting with `scope`; a line right after one with the
 * same text checks the same occurrence. Lines starting with `#` are notes.
 * Adding a case is adding a file.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tokenize } from "./tokenize.js";

const casesDir = fileURLToPath(new URL("./cases", import.meta.url));
const cases = readdirSync(casesDir)
  .filter((f) => f.endsWith(".txt"))
  .sort();

interface Expectation {
  readonly text: string;
  readonly scope: string;
  readonly absent: boolean;
}

function parseCase(content: string): { source: string; expectations: Expectation[] } {
  const [source, rules] = content.split(/^---$/m);
  if (source === undefined || rules === undefined) throw new Error("a case needs source, a line `---`, then expectations");
  const expectations = rules
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => {
      const at = l.lastIndexOf(" => ");
      if (at < 0) throw new Error(`not \`text => scope\`: ${l}`);
      const scope = l.slice(at + 4).trim();
      return { text: l.slice(0, at), scope: scope.replace(/^!/, ""), absent: scope.startsWith("!") };
    });
  return { source: source.replace(/\n$/, ""), expectations };
}

describe("the TextMate grammar", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  it.each(cases)("%s", async (name) => {
    const { source, expectations } = parseCase(readFileSync(path.join(casesDir, name), "utf8"));
    const tokens = await tokenize(source);
    const lineStarts = [0];
    for (let i = 0; i < source.length; i++) if (source[i] === "\n") lineStarts.push(i + 1);
    let from = 0;
    let previous: { text: string; at: number } | undefined;
    for (const e of expectations) {
      const at = previous?.text === e.text ? previous.at : source.indexOf(e.text, from);
      expect(at, `\`${e.text}\` after offset ${from}`).toBeGreaterThanOrEqual(0);
      from = at + e.text.length;
      previous = { text: e.text, at };
      const covering = tokens.filter((t) => {
        const start = lineStarts[t.line]! + t.start;
        const end = lineStarts[t.line]! + t.end;
        return start < at + e.text.length && end > at && t.text.trim() !== "";
      });
      expect(covering.length, `tokens of \`${e.text}\``).toBeGreaterThan(0);
      for (const t of covering) {
        const has = t.scopes.some((s) => s.startsWith(e.scope));
        const shown = `\`${t.text}\` in \`${e.text}\`: ${t.scopes.join(" ")}`;
        expect(has ? shown : `${shown} (no ${e.scope})`).toBe(e.absent ? `${shown} (no ${e.scope})` : shown);
      }
    }
  });
});

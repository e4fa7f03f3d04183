/**
 * The formatter over the repository: every `.cm` file is formatted (how CI keeps them so: run
 * `cmc fmt` and commit), formatting is idempotent on every file, on the property-test generator's
 * programs and with a comment at any token boundary, and it never changes what the compiler makes
 * of a program.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findCmFiles } from "../../src/cli/commands/check.js";
import { nodeHost } from "../../src/cli/node-host.js";
import type { CompilerHost } from "../../src/compiler/host.js";
import { compile } from "../../src/compiler/index.js";
import { formatSource } from "../../src/compiler/format/index.js";
import { lex } from "../../src/compiler/lexer/lexer.js";
import { parse } from "../../src/compiler/parser/index.js";
import { repoRoot } from "../helpers/cli.js";
import { mutation, pieces } from "../parser/corpus.js";

/**
 * Files unformatted on purpose: the golden inputs (test/format/golden.test.ts formats them); a
 * check fixture whose point is the tab that formatting would replace; the language server's
 * formatting fixtures; and the LANGUAGE.md §1 program, kept byte for byte as the contract
 * (docs/language.md) prints it.
 */
const unformattedOnPurpose = (name: string) =>
  (name.startsWith("test/format/golden/") && name.endsWith(".before.cm")) ||
  name.startsWith("test/lsp/fixtures/formatting/") ||
  name === "test/fixtures/check/cli_tabs_are_expanded_under_the_caret.cm" ||
  name === "test/parser/programs/feature.cm";

/** What git ignores (scratch such as bench/.work/, which the benchmarks fill with generated programs) is not the repository's. */
const ignored = new Set(
  execFileSync("git", ["ls-files", "--others", "--ignored", "--exclude-standard", "--", "*.cm"], { cwd: repoRoot, encoding: "utf8" })
    .split("\n")
    .filter(Boolean),
);
const files = findCmFiles(repoRoot)
  .map((f) => path.relative(repoRoot, f).split(path.sep).join("/"))
  .filter((name) => !ignored.has(name))
  .map((name) => ({ name, text: readFileSync(path.join(repoRoot, name), "utf8") }));
const parsing = files.filter((f) => parse(f.text, f.name).diagnostics.length === 0);

function formatted(text: string, file: string): string {
  const result = formatSource(text, file);
  if (!result.ok) throw new Error(`${file}: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return result.text;
}

/** The formatted text is a fixed point; returns it. */
function idempotent(text: string, file: string): string {
  const once = formatted(text, file);
  expect(formatted(once, file)).toBe(once);
  return once;
}

/** What the compiler makes of `entry` when it reads `text` for it: the IR without positions, or the diagnostics without them. */
function compiled(host: CompilerHost, entry: string, text: string): string {
  const result = compile(entry, { ...host, read: (key) => (key === entry ? text : host.read(key)) });
  if (result.ir === undefined) return JSON.stringify(result.diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`));
  return JSON.stringify(result.ir, (key, value: unknown) => (key === "span" ? undefined : value));
}

describe("the repository's .cm files", () => {
  it("include the examples, the standard library, the templates and the test fixtures", () => {
    for (const dir of ["examples/", "stdlib/", "templates/", "test/fixtures/check/", "test/format/golden/"]) {
      expect(parsing.some((f) => f.name.startsWith(dir)), dir).toBe(true);
    }
  });

  it.each(parsing.filter((f) => !unformattedOnPurpose(f.name)).map((f) => [f.name, f] as const))(
    "%s is formatted (run `cmc fmt` on it)",
    (_, { name, text }) => {
      expect(formatted(text, name)).toBe(text);
    },
  );

  it("that do not parse are the syntax-error fixtures (and the language server's, a cursor marker in them), left as they are", () => {
    const broken = files.filter((f) => !parsing.includes(f)).map((f) => f.name);
    expect(broken.length).toBeGreaterThan(0);
    for (const name of broken) expect(name).toMatch(/^test\/fixtures\/check\/(syntax|cli)_|^test\/lsp\/fixtures\//);
    for (const { name, text } of files.filter((f) => !parsing.includes(f))) {
      const result = formatSource(text, name);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.diagnostics.map((d) => d.code)).not.toContain("E0001");
    }
  });
});

describe("formatting is idempotent", () => {
  it("on every .cm file of the repository", () => {
    for (const { name, text } of parsing) idempotent(text, name);
  });

  it("on the property-test generator's programs (mutations of the repository's files)", () => {
    let formattedCount = 0;
    fc.assert(
      fc.property(mutation(pieces), (text) => {
        const result = formatSource(text, "mutated.cm");
        if (!result.ok) {
          expect(result.diagnostics.map((d) => d.code)).not.toContain("E0001");
          expect(parse(text, "mutated.cm").diagnostics.length).toBeGreaterThan(0);
          return;
        }
        formattedCount++;
        expect(formatted(result.text, "mutated.cm")).toBe(result.text);
      }),
      { numRuns: 400 },
    );
    expect(formattedCount).toBeGreaterThan(50);
  });

  it("with a comment at any token boundary of any file, and the comment kept", () => {
    const sources = parsing.filter((f) => f.text.length < 20_000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sources.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        fc.constantFrom(" /* note */ ", " // note\n"),
        (which, where, after, comment) => {
          const { name, text } = sources[which]!;
          const tokens = lex(text, name).tokens;
          const token = tokens[Math.min(tokens.length - 1, Math.floor(where * tokens.length))]!;
          const at = after ? token.startOffset + token.image.length : token.startOffset;
          const commented = text.slice(0, at) + comment + text.slice(at);
          if (parse(commented, name).diagnostics.length > 0) return;
          const once = idempotent(commented, name);
          expect(once).toContain(comment.trim());
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe("formatting never changes what the compiler makes of a program", () => {
  const host = nodeHost(repoRoot);
  /** Every line indented three more spaces: the same program (a `"""` string strips common indentation), laid out differently. */
  const shifted = (text: string) => text.replace(/^/gm, "   ");

  it.each(parsing.map((f) => [f.name, f] as const))("%s compiles the same after formatting", (_, { name, text }) => {
    const entry = host.keyOf(path.join(repoRoot, name));
    const original = compiled(host, entry, text);
    const moved = shifted(text);
    expect(compiled(host, entry, moved)).toBe(original);
    expect(compiled(host, entry, formatted(moved, name))).toBe(original);
    expect(compiled(host, entry, formatted(text, name))).toBe(original);
  });
});

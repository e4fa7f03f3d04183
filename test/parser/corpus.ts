/**
 * The repository's `.cm` files and the property-test generator built on them: mutations of those
 * files (a piece inserted, some text deleted or duplicated). Shared by the parser's fast-path tests
 * and the formatter's idempotence tests.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";

const root = fileURLToPath(new URL("../..", import.meta.url));

function cmFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) cmFiles(p, out);
    else if (p.endsWith(".cm")) out.push(p);
  }
  return out;
}

/** Every `.cm` file under test/, examples/ and stdlib/, by path relative to the repository. */
export const corpus = [...cmFiles(path.join(root, "test")), ...cmFiles(path.join(root, "examples")), ...cmFiles(path.join(root, "stdlib"))]
  .sort()
  .map((f) => ({ name: path.relative(root, f), text: readFileSync(f, "utf8") }));

/** Pieces of `.cm` syntax that mutations insert. */
export const pieces = [
  "{", "}", "(", ")", "[", "]", '"', '"""', "${", "}", "\\", "\n", ";", ",", ":", ".", "?.", "??", "|", "<", ">", "=", "->",
  "-", "!", "?", "step", "if", "else", "return", "x", "1", "2.5", "3m", "5x", "///", " ", '"a${b}"', "agent", "max",
  "\r\n", "\t", "é", "\u00a0", "/*", "*/", "//", "&&", "&", "\\n", "\\q", "${}", '"""\n  a\n  """',
];

/** A file of the corpus before and after an edit: `piece` inserted, or some of its text deleted or duplicated. */
export function edit(insertable: readonly string[]): fc.Arbitrary<{ before: string; after: string }> {
  const sources = corpus.filter((c) => c.text.length < 20_000);
  return fc
    .tuple(
      fc.integer({ min: 0, max: sources.length - 1 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom(...insertable),
      fc.integer({ min: 1, max: 30 }),
    )
    .map(([which, where, op, piece, width]) => {
      const before = sources[which]!.text;
      const at = Math.floor(where * before.length);
      if (op === 0) return { before, after: before.slice(0, at) + piece + before.slice(at) };
      const after = op === 1 ? before.slice(0, at) + before.slice(at + width) : before.slice(0, at) + before.slice(at, at + width) + before.slice(at);
      return { before, after };
    });
}

/** A file of the corpus with `piece` inserted, or some of its text deleted or duplicated. */
export function mutation(insertable: readonly string[]): fc.Arbitrary<string> {
  return edit(insertable).map(({ after }) => after);
}

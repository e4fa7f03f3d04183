/**
 * The language server's requests from fixtures: `fixtures/<request>/<case>.cm` (or a folder
 * `<case>/` of files, one of them with the cursor) with the cursor marked `‸`, and `<case>.json`
 * beside it: `{ "params"?: extra request params, "result": the expected answer }`, normalised
 * (locations as `file:line:col-line:col`, 1-based). Each case runs `cmc lsp` as a real process
 * over stdio in a temporary folder holding the case's files. Adding a case is adding a file;
 * `LSP_FIXTURES_UPDATE=1` writes the answers the server gives (read them before committing).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { LspClient, withoutCursor, type Range } from "./client.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const update = process.env.LSP_FIXTURES_UPDATE === "1";

const METHODS: Record<string, string> = {
  hover: "textDocument/hover",
  definition: "textDocument/definition",
  references: "textDocument/references",
  rename: "textDocument/rename",
  completion: "textDocument/completion",
  "signature-help": "textDocument/signatureHelp",
  symbols: "textDocument/documentSymbol",
  "semantic-tokens": "textDocument/semanticTokens/full",
  "code-action": "textDocument/codeAction",
  graph: "cmc/graph",
  formatting: "textDocument/formatting",
  diagnostics: "",
};

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function rangeText(r: Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

interface Case {
  readonly name: string;
  readonly request: string;
  readonly root: string;
  /** The file with the cursor (or the only `.cm` file), relative to root. */
  readonly file: string;
  readonly texts: Map<string, string>;
  readonly position?: { line: number; character: number };
  readonly expectedPath: string;
}

/** Copies a case into a temporary folder, cursor markers stripped. */
function loadCase(request: string, entry: string): Case {
  const source = path.join(fixtures, request, entry);
  const root = mkdtempSync(path.join(tmpdir(), "cmc-lsp-"));
  temps.push(root);
  const texts = new Map<string, string>();
  let file: string | undefined;
  let position: { line: number; character: number } | undefined;
  if (statSync(source).isDirectory()) cpSync(source, root, { recursive: true });
  else cpSync(source, path.join(root, entry));
  for (const rel of readdirSync(root, { recursive: true, encoding: "utf8" })) {
    if (!rel.endsWith(".cm") && !rel.endsWith(".txt")) continue;
    const full = path.join(root, rel);
    const stripped = withoutCursor(readFileSync(full, "utf8"));
    writeFileSync(full, stripped.text);
    texts.set(rel, stripped.text);
    if (stripped.position || (!file && !statSync(source).isDirectory())) {
      file = rel;
      position = stripped.position ?? position;
    }
  }
  const name = entry.replace(/\.(cm|txt)$/, "");
  return { name, request, root, file: file ?? [...texts.keys()][0]!, texts, ...(position ? { position } : {}), expectedPath: path.join(fixtures, request, `${name}.json`) };
}

/** The answer with URIs made relative to the case folder and ranges written `line:col-line:col`. */
function normalise(request: string, answer: unknown, c: Case, client: LspClient): unknown {
  const rel = (uri: string) => {
    const file = fileURLToPath(uri);
    const std = path.relative(path.join(repoRoot, "stdlib"), file);
    return std.startsWith("..") ? path.relative(c.root, file) : `<stdlib>/${std}`;
  };
  const loc = (l: { uri: string; range: Range }) => `${rel(l.uri)}:${rangeText(l.range)}`;
  if (answer === null || answer === undefined) return null;
  switch (request) {
    case "hover":
      return (answer as { contents: { value: string } }).contents.value;
    case "definition":
      return loc(answer as { uri: string; range: Range });
    case "references":
      return (answer as { uri: string; range: Range }[]).map(loc).sort();
    case "formatting":
      return (answer as { range: Range; newText: string }[]).map((e) => `${rangeText(e.range)}\n${e.newText}`);
    case "rename": {
      const changes = (answer as { changes: Record<string, { range: Range; newText: string }[]> }).changes;
      return Object.fromEntries(
        Object.entries(changes)
          .map(([uri, edits]) => [rel(uri), edits.map((e) => `${rangeText(e.range)} ${e.newText}`).sort()] as const)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    }
    case "completion":
      return (answer as { label: string }[]).map((i) => i.label);
    case "signature-help": {
      const s = answer as { signatures: { label: string; documentation?: { value: string } }[]; activeParameter?: number };
      const sig = s.signatures[0]!;
      return { label: sig.label, activeParameter: s.activeParameter ?? null, doc: sig.documentation?.value ?? null };
    }
    case "symbols": {
      const walk = (items: { name: string; kind: number; selectionRange: Range; children?: unknown[] }[]): unknown[] =>
        items.map((i) => (i.children && i.children.length > 0 ? { [`${i.name} ${rangeText(i.selectionRange)}`]: walk(i.children as never) } : `${i.name} ${rangeText(i.selectionRange)}`));
      return walk(answer as never);
    }
    case "semantic-tokens": {
      const data = (answer as { data: number[] }).data;
      const text = c.texts.get(c.file)!.split("\n");
      const out: string[] = [];
      let line = 0;
      let char = 0;
      for (let i = 0; i < data.length; i += 5) {
        const [dl, dc, len, type, mods] = data.slice(i, i + 5) as [number, number, number, number, number];
        line += dl;
        char = dl === 0 ? char + dc : dc;
        out.push(`${line + 1}:${char + 1} ${text[line]!.slice(char, char + len)} ${TOKEN_TYPES[type]}${mods ? ` ${mods}` : ""}`);
      }
      return out;
    }
    case "code-action":
      return (answer as { title: string; edit: { changes: Record<string, { range: Range; newText: string }[]> } }[]).map((a) => ({
        title: a.title,
        edits: Object.values(a.edit.changes).flat().map((e) => `${rangeText(e.range)} ${e.newText}`),
      }));
    case "graph":
      return (answer as { mermaid: string }).mermaid.split("\n");
    default:
      void client;
      return answer;
  }
}

const TOKEN_TYPES = ["function", "type", "parameter", "variable", "property", "namespace"];

async function answer(c: Case, params: Record<string, unknown>): Promise<unknown> {
  const client = await LspClient.start(c.root);
  try {
    for (const [file, text] of c.texts) if (file.endsWith(".cm") || file === c.file) await client.open(file, text);
    const diagnostics = c.file.endsWith(".cm") ? await client.diagnostics(c.file) : { diagnostics: [] };
    if (c.request === "diagnostics") {
      return diagnostics.diagnostics.map((d) => `${d.code} ${rangeText(d.range)} ${d.message.replace(/\n/g, " | ")}`);
    }
    const textDocument = { uri: client.uri(c.file) };
    const extra: Record<string, unknown> =
      c.request === "references"
        ? { context: { includeDeclaration: true } }
        : c.request === "code-action"
          ? { range: { start: { line: 0, character: 0 }, end: { line: 9999, character: 0 } }, context: { diagnostics: diagnostics.diagnostics } }
          : {};
    try {
      const result = await client.request(METHODS[c.request]!, { textDocument, ...(c.position ? { position: c.position } : {}), ...extra, ...params });
      return normalise(c.request, result, c, client);
    } catch (error) {
      return { error: (error as Error).message.replaceAll(pathToFileURL(c.root).href, "<root>") };
    }
  } finally {
    await client.stop();
  }
}

function cases(request: string): string[] {
  const dir = path.join(fixtures, request);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.filter((e) => e.endsWith(".cm") || e.endsWith(".txt") || statSync(path.join(dir, e)).isDirectory()).sort();
}

for (const request of Object.keys(METHODS)) {
  const entries = cases(request);
  if (entries.length === 0) continue;
  describe(`cmc lsp answers ${request}`, () => {
    for (const entry of entries) {
      const title = entry.replace(/\.(cm|txt)$/, "").replace(/_/g, " ");
      it(title, async () => {
        const c = loadCase(request, entry);
        let expected: { params?: Record<string, unknown>; result?: unknown } = {};
        try {
          expected = JSON.parse(readFileSync(c.expectedPath, "utf8"));
        } catch {
          if (!update) throw new Error(`no ${path.relative(fixtures, c.expectedPath)} beside the case`);
        }
        const actual = await answer(c, expected.params ?? {});
        if (update) {
          writeFileSync(c.expectedPath, `${JSON.stringify({ ...(expected.params ? { params: expected.params } : {}), result: actual }, null, 2)}\n`);
          return;
        }
        const want = expected.result as { includes?: string[]; excludes?: string[] } | undefined;
        if (request === "completion" && want && !Array.isArray(want) && (want.includes || want.excludes)) {
          const labels = actual as string[];
          expect(labels).toEqual(expect.arrayContaining(want.includes ?? []));
          for (const label of want.excludes ?? []) expect(labels).not.toContain(label);
        } else expect(actual).toEqual(expected.result);
      });
    }
  });
}

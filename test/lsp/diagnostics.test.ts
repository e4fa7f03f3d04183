/**
 * The language server's diagnostics are `cmc check`'s: for every example and every checker
 * fixture, the same codes, messages, positions and help as `cmc check --format json`; and they
 * follow edits, in the edited file and in the open files that import it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";
import { LspClient, type Range } from "./client.js";

interface JsonDiagnostic {
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  help: string | null;
}

const files = [
  ...readdirSync(path.join(repoRoot, "examples")).filter((f) => f.endsWith(".cm")).map((f) => `examples/${f}`),
  ...readdirSync(path.join(repoRoot, "test/fixtures/check")).filter((f) => f.endsWith(".cm")).map((f) => `test/fixtures/check/${f}`),
];

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe("cmc lsp diagnostics", () => {
  it("are the same as cmc check's for every example and checker fixture", { timeout: 120_000 }, async () => {
    const checked = await runCli(["check", "--format", "json", ...files]);
    const expected = JSON.parse(checked.stdout) as JsonDiagnostic[];
    const client = await LspClient.start(repoRoot);
    try {
      const mismatches: string[] = [];
      for (const file of files) {
        await client.open(file, readFileSync(path.join(repoRoot, file), "utf8"));
        await client.diagnostics(file);
      }
      // A file opened later can add to one opened before it (an import cycle is reported in both).
      await client.settled();
      for (const file of files) {
        const published = client.latest(file)!;
        const got = published.diagnostics.map((d) => ({
          code: d.code,
          message: d.message.split("\n")[0],
          at: `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`,
          help: /\nhelp: ([^]*)$/.exec(d.message)?.[1] ?? null,
        }));
        const want = expected
          .filter((d) => d.file === file)
          .map((d) => ({ code: d.code, message: d.message, at: `${d.line}:${d.column}-${d.endLine}:${d.endColumn}`, help: d.help }));
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${file}\n  lsp:   ${JSON.stringify(got)}\n  check: ${JSON.stringify(want)}`);
      }
      expect(mismatches).toEqual([]);
      expect(expected.length).toBeGreaterThan(50);
    } finally {
      await client.stop();
    }
  });

  it("follow an edit in the file and in an open file that imports it", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "cmc-lsp-"));
    temps.push(root);
    const lib = 'export workflow deploy(env: string) {\n  step push = sh("deploy ${env}")\n}\n';
    const main = 'import { deploy } from "./lib.cm"\n\nworkflow main() {\n  step d = deploy("prod")\n}\n';
    writeFileSync(path.join(root, "lib.cm"), lib);
    writeFileSync(path.join(root, "main.cm"), main);
    const client = await LspClient.start(root);
    try {
      await client.open("lib.cm", lib);
      await client.open("main.cm", main);
      expect((await client.diagnostics("lib.cm", 1)).diagnostics).toEqual([]);
      expect((await client.diagnostics("main.cm", 1)).diagnostics).toEqual([]);

      // One character: `env: string` becomes `env: string2`, a type that does not exist.
      await client.edit("lib.cm", { start: { line: 0, character: 34 }, end: { line: 0, character: 34 } }, "2");
      const inLib = await client.diagnostics("lib.cm", 2);
      expect(inLib.diagnostics.map((d) => d.code)).toEqual(["E0208"]);
      // main.cm's diagnostics did not change (a parameter of unknown type takes anything): not sent again.
      await client.settled();
      expect(client.publishedCount("main.cm")).toBe(1);

      await client.change("lib.cm", lib.replace("env: string", "env: int"));
      const mainAfter = await client.diagnostics("main.cm", 2);
      expect(mainAfter.diagnostics.map((d) => `${d.code} ${d.message.split("\n")[0]}`)).toEqual([
        "E0304 expected `int`, found `string`",
      ]);
    } finally {
      await client.stop();
    }
  });

  it("stay right while typing, and so do hover and definition (declarations reused and moved)", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "cmc-lsp-"));
    temps.push(root);
    const workflow = (i: number) => `workflow w${i}(n: int) -> string {\n  step s = sh("echo \${n}")\n  return s.stdout\n}\n`;
    let text = Array.from({ length: 12 }, (_, i) => workflow(i)).join("\n");
    writeFileSync(path.join(root, "a.cm"), text);
    const client = await LspClient.start(root);
    const positionOf = (offset: number) => {
      const before = text.slice(0, offset);
      return { line: before.split("\n").length - 1, character: offset - before.lastIndexOf("\n") - 1 };
    };
    try {
      await client.open("a.cm", text);
      expect((await client.diagnostics("a.cm", 1)).diagnostics).toEqual([]);
      // Type a line with an error into w2, one character at a time, then take it out again.
      const typed = '  step t = sh("${s.stdot}")\n';
      let at = text.indexOf("  return s.stdout", text.indexOf("workflow w2"));
      let count = 1;
      for (const ch of typed) {
        await client.edit("a.cm", { start: positionOf(at), end: positionOf(at) }, ch);
        text = text.slice(0, at) + ch + text.slice(at);
        at++;
      }
      await client.settled();
      const afterTyping = client.latest("a.cm")!;
      count = client.publishedCount("a.cm");
      expect(afterTyping.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`)).toEqual(["E0306 12:19"]);
      // A rename tried (not applied) must not move anything either: hover and definition after it.
      const w9 = text.indexOf("w9(");
      await client.request("textDocument/rename", { textDocument: { uri: client.uri("a.cm") }, position: positionOf(text.indexOf("step s", w9) + 5), newName: "longerName" });
      const w11 = text.indexOf("workflow w11");
      const use = text.indexOf("s.stdout", w11);
      const hover = await client.request<{ contents: { value: string } } | null>("textDocument/hover", { textDocument: { uri: client.uri("a.cm") }, position: positionOf(use) });
      expect(hover?.contents.value).toContain("step s: Shell");
      const def = await client.request<{ range: Range }[] | { range: Range }>("textDocument/definition", { textDocument: { uri: client.uri("a.cm") }, position: positionOf(use) });
      const target = Array.isArray(def) ? def[0]! : def;
      expect(target.range.start).toEqual(positionOf(text.indexOf("s = sh", w11)));
      // Deleting the typed line again clears the error.
      const start = text.indexOf(typed);
      await client.edit("a.cm", { start: positionOf(start), end: positionOf(start + typed.length) }, "");
      text = text.slice(0, start) + text.slice(start + typed.length);
      expect((await client.diagnostics("a.cm", count + 1)).diagnostics).toEqual([]);
    } finally {
      await client.stop();
    }
  });

  it("are not published for a file that is not a .cm file, and the server keeps answering", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "cmc-lsp-"));
    temps.push(root);
    const client = await LspClient.start(root);
    try {
      await client.open("notes.txt", "workflow {");
      await client.open("a.cm", "workflow main() {\n}\n");
      expect((await client.diagnostics("a.cm")).diagnostics).toEqual([]);
      expect(client.publishedCount("notes.txt")).toBe(0);
      await expect(client.request("textDocument/hover", { textDocument: { uri: client.uri("notes.txt") }, position: { line: 0, character: 1 } })).rejects.toThrow(
        "not a .cm file",
      );
      const past = await client.request("textDocument/hover", { textDocument: { uri: client.uri("a.cm") }, position: { line: 99, character: 5 } });
      expect(past).toBeNull();
    } finally {
      expect(await client.stop()).toBe(0);
    }
  });
});

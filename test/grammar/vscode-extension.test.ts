/**
 * The VS Code extension: `npm run package:vscode` builds a .vsix (a zip) holding the manifest, the
 * grammar copied from grammar/, the language configuration and the bundled client; and the client
 * picks the command that starts `cmc lsp`.
 */
import { execa } from "execa";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { serverCommand } from "../../editors/vscode/src/server-command.mjs";
import { repoRoot } from "../helpers/cli.js";

/** The files of a zip archive by name, read from its central directory. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + size);
    files.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

describe("npm run package:vscode", () => {
  it("builds a .vsix with the manifest, the grammar, the language configuration and the client", { timeout: 120_000 }, async () => {
    const result = await execa("npm", ["run", "--silent", "package:vscode"], { cwd: repoRoot, reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    const files = unzip(readFileSync(path.join(repoRoot, "editors", "vscode", "cmc-vscode.vsix")));
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        "extension.vsixmanifest",
        "extension/package.json",
        "extension/language-configuration.json",
        "extension/syntaxes/cm.tmLanguage.json",
        "extension/dist/extension.js",
      ]),
    );
    const manifest = JSON.parse(files.get("extension/package.json")!.toString("utf8"));
    expect(manifest.contributes.languages[0]).toMatchObject({ id: "cm", extensions: [".cm"], configuration: "./language-configuration.json" });
    expect(manifest.contributes.grammars[0]).toMatchObject({ language: "cm", scopeName: "source.cm", path: "./syntaxes/cm.tmLanguage.json" });
    expect(manifest.contributes.configuration.properties["cmc.path"]).toMatchObject({ type: "string" });
    expect(files.get("extension/syntaxes/cm.tmLanguage.json")!.toString("utf8")).toBe(
      readFileSync(path.join(repoRoot, "grammar", "cm.tmLanguage.json"), "utf8"),
    );
    const configuration = JSON.parse(files.get("extension/language-configuration.json")!.toString("utf8"));
    expect(configuration.comments).toEqual({ lineComment: "//", blockComment: ["/*", "*/"] });
    expect(configuration.autoClosingPairs).toContainEqual(expect.objectContaining({ open: '"', close: '"' }));
    const client = files.get("extension/dist/extension.js")!.toString("utf8");
    expect(client).toContain('require("vscode")');
    expect(client).not.toMatch(/require\("vscode-languageclient/);
  });
});

describe("the language configuration", () => {
  const configuration = JSON.parse(readFileSync(path.join(repoRoot, "editors", "vscode", "language-configuration.json"), "utf8"));
  const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);

  it("indents after a line that opens a block, a call, a list or a record, and not after a closed one", () => {
    for (const line of ["workflow main() -> string {", "  } else {", "  step a = sh(", "  let xs = [", "  return {"]) {
      expect(line).toMatch(increase);
    }
    for (const line of ['  step a = sh("x")', '  let s = "${a} { b"', "  let r = { a: 1 }", "  }"]) expect(line).not.toMatch(increase);
  });

  it("outdents a line that starts by closing a bracket", () => {
    for (const line of ["  }", "  ) -> string {", "]", "  } until done"]) expect(line).toMatch(decrease);
    expect('  step a = sh("}")').not.toMatch(decrease);
  });
});

describe("the command that starts the language server", () => {
  it("is the cmc.path setting when it is set", () => {
    expect(serverCommand(" /opt/cmc/bin/cmc ", { PATH: "" }, "linux")).toEqual({ command: "/opt/cmc/bin/cmc", args: ["lsp"] });
  });

  it("is cmc when cmc is on the PATH, else npx cmc", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cmc-path-"));
    try {
      expect(serverCommand("", { PATH: dir }, "linux")).toEqual({ command: "npx", args: ["--no-install", "cmc", "lsp"] });
      writeFileSync(path.join(dir, "cmc"), "#!/bin/sh\n");
      chmodSync(path.join(dir, "cmc"), 0o755);
      expect(serverCommand(undefined, { PATH: `/nowhere:${dir}` }, "linux")).toEqual({ command: "cmc", args: ["lsp"] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

#!/usr/bin/env node
/**
 * Packages the VS Code extension (editors/vscode/) into editors/vscode/cmc-vscode.vsix, offline:
 * copies the grammar from grammar/ (it is not duplicated in git), bundles the client with its
 * dependency vscode-languageclient into one CommonJS file with esbuild, and runs @vscode/vsce.
 *
 *   npm run package:vscode
 */
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const extension = path.join(root, "editors", "vscode");
export const vsix = path.join(extension, "cmc-vscode.vsix");

rmSync(path.join(extension, "dist"), { recursive: true, force: true });
rmSync(path.join(extension, "syntaxes"), { recursive: true, force: true });
rmSync(vsix, { force: true });

mkdirSync(path.join(extension, "syntaxes"));
copyFileSync(path.join(root, "grammar", "cm.tmLanguage.json"), path.join(extension, "syntaxes", "cm.tmLanguage.json"));

await build({
  absWorkingDir: root,
  entryPoints: [path.join(extension, "src", "extension.mjs")],
  outfile: path.join(extension, "dist", "extension.js"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node18",
  external: ["vscode"],
  minify: true,
  logLevel: "warning",
});

const vsce = path.join(path.dirname(createRequire(import.meta.url).resolve("@vscode/vsce/package.json")), "vsce");
execFileSync(
  process.execPath,
  [vsce, "package", "--no-dependencies", "--skip-license", "--allow-missing-repository", "--out", vsix],
  { cwd: extension, stdio: ["ignore", "inherit", "inherit"] },
);

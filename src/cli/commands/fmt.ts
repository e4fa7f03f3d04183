/**
 * `cmc fmt [--check] [files…]`: lays out `.cm` files in the one canonical format
 * (`src/compiler/format/`), in place; with `--check`, writes nothing and lists the files that
 * would change. No files: every `.cm` file under the working folder.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../../compiler/diagnostics.js";
import { formatSource } from "../../compiler/format/index.js";
import { EXIT } from "../exit.js";
import { reportToStderr } from "../render-diagnostics.js";
import { expandPaths } from "./check.js";

/** Runs `cmc fmt`; resolves to the exit code: 1 when a file does not parse or (with `--check`) would change. */
export async function fmt(paths: string[], opts: { check: boolean }): Promise<number> {
  const cwd = process.cwd();
  const files = [...new Set(expandPaths(paths.length > 0 ? paths : ["."], cwd))];
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const unformatted: string[] = [];
  let failed = false;
  for (const file of files) {
    const name = path.relative(cwd, file).split(path.sep).join("/") || file;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      process.stderr.write(`error: cannot read ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      failed = true;
      continue;
    }
    const result = formatSource(text, name);
    if (!result.ok) {
      sources.set(name, text);
      diagnostics.push(...result.diagnostics);
      continue;
    }
    if (result.text === text) continue;
    unformatted.push(name);
    if (!opts.check) writeFileSync(file, result.text);
  }
  reportToStderr(diagnostics, sources);
  if (opts.check && unformatted.length > 0) process.stdout.write(unformatted.map((f) => `${f}\n`).join(""));
  return failed || diagnostics.length > 0 || (opts.check && unformatted.length > 0) ? EXIT.failed : EXIT.ok;
}

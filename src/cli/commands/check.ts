/**
 * `cmc check [paths…] [--format pretty|json] [--strict]`: parses and type-checks every given file
 * and every `.cm` file in the given folders, each as an entry module, and reports their diagnostics
 * once each.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../../compiler/diagnostics.js";
import { check as checkModule } from "../../compiler/index.js";
import { EXIT, UsageError } from "../exit.js";
import { compilerHost } from "../project-host.js";
import { diagnosticsToJson, ordered, reportToStderr, type Sources } from "../render-diagnostics.js";

/**
 * Sources of at least this many bytes (the files given, imports not counted) are checked with
 * V8's interrupt budget raised: see {@link raiseInterruptBudget}. Measured even between ≈ 7 KB
 * (200 lines: 0.95–0.99× the time without it) and ≈ 17 KB (500 lines: 1.01–1.15×).
 */
const LARGE_SOURCES = 10_000;

/**
 * V8 optimises a function once it has used up an "interrupt budget" of executed bytecode. With the
 * default (67,584) the compiler's functions are optimised before their type feedback has settled,
 * and then deoptimised and optimised again: `cmc check` of a 20,000-line program spent ~30 % more
 * CPU time than with 300,000. On a one-screen file the raised budget costs instead (≈ 8 % of its
 * whole process: functions stay longer in the interpreter), so it is raised for large sources
 * only, before the compiler's functions first run (docs/performance.md).
 */
async function raiseInterruptBudget(): Promise<void> {
  const { setFlagsFromString } = await import("node:v8");
  setFlagsFromString("--interrupt-budget=300000");
}

/** Folders never searched for `.cm` files. */
const SKIPPED_FOLDERS = new Set(["node_modules", ".git", ".cmc"]);

/** Every `.cm` file under `dir`, sorted, skipping node_modules, .git and .cmc. */
export function findCmFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(full);
      } else if (entry.isFile() && entry.name.endsWith(".cm")) {
        found.push(full);
      }
    }
  };
  walk(dir);
  return found;
}

/** The files that `paths` (files or folders) name; a usage error for a missing path or an empty folder. */
export function expandPaths(paths: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    if (stat.isDirectory()) {
      const inside = findCmFiles(abs);
      if (inside.length === 0) throw new UsageError(`no .cm files in ${p}`);
      files.push(...inside);
    } else {
      files.push(abs);
    }
  }
  return files;
}

/** A diagnostic's identity, so that one reported through two entries is printed once. */
function identity(d: Diagnostic): string {
  return `${d.file}\0${d.span.start}\0${d.span.end}\0${d.code}\0${d.message}`;
}

/** An error of cmc itself while checking `file`, reported as a diagnostic rather than a stack trace. */
function internalError(file: string, error: unknown): Diagnostic {
  return {
    code: "E0000",
    severity: "error",
    message: `internal error while checking this file: ${error instanceof Error ? error.message : String(error)}`,
    file,
    span: { start: 0, end: 0 },
    help: "this is a bug in cmc; please report it with the file",
  };
}

/** Copies every source of `from` into `into`. */
function addSources(into: Map<string, string>, from: Sources): void {
  const entries = from instanceof Map ? from.entries() : Object.entries(from as Record<string, string>);
  for (const [key, text] of entries) into.set(key, text);
}

/** Runs `cmc check`; resolves to the exit code. */
export async function check(paths: string[], opts: { format: "pretty" | "json"; strict: boolean }): Promise<number> {
  try {
    return await checkPaths(paths, opts);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    process.stderr.write(`error: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}

async function checkPaths(paths: readonly string[], opts: { format: "pretty" | "json"; strict: boolean }): Promise<number> {
  const cwd = process.cwd();
  const files = expandPaths(paths.length > 0 ? paths : ["."], cwd);
  if (files.reduce((bytes, file) => bytes + statSync(file).size, 0) >= LARGE_SOURCES) await raiseInterruptBudget();
  const host = await compilerHost(cwd);
  const entries = [...new Set(files.map((f) => host.keyOf(f)))];

  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const entry of entries) {
    let found: readonly Diagnostic[];
    try {
      const result = checkModule(entry, host);
      addSources(sources, result.sources);
      found = result.diagnostics;
    } catch (error) {
      found = [internalError(entry, error)];
    }
    for (const d of found) {
      const id = identity(d);
      if (seen.has(id)) continue;
      seen.add(id);
      diagnostics.push(d);
    }
  }

  if (opts.format === "json") {
    process.stdout.write(`${JSON.stringify(diagnosticsToJson(ordered(diagnostics), sources), null, 2)}\n`);
  } else {
    reportToStderr(diagnostics, sources);
  }

  const errors = diagnostics.some((d) => d.severity === "error");
  const warnings = diagnostics.some((d) => d.severity === "warning");
  return errors || (opts.strict && warnings) ? EXIT.failed : EXIT.ok;
}


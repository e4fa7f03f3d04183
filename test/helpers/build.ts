/**
 * Vitest global setup: builds `dist/` (tsc, then the esbuild bundle `bin/cmc.js` runs) once before
 * the suite, so that tests which run the real CLI run the code under test. Skipped when nothing
 * under `src/` changed since the last build made here.
 */
import { execa } from "execa";
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cache = path.join(root, "node_modules", ".cache", "cmc");
const stamp = path.join(cache, "build-stamp");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function stampMtime(): number {
  try {
    statSync(path.join(root, "dist", "cli", "main.js"));
    statSync(path.join(root, "dist", "bundle", "main.js"));
    return statSync(stamp).mtimeMs;
  } catch {
    return -1;
  }
}

/** Runs `tsc -p tsconfig.json` and `scripts/bundle.js` unless `dist/` is already newer than every source file. */
export default async function setup(): Promise<void> {
  const sources = Math.max(newestMtime(path.join(root, "src")), statSync(path.join(root, "tsconfig.json")).mtimeMs);
  if (stampMtime() >= sources) return;
  const started = Date.now();
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  mkdirSync(cache, { recursive: true });
  const result = await execa(
    process.execPath,
    [tsc, "-p", "tsconfig.json", "--incremental", "--tsBuildInfoFile", path.join(cache, "tsbuildinfo")],
    { cwd: root, reject: false, all: true },
  );
  // tsc still emits when some file has type errors; those are for `npm run typecheck` to report.
  if (result.exitCode !== 0) {
    process.stderr.write(`[build] tsc reported errors (dist/ was still emitted):\n${result.all}\n`);
  }
  statSync(path.join(root, "dist", "cli", "main.js"));
  const bundled = await execa(process.execPath, [path.join(root, "scripts", "bundle.js")], { cwd: root, reject: false, all: true });
  if (bundled.exitCode !== 0) throw new Error(`[build] scripts/bundle.js failed:\n${bundled.all}`);
  writeFileSync(stamp, "");
  const now = new Date(started);
  utimesSync(stamp, now, now);
}

/**
 * Installs the real agent CLIs at the versions of `src/runtime/agents/verified.ts` into a cache
 * that survives between runs, `node_modules/.cache/cmc-conformance/<package>@<version>/`, and
 * finds each one's executable. Idempotent (a finished install has a marker file) and safe when two
 * test runs start at once (a lock folder; each install is built beside the cache and renamed in).
 */
import { execa } from "execa";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { VERIFIED } from "../../../src/runtime/agents/verified.js";

export type RealCli = "claude" | "codex" | "gemini" | "opencode";

/** The CLIs on npm, so the ones the conformance suite runs (Cursor's CLI is not on npm). */
export const REAL_CLIS: readonly RealCli[] = ["claude", "codex", "gemini", "opencode"];

const root = fileURLToPath(new URL("../../..", import.meta.url));
export const CACHE = path.join(root, "node_modules", ".cache", "cmc-conformance");
const MARKER = ".cmc-installed";
const STALE_LOCK_MS = 10 * 60_000;

/** The npm package and version a CLI is installed at. */
export function pinned(cli: RealCli): { pkg: string; version: string } {
  const verified = VERIFIED[cli];
  const version = verified.versions[0];
  if (!verified.npm || !version) throw new Error(`${cli}: verified.ts names no npm package and version`);
  return { pkg: verified.npm, version };
}

/** `node_modules/.cache/cmc-conformance/@openai+codex@0.171.0` */
export function installDir(cli: RealCli): string {
  const { pkg, version } = pinned(cli);
  return path.join(CACHE, `${pkg.replace("/", "+")}@${version}`);
}

/** The installed CLI's executable (npm's `.bin` link), for `CMC_<CLI>_BIN`. */
export function cliBin(cli: RealCli): string {
  const dir = installDir(cli);
  if (!existsSync(path.join(dir, MARKER))) throw new Error(`${cli} is not installed in ${dir}: run the conformance global setup`);
  const { pkg } = pinned(cli);
  const manifest = JSON.parse(readFileSync(path.join(dir, "node_modules", pkg, "package.json"), "utf8")) as {
    bin?: string | Record<string, string>;
  };
  const bin = manifest.bin;
  const name = typeof bin === "string" || bin === undefined ? pkg.split("/").pop()! : cli in bin ? cli : Object.keys(bin)[0]!;
  return path.join(dir, "node_modules", ".bin", name);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes `<dir>.lock` (a folder: `mkdir` is atomic), breaking one whose owner died or that is too old. */
async function lock(dir: string): Promise<() => void> {
  const lockDir = `${dir}.lock`;
  const owner = path.join(lockDir, "pid");
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(owner, `${process.pid} ${Date.now()}`);
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let stale = false;
    try {
      const [pid, since] = readFileSync(owner, "utf8").split(" ").map(Number);
      stale = !processAlive(pid!) || Date.now() - since! > STALE_LOCK_MS;
    } catch {
      // The owner has not written its pid yet, or has just released the lock.
    }
    if (stale) rmSync(lockDir, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, 500));
  }
}

/** Installs one CLI unless its cache folder is complete. */
export async function ensureInstalled(cli: RealCli): Promise<void> {
  const dir = installDir(cli);
  if (existsSync(path.join(dir, MARKER))) return;
  mkdirSync(CACHE, { recursive: true });
  const release = await lock(dir);
  try {
    if (existsSync(path.join(dir, MARKER))) return;
    const { pkg, version } = pinned(cli);
    const building = `${dir}.tmp-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    const started = Date.now();
    const npm = await execa("npm", ["install", "--prefix", building, "--no-save", "--no-audit", "--no-fund", "--loglevel=error", `${pkg}@${version}`], {
      reject: false,
      all: true,
      env: { npm_config_update_notifier: "false" },
    });
    if (npm.exitCode !== 0) {
      rmSync(building, { recursive: true, force: true });
      throw new Error(`npm install ${pkg}@${version} failed (exit ${npm.exitCode}):\n${npm.all}`);
    }
    writeFileSync(path.join(building, MARKER), `${pkg}@${version}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir);
    process.stderr.write(`[conformance] installed ${pkg}@${version} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  } finally {
    release();
  }
}

/** Installs every real CLI (in parallel). */
export async function ensureAllInstalled(clis: readonly RealCli[] = REAL_CLIS): Promise<void> {
  const results = await Promise.allSettled(clis.map(ensureInstalled));
  const failed = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
  if (failed.length > 0) throw new Error(failed.join("\n"));
}

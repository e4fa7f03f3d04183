/**
 * Shared helpers of the benchmarks: paths, timing a command (wall time and peak memory through
 * GNU time), medians, scratch folders and formatting.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const root = fileURLToPath(new URL("../..", import.meta.url));
/** The bench folder. */
export const benchDir = path.join(root, "bench");
/** `bin/cmc.js` of this checkout. */
export const cmcBin = path.join(root, "bin", "cmc.js");
/** Scratch workspaces live here (git-ignored). */
export const workDir = path.join(benchDir, ".work");

/** A fresh, empty scratch folder `bench/.work/<name>`. */
export function scratch(name) {
  const dir = path.join(workDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/**
 * Runs `argv` once and measures it: wall milliseconds (from just before the spawn to the exit) and
 * peak resident memory in MB (through GNU time, when installed). Rejects on an unexpected exit code
 * unless `okCodes` lists it.
 * @returns {Promise<{ ms: number, rssMb: number | undefined, code: number, stdout: string, stderr: string }>}
 */
export function measure(argv, { cwd = root, env = {}, okCodes = [0], stdin } = {}) {
  const rssFile = path.join(workDir, `.rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(workDir, { recursive: true });
  const full = gnuTime ? [gnuTime, "-f", "%M", "-o", rssFile, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), {
      cwd,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    if (stdin !== undefined) child.stdin.end(stdin);
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssMb;
      if (gnuTime && existsSync(rssFile)) {
        const kb = Number(readFileSync(rssFile, "utf8").trim().split("\n").pop());
        rssMb = Number.isFinite(kb) ? kb / 1024 : undefined;
        rmSync(rssFile, { force: true });
      }
      if (!okCodes.includes(code ?? -1)) {
        reject(new Error(`${argv.join(" ")} exited ${code} (expected ${okCodes.join("/")}):\n${stderr.slice(-3000)}\n${stdout.slice(-1000)}`));
        return;
      }
      resolve({ ms, rssMb, code: code ?? -1, stdout, stderr });
    });
  });
}

/**
 * Runs each of `cases` `runs` times, interleaved (case A, case B, … then again) so that machine
 * noise hits every case alike, after one warm-up round. Returns per-case samples and medians.
 * @param {Record<string, () => Promise<{ ms: number, rssMb?: number }>>} cases
 */
export async function interleave(cases, runs, { warmup = 1 } = {}) {
  const names = Object.keys(cases);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < warmup + runs; r++) {
    for (const name of names) {
      const m = await cases[name]();
      if (r >= warmup) samples[name].push(m);
    }
  }
  return Object.fromEntries(
    names.map((n) => {
      const s = samples[n];
      const rss = s.map((x) => x.rssMb).filter((x) => x !== undefined);
      return [n, { ms: median(s.map((x) => x.ms)), rssMb: rss.length ? median(rss) : undefined, samples: s.map((x) => x.ms) }];
    }),
  );
}

/** `1,234 ms` or `12.3 ms`. */
export function fmtMs(ms) {
  return ms >= 100 ? `${Math.round(ms).toLocaleString("en-US")} ms` : `${ms.toFixed(1)} ms`;
}

/** A ratio `a / b` written `1.23×`. */
export function ratio(a, b) {
  return `${(a / b).toFixed(2)}×`;
}

/** A whole number with thousands separators. */
export function fmtInt(n) {
  return Math.round(n).toLocaleString("en-US");
}

/** What machine and checkout produced the numbers. */
export function machine() {
  const git = (args) => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
    } catch {
      return "unknown";
    }
  };
  const c = cpus();
  return {
    commit: git(["rev-parse", "--short", "HEAD"]),
    dirty: git(["status", "--porcelain", "--", "src"]) !== "",
    node: process.version,
    cpu: `${c.length} × ${c[0]?.model ?? "cpu"}`,
    memGb: Math.round(totalmem() / 2 ** 30),
    load: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
  };
}

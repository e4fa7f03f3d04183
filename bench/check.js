#!/usr/bin/env node
/**
 * Times `cmc check` on a generated ~20,000-line program against `cmc check` on a one-line file (the
 * start-up cost), median of 5 runs each, and reports lines per second beyond start-up.
 *
 *   npm run build && node bench/check.js [lines=20000] [runs=5]
 *
 * Prints a Markdown report on stdout; exits 1 when either program does not check cleanly.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateProgram } from "./gen-program.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = path.join(root, "bin", "cmc.js");
const lines = Number(process.argv[2] ?? 20_000);
const runs = Number(process.argv[3] ?? 5);

if (!existsSync(path.join(root, "dist", "cli", "main.js"))) {
  console.error("bench/check.js: dist/ is missing; run `npm run build` first");
  process.exit(2);
}

const dir = mkdtempSync(path.join(tmpdir(), "cmc-bench-"));
mkdirSync(dir, { recursive: true });
const big = path.join(dir, "big.cm");
const tiny = path.join(dir, "tiny.cm");
const program = generateProgram(lines);
const programLines = program.split("\n").length - 1;
writeFileSync(big, program);
writeFileSync(tiny, `workflow main() { step hello = sh("echo hi") }\n`);

/** Milliseconds for one `cmc check file`; fails loudly when the check is not clean. */
function once(file) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, "check", file], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    console.error(`cmc check ${path.basename(file)} exited ${result.status}:\n${result.stderr.slice(0, 4000)}`);
    process.exit(1);
  }
  return ms;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

once(tiny); // warm the file-system cache
once(big);
const tinyTimes = Array.from({ length: runs }, () => once(tiny));
const bigTimes = Array.from({ length: runs }, () => once(big));
const startup = median(tinyTimes);
const total = median(bigTimes);
const beyond = Math.max(total - startup, 0.001);
const rate = programLines / (beyond / 1000);
rmSync(dir, { recursive: true, force: true });

const fmt = (ms) => `${ms.toFixed(0)} ms`;
const commit = (() => {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
})();
console.log(`## cmc check throughput

Command: \`npm run build && node bench/check.js ${lines} ${runs}\` (commit ${commit}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"})

| measure | median of ${runs} |
|---|---|
| start-up: \`cmc check\` of a one-line file | ${fmt(startup)} |
| \`cmc check\` of the generated program (${programLines} lines, ${program.length} chars) | ${fmt(total)} |
| checking time beyond start-up | ${fmt(beyond)} |
| **lines per second beyond start-up** | **${Math.round(rate).toLocaleString("en-US")}** |

Runs (ms): one-line ${tinyTimes.map((t) => t.toFixed(0)).join(", ")}; program ${bigTimes.map((t) => t.toFixed(0)).join(", ")}.
Target: ≥ 200,000 lines/s beyond start-up — ${rate >= 200_000 ? "met" : "NOT met"}.`);

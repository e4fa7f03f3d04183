#!/usr/bin/env node
/**
 * What one sequential shell step costs, piece by piece, in one Node.js process: the parts a
 * durable runner cannot avoid, measured the way the shell-chain benchmark measures the floor.
 * Each case runs `n` sequential steps of `/bin/sh -c true`; cases are interleaved over `rounds`
 * and the medians of the per-step times are printed as a Markdown table.
 *
 *   npm run build && node bench/step-parts.js [n=300] [rounds=5]
 *
 * Cases:
 *   spawn                bare child_process.spawn, stdio ignored (the floor of benchmark 2)
 *   spawn + pipes        detached, stdout and stderr captured through pipes, as a step needs
 *   execa + pipes        the same through execa with cmc's options (src/runtime/actions/process.ts)
 *   commit               one LMDB put, fsynced before it resolves (overlappingSync: false, as the store)
 *   execa + pipes + commit   what every cmc step pays at least
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { open } from "lmdb";
import { median } from "./lib/util.js";

const n = Number(process.argv[2] ?? 300);
const rounds = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(path.join(tmpdir(), "cmc-step-parts-"));
const db = open({ path: path.join(dir, "db"), overlappingSync: false });
let key = 0;

const bare = () =>
  new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", "true"], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", resolve);
  });

const piped = () =>
  new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", "true"], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout.on("data", () => {});
    child.stderr.on("data", () => {});
    child.on("error", reject);
    child.on("close", resolve);
  });

const viaExeca = async () => {
  const child = execa("/bin/sh", ["-c", "true"], {
    cwd: dir, extendEnv: true, detached: true, cleanup: false, reject: false, buffer: false,
    stdin: "ignore", stdout: "pipe", stderr: "pipe",
  });
  child.stdout.on("data", () => {});
  child.stderr.on("data", () => {});
  await child;
};

const commit = () => db.put(`step-${key++}`, { status: "succeeded", code: 0, stdout: "", stderr: "", duration: 1 });

const cases = {
  spawn: bare,
  "spawn + pipes": piped,
  "execa + pipes": viaExeca,
  commit,
  "execa + pipes + commit": async () => {
    await viaExeca();
    await commit();
  },
};

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let round = 0; round <= rounds; round++) {
  for (const [name, step] of Object.entries(cases)) {
    const started = performance.now();
    for (let i = 0; i < n; i++) await step();
    if (round > 0) samples[name].push((performance.now() - started) / n); // round 0 warms up
  }
}
await db.close();
rmSync(dir, { recursive: true, force: true });

const floor = median(samples.spawn);
console.log(`| part (${n} sequential steps, median of ${rounds} rounds) | ms per step | vs bare spawn |`);
console.log("|---|---|---|");
for (const [name, xs] of Object.entries(samples)) {
  const ms = median(xs);
  console.log(`| ${name} | ${ms.toFixed(2)} | ${(ms / floor).toFixed(2)}× |`);
}

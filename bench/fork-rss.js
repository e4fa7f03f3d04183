#!/usr/bin/env node
/**
 * What a `spawn` costs as the spawning process grows: Node.js forks the whole process (libuv's
 * `uv_spawn` on Linux), so the kernel copies its page tables, and a larger resident set forks more
 * slowly. Each size runs in a fresh process that holds that many extra megabytes (touched Buffers)
 * and times `n` sequential `spawn("/bin/sh", ["-c", "true"])`; sizes are interleaved over `rounds`.
 *
 *   node bench/fork-rss.js [n=100] [rounds=3] [sizes=0,50,100,200]
 */
import { spawn, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "./lib/util.js";

const [, , nArg, roundsArg, sizesArg] = process.argv;

if (process.env.CMC_FORK_RSS_CHILD) {
  const extra = [];
  for (let i = 0; i < Number(process.env.CMC_FORK_RSS_CHILD); i++) extra.push(Buffer.alloc(1 << 20, 1));
  const one = () => new Promise((resolve) => spawn("/bin/sh", ["-c", "true"], { stdio: "ignore" }).on("exit", resolve));
  for (let i = 0; i < 10; i++) await one();
  const started = performance.now();
  for (let i = 0; i < Number(nArg); i++) await one();
  process.stdout.write(JSON.stringify({ ms: (performance.now() - started) / Number(nArg), rss: process.memoryUsage().rss / 1e6, kept: extra.length }));
} else {
  const n = Number(nArg ?? 100);
  const rounds = Number(roundsArg ?? 3);
  const sizes = (sizesArg ?? "0,50,100,200").split(",").map(Number);
  const samples = new Map(sizes.map((mb) => [mb, []]));
  const self = fileURLToPath(import.meta.url);
  for (let round = 0; round < rounds; round++) {
    for (const mb of sizes) {
      const out = execFileSync(process.execPath, [self, String(n)], { env: { ...process.env, CMC_FORK_RSS_CHILD: String(mb) } });
      samples.get(mb).push(JSON.parse(out.toString()));
    }
  }
  console.log(`| extra MB held | resident set | ms per spawn (median of ${rounds} × ${n}) | vs the smallest |`);
  console.log("|---|---|---|---|");
  const base = median(samples.get(sizes[0]).map((s) => s.ms));
  for (const mb of sizes) {
    const ms = median(samples.get(mb).map((s) => s.ms));
    const rss = median(samples.get(mb).map((s) => s.rss));
    console.log(`| ${mb} | ${rss.toFixed(0)} MB | ${ms.toFixed(2)} | ${(ms / base).toFixed(2)}× |`);
  }
}

#!/usr/bin/env node
/**
 * The floor for any Node.js runner of a chain of steps: `n` sequential spawns, each awaited before
 * the next, nothing else. By default of `/bin/sh -c true` (the shell chain); with a command after
 * `--`, of that command with `pN` written to its standard input and its output read through a pipe
 * (the agent chain: `-- opencode run --format json`).
 *
 *   node bench/peers/node-floor.js [n=200] [-- PROGRAM ARGS…]
 */
import { spawn } from "node:child_process";

const dash = process.argv.indexOf("--");
const n = Number((dash === -1 ? process.argv[2] : dash > 2 ? process.argv[2] : undefined) ?? 200);
const [file, ...args] = dash === -1 ? ["/bin/sh", "-c", "true"] : process.argv.slice(dash + 1);
const withPrompt = dash !== -1;

for (let i = 1; i <= n; i++) {
  await new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: withPrompt ? ["pipe", "pipe", "inherit"] : "ignore" });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
    if (withPrompt) {
      child.stdout.resume();
      child.stdin.end(`p${i}\n`);
    }
  });
}

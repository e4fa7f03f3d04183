#!/usr/bin/env node
/**
 * The floor for any Node.js runner of a shell chain: `n` sequential spawns of `/bin/sh -c true`,
 * each awaited before the next, nothing else.
 *
 *   node bench/peers/node-floor.js [n=200]
 */
import { spawn } from "node:child_process";

const n = Number(process.argv[2] ?? 200);
for (let i = 0; i < n; i++) {
  await new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", "true"], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

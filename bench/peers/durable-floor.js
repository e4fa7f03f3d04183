#!/usr/bin/env node
/**
 * The floor for any durable runner of a chain of steps: `n` sequential spawns of `/bin/sh -c true`,
 * each followed by one fsynced LMDB commit (a step's result and its successor's start share one
 * transaction, so one commit a step is the least that "never re-run a finished step" needs). The
 * store is opened as cmc's is (`overlappingSync: false`: a commit resolves once on disk).
 * With `--execa`, each spawn goes through execa with cmc's options (its own process group, stdout
 * and stderr through pipes and read): the floor under this project's rules, which has steps run
 * through execa and their output kept.
 *
 *   node bench/peers/durable-floor.js [n=200] DIR [--execa]
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { open } from "lmdb";

const n = Number(process.argv[2] ?? 200);
const dir = process.argv[3];
if (!dir) throw new Error("usage: durable-floor.js N DIR");
rmSync(dir, { recursive: true, force: true });
const db = open({ path: dir, overlappingSync: false });
const { execa } = process.argv[4] === "--execa" ? await import("execa") : {};

/** One `sh -c true`: bare, or through execa as cmc's `runProcess` calls it. */
async function step() {
  if (execa) {
    const child = execa("/bin/sh", ["-c", "true"], { detached: true, cleanup: false, reject: false, buffer: false, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    child.stdout.on("data", () => {});
    child.stderr.on("data", () => {});
    const { exitCode } = await child;
    if (exitCode !== 0) throw new Error(`exit ${exitCode}`);
    return;
  }
  await new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", "true"], { stdio: "ignore" });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

for (let i = 0; i < n; i++) {
  await step();
  await db.put(["run", i], { type: "step-finished", key: `s${i}`, seq: i, at: Date.now(), result: { ok: true, code: 0, stdout: "", stderr: "" } });
}
await db.close();

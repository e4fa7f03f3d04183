#!/usr/bin/env node
/**
 * The floor for any durable runner of a chain of steps: `n` sequential spawns of `/bin/sh -c true`,
 * each followed by one fsynced LMDB commit (a step's result and its successor's start share one
 * transaction, so one commit a step is the least that "never re-run a finished step" needs). The
 * store is opened as cmc's is (`overlappingSync: false`: a commit resolves once on disk).
 *
 *   node bench/peers/durable-floor.js [n=200] DIR
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { open } from "lmdb";

const n = Number(process.argv[2] ?? 200);
const dir = process.argv[3];
if (!dir) throw new Error("usage: durable-floor.js N DIR");
rmSync(dir, { recursive: true, force: true });
const db = open({ path: dir, overlappingSync: false });

for (let i = 0; i < n; i++) {
  await new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", "true"], { stdio: "ignore" });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
  await db.put(["run", i], { type: "step-finished", key: `s${i}`, seq: i, at: Date.now(), result: { ok: true, code: 0, stdout: "", stderr: "" } });
}
await db.close();

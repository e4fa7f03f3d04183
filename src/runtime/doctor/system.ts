/** `cmc doctor`'s checks of the machine: Node.js, the run store (format, size, dead drivers), free disk. */
import { existsSync, readdirSync, statfsSync, statSync } from "node:fs";
import path from "node:path";
import { effectiveStatus, openStore, StoreError } from "../store/index.js";
import type { Check } from "./types.js";

/** The Node.js major version cmc needs (package.json `engines`). */
export const NODE_MAJOR = 20;

/** Below this much free space a run's journal and logs may not fit: a failure; below 10× it a warning. */
const LOW_DISK = 100 * 1024 * 1024;

/** Bytes as people read them: `1.5 MB`. */
export function formatBytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function checkNode(version: string = process.versions.node): Check {
  const major = Number(version.split(".")[0]);
  return major >= NODE_MAJOR
    ? { name: "node", status: "ok", summary: `Node.js ${version}` }
    : { name: "node", status: "fail", summary: `Node.js ${version}; cmc needs ${NODE_MAJOR} or newer`, fix: `install Node.js ${NODE_MAJOR} or newer (https://nodejs.org, or \`nvm install ${NODE_MAJOR}\`)` };
}

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/**
 * The store in `dir`: whether it opens (format version, not corrupt), its size, and every run
 * whose driver died while it ran (its claim is still held): each a warning with the commands that
 * end or continue it. A missing store is fine (the first `cmc run` creates it); it is not created.
 */
export async function checkStore(dir: string, shown: string): Promise<Check[]> {
  if (!existsSync(dir)) return [{ name: "store", status: "ok", summary: `no store yet at ${shown} (the first \`cmc run\` creates it)` }];
  let store;
  try {
    store = openStore(dir);
  } catch (error) {
    const message = error instanceof StoreError ? error.message : (error as Error).message;
    return [{ name: "store", status: "fail", summary: message, fix: message.includes("newer cmc") ? "upgrade cmc (npm install -g cmc)" : `move ${shown} aside (\`mv ${shown} ${shown}.broken\`); a fresh store starts with the next run` }];
  }
  try {
    const runs = store.listRuns();
    const checks: Check[] = [{ name: "store", status: "ok", summary: `${shown}: format ${store.schema}, ${runs.length} run${runs.length === 1 ? "" : "s"}, ${formatBytes(sizeOf(dir))}` }];
    for (const run of runs) {
      if (effectiveStatus(run) !== "interrupted" || !run.owner) continue;
      checks.push({
        name: `run ${run.id}`,
        status: "warn",
        summary: `held by process ${run.owner.pid} on ${run.owner.host}, which is gone (the run was interrupted)`,
        fix: `\`cmc resume ${run.id}\` to continue it, or \`cmc cancel ${run.id}\` to end it`,
      });
    }
    return checks;
  } finally {
    await store.close();
  }
}

/** Free space where the store lives (or would). */
export function checkDisk(dir: string): Check {
  let at = path.resolve(dir);
  while (!existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  const fs = statfsSync(at);
  const free = Number(fs.bavail) * Number(fs.bsize);
  const summary = `${formatBytes(free)} free on the disk of ${at}`;
  if (free < LOW_DISK) return { name: "disk", status: "fail", summary, fix: "free some space: runs journal every step and keep each step's log" };
  if (free < LOW_DISK * 10) return { name: "disk", status: "warn", summary, fix: "free some space soon: long runs keep every step's log" };
  return { name: "disk", status: "ok", summary };
}

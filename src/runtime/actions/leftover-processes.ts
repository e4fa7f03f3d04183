/**
 * Processes that a killed driver left running. Every process a step starts carries `CMC_RUN_ID`
 * and `CMC_STEP` in its environment (`stepProcessEnv`), and steps run in process groups of their
 * own that outlive a driver killed with SIGKILL. Before a resumed run starts its in-flight steps
 * again — and when a run whose driver died is cancelled — those leftovers are stopped, so that a
 * step never runs twice at the same time. Linux only (it reads `/proc`); elsewhere nothing is found.
 */

import { readdirSync, readFileSync } from "node:fs";
import { isRunningState, KILL_GRACE_MS, procStat } from "./process.js";

/** The variables that mark a step's processes as belonging to run `runId`, step instance `key`. */
export function stepProcessEnv(runId: string, key: string): Record<string, string> {
  return { CMC_RUN_ID: runId, CMC_STEP: key };
}

interface Leftover {
  readonly pid: number;
  /** Its process group; a step's group leader has `pgrp === pid`. */
  readonly pgrp: number;
}

/**
 * Stops every running process marked with run `runId`, except this process and its own group:
 * SIGTERM (to the whole group of a step's group leader), then SIGKILL after the grace period.
 * Resolves with how many processes were found, once none of them runs.
 */
export async function stopLeftoverProcesses(runId: string): Promise<number> {
  let found = leftovers(runId);
  const count = found.length;
  if (count === 0) return 0;
  signalAll(found, "SIGTERM");
  const deadline = Date.now() + KILL_GRACE_MS;
  let killed = false;
  while (found.length > 0) {
    if (Date.now() >= deadline) {
      if (killed) break; // unkillable (uninterruptible sleep): nothing more to do
      signalAll(found, "SIGKILL");
      killed = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    found = leftovers(runId);
  }
  return count;
}

function signalAll(found: readonly Leftover[], signal: NodeJS.Signals): void {
  for (const p of found) {
    try {
      // A group leader is a step's own process: its whole group is the step's. Anything else is
      // signalled alone, never the group it shares with something that is not a step.
      process.kill(p.pgrp === p.pid ? -p.pid : p.pid, signal);
    } catch {
      // ESRCH: it ended meanwhile
    }
  }
}

/** Running (not zombie) processes marked with `runId`, outside this process's group. */
function leftovers(runId: string): Leftover[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const own = procStat("self");
  const marker = Buffer.from(`CMC_RUN_ID=${runId}\0`);
  const found: Leftover[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${entry}/environ`);
    } catch {
      continue; // gone, or another user's
    }
    const at = environ.indexOf(marker);
    if (at < 0 || (at > 0 && environ[at - 1] !== 0)) continue;
    const stat = procStat(entry);
    if (!stat || !isRunningState(stat.state)) continue;
    if (own && stat.pgrp === own.pgrp) continue;
    found.push({ pid, pgrp: stat.pgrp });
  }
  return found;
}

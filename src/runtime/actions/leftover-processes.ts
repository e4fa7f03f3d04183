/**
 * Processes that a killed driver left running. Every process a step starts carries `CMC_RUN_ID`,
 * `CMC_STEP` and `CMC_RUN_STORE` (the store's folder: run ids are unique per store) in its
 * environment (`stepProcessEnv`), and steps run in process groups of their own that outlive a
 * driver killed with SIGKILL. Before a resumed run starts its in-flight steps again — and when a
 * run whose driver died is cancelled — those leftovers are stopped, so that a step never runs twice
 * at the same time. Linux only (it reads `/proc`); elsewhere nothing is found.
 */

import { type ProcessEntry, procStat, processesWhere } from "../proc.js";
import { waitUntilGone } from "./process.js";

/** The variables that mark a step's processes as belonging to run `runId` of the store in `storeDir`, step instance `key`. */
export function stepProcessEnv(storeDir: string, runId: string, key: string): Record<string, string> {
  return { CMC_RUN_ID: runId, CMC_STEP: key, CMC_RUN_STORE: storeDir };
}

/**
 * Stops every running process marked with run `runId` of the store in `storeDir` whose step has not
 * `finished` (a finished step's background process, a server it started, is its result, not a
 * leftover), except this process and its own group: SIGTERM (to the whole group of a step's group
 * leader), then SIGKILL after the grace period. Resolves with how many processes were found, once
 * none of them runs.
 */
export async function stopLeftoverProcesses(storeDir: string, runId: string, finished: (step: string) => boolean): Promise<number> {
  const ours = { runId, storeDir, finished };
  let found = leftovers(ours);
  const count = found.length;
  if (count === 0) return 0;
  signalAll(found, "SIGTERM");
  await waitUntilGone(
    () => (found = leftovers(ours)).length > 0,
    () => signalAll(found, "SIGKILL"),
  );
  return count;
}

function signalAll(found: readonly ProcessEntry[], signal: NodeJS.Signals): void {
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

/** Running (not zombie) processes marked with the run and store, of a step not finished, outside this process's group. */
function leftovers(ours: { readonly runId: string; readonly storeDir: string; readonly finished: (step: string) => boolean }): ProcessEntry[] {
  const own = procStat("self");
  return processesWhere((variable) => {
    if (variable("CMC_RUN_ID") !== ours.runId || variable("CMC_RUN_STORE") !== ours.storeDir) return false;
    const step = variable("CMC_STEP");
    return step === undefined || !ours.finished(step);
  }).filter((p) => !own || p.pgrp !== own.pgrp);
}

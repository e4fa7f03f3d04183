/** Whether the process driving a run is still there, and the status a person should see. */
import { hostname } from "node:os";
import { processIdentity } from "../proc.js";
import type { Owner, RunRecord, RunStatus } from "./types.js";

/** This machine's host name, as recorded in `Owner.host`. */
export const thisHost: string = hostname();

/** An owner record for this process. */
export function thisProcessAsOwner(): Owner {
  const identity = processIdentity("self");
  return { pid: process.pid, host: thisHost, since: Date.now(), ...(identity !== undefined ? { identity } : {}) };
}

/**
 * Whether `owner` may still be driving its run. On this host, a signal-0 probe of its pid
 * (`EPERM` means alive under another user), and where the owner recorded its identity, that the
 * process with that pid is still the same one (a reboot or a reused pid is not); on another host it
 * cannot be checked, so it is assumed alive.
 */
export function isOwnerAlive(owner: Owner): boolean {
  if (owner.host !== thisHost) return true;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (owner.identity === undefined) return true;
  const now = processIdentity(owner.pid);
  return now === undefined || now === owner.identity;
}

/** Whether two owner records name the same process. */
export function sameOwner(a: Owner, b: Owner): boolean {
  return a.pid === b.pid && a.host === b.host;
}

/**
 * The status to show: `interrupted` for a `running` or `waiting` run that has an owner whose
 * process is gone; otherwise the stored status.
 */
export function effectiveStatus(run: RunRecord): RunStatus {
  if ((run.status === "running" || run.status === "waiting") && run.owner && !isOwnerAlive(run.owner)) {
    return "interrupted";
  }
  return run.status;
}

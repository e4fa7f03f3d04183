/**
 * What Linux's `/proc` tells about a process: its state, its process group, and an identity that a
 * pid reused after a reboot or by a later process does not share. Elsewhere nothing can be read and
 * every function answers `undefined`.
 */
import { readFileSync } from "node:fs";

/** The state letter, process group and start time (clock ticks since boot) of `/proc/<entry>/stat`; undefined when it cannot be read. */
export function procStat(entry: string): { readonly state: string; readonly pgrp: number; readonly started: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${entry}/stat`, "utf8");
  } catch {
    return undefined; // exited meanwhile, or no /proc
  }
  // "pid (comm) state ppid pgrp … starttime (field 22) …"; comm may contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", pgrp: Number(fields[2]), started: fields[19] ?? "" };
}

/** Whether a `/proc` state letter is a live process (not a zombie awaiting its reaper, nor dead). */
export function isRunningState(state: string): boolean {
  return state !== "Z" && state !== "X";
}

let bootId: string | undefined | null = null;

/**
 * Which process instance `pid` is: this boot's id and the process's start time. The same pid after
 * a reboot, or reused by another process, gives another identity.
 */
export function processIdentity(pid: number | "self"): string | undefined {
  if (bootId === null) {
    try {
      bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      bootId = undefined;
    }
  }
  const stat = bootId === undefined ? undefined : procStat(String(pid));
  return stat ? `${bootId}/${stat.started}` : undefined;
}

/**
 * What Linux's `/proc` tells about a process: its state, its process group, and an identity that a
 * pid reused after a reboot or by a later process does not share; and which processes carry given environment variables. Elsewhere nothing can be read and
 * every function answers `undefined`.
 */
import { readdirSync, readFileSync } from "node:fs";

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

/** A running process other than this one, and its process group (a group leader has `pgrp === pid`). */
export interface ProcessEntry {
  readonly pid: number;
  readonly pgrp: number;
}

/**
 * The running (not zombie) processes other than this one whose environment passes `test`, which
 * reads a variable's value by name. Processes of other users cannot be read and are left out.
 */
export function processesWhere(test: (variable: (name: string) => string | undefined) => boolean): ProcessEntry[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const found: ProcessEntry[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${entry}/environ`);
    } catch {
      continue; // gone, or another user's
    }
    if (!test((name) => entryValue(environ, Buffer.from(`${name}=`)))) continue;
    const stat = procStat(entry);
    if (stat && isRunningState(stat.state)) found.push({ pid: Number(entry), pgrp: stat.pgrp });
  }
  return found;
}

/** The value of the entry starting with `prefix` (`NAME=`) in a NUL-separated environment block. */
function entryValue(environ: Buffer, prefix: Buffer): string | undefined {
  for (let at = environ.indexOf(prefix); at >= 0; at = environ.indexOf(prefix, at + 1)) {
    if (at !== 0 && environ[at - 1] !== 0) continue;
    const end = environ.indexOf(0, at);
    return environ.subarray(at + prefix.length, end === -1 ? environ.length : end).toString("utf8");
  }
  return undefined;
}

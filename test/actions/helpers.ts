/**
 * Shared helpers for the action tests: a temporary workspace, a step log backed by a real file,
 * and a way to see what is left of a process group.
 */

import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ActionContext, StepLog } from "../../src/runtime/actions/types.js";

export interface FileLog extends StepLog {
  text(): string;
  close(): void;
}

export function tempDir(prefix = "cmc-actions-"): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A step log appending synchronously to `file`, as the runtime's does. */
export function fileLog(file: string): FileLog {
  const fd = openSync(file, "a");
  return {
    path: file,
    write: (chunk) => {
      writeSync(fd, typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    },
    text: () => readFileSync(file, "utf8"),
    close: () => closeSync(fd),
  };
}

export function context(workspace: string, log: StepLog, signal = new AbortController().signal, allowOutside = false): ActionContext {
  return { workspace, log, signal, allowOutside, processEnv: { CMC_RUN_ID: "test-run", CMC_STEP: "test-step" } };
}

/** Processes of group `pgid` that are still running (zombies awaiting their reaper excluded). */
export function runningInGroup(pgid: number): string[] {
  let out = "";
  try {
    out = execFileSync("ps", ["-o", "pid=,stat=", "-g", String(pgid)], { encoding: "utf8" });
  } catch {
    return []; // ps exits 1 when nothing matched
  }
  return out
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^\d+\s+Z/.test(line));
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

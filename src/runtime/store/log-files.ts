/** Step log files: safe, reversible file names under `<store>/logs/<run>/`, opened for appending. */
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { StepLog } from "../actions/types.js";
import { diskFullMessage, isDiskFull, StoreError, StoreWriteError } from "./errors.js";

/** File names stay well under the usual 255-byte limit, leaving room for `.log`. */
const MAX_NAME = 200;
/** A character to escape: anything but `[A-Za-z0-9._-]`, one code point (a lone surrogate alone). */
const UNSAFE_CHAR = /[^A-Za-z0-9._-]/gu;

/** A character's UTF-8 bytes as `%XX` each (a lone surrogate as U+FFFD's, as `Buffer.from` encodes it). */
function escapeChar(char: string): string {
  let out = "";
  for (const byte of Buffer.from(char, "utf8")) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}

/**
 * Encodes a step key (`build[2]`, `call/inner`, `plan#1`) as a file name: bytes outside
 * `[A-Za-z0-9._-]` become `%XX`, so names are reversible with `decodeURIComponent` and can never
 * hold a path separator. A name that would be too long keeps a readable head and ends in `~` and a
 * hash of the key (`~` never appears in an encoded name, so the two forms cannot collide).
 */
export function encodeLogName(key: string): string {
  let out = key.replace(UNSAFE_CHAR, escapeChar);
  // `.` and `..` must never name a folder: a name made only of dots gets its first one escaped.
  if (/^\.+$/.test(out)) out = `%2E${out.slice(1)}`;
  if (out.length <= MAX_NAME) return out;
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 16);
  return `${out.slice(0, MAX_NAME - 17).replace(/%[0-9A-F]?$/, "")}~${hash}`;
}

/** Folders this process already created: a run's thousands of steps share one `mkdir`. */
const madeFolders = new Set<string>();

function ensureFolder(folder: string): void {
  if (madeFolders.has(folder)) return;
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    if (isDiskFull(dirname(folder), error)) throw new StoreWriteError(diskFullMessage(`the step logs in ${folder}`), { cause: error });
    throw error;
  }
  madeFolders.add(folder);
}

/** The path of a step's log: `<dir>/logs/<run>/<encoded key>.log`, folders created. */
export function stepLogPath(dir: string, runId: string, key: string): string {
  if (runId === "") throw new StoreError("a step log needs a run id");
  const folder = join(dir, "logs", encodeLogName(runId));
  ensureFolder(folder);
  return join(folder, `${encodeLogName(key)}.log`);
}

/** How long written text may wait in memory before it is appended to the file. */
const FLUSH_MS = 100;
/** How much written text may wait in memory: a step printing gigabytes is appended as it goes. */
const FLUSH_BYTES = 1024 * 1024;

/**
 * Opens a step log for appending (folders created). Writes are kept in memory and appended to the
 * file at most `FLUSH_MS` later (so `cmc logs --follow` sees a running step's output), and at
 * `close`, which resolves once everything written has reached the file. A step that prints nothing
 * leaves no file; a short step's whole log costs one synchronous append instead of a stream's
 * open, writes and close on the thread pool.
 */
export function createStepLog(path: string): StepLog & { readonly path: string; close(): Promise<void> } {
  ensureFolder(dirname(path));
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let failure: Error | undefined;
  let closed = false;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 || failure) return;
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    try {
      appendFileSync(path, data);
    } catch (error) {
      // A failing log must not crash the run; the error surfaces on close. A full disk stops the
      // run (the journal on it could not record the step either), resumable once space is freed.
      failure = isDiskFull(path, error) ? new StoreWriteError(diskFullMessage(`the step log ${path}`), { cause: error }) : (error as Error);
    }
  };
  return {
    path,
    write(chunk: string | Uint8Array): void {
      if (closed || failure) return;
      const data = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      pending.push(data);
      pendingBytes += data.byteLength;
      if (pendingBytes >= FLUSH_BYTES) flush();
      else timer ??= setTimeout(flush, FLUSH_MS).unref();
    },
    close(): Promise<void> {
      if (!closed) {
        closed = true;
        flush();
      }
      return failure ? Promise.reject(failure) : Promise.resolve();
    },
  };
}

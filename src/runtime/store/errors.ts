/** The one error the store throws on purpose: a store it cannot use without risking damage. */
import { statfsSync } from "node:fs";

/**
 * Thrown when the store cannot be used safely: written by a newer cmc, corrupt or unreadable,
 * locked or not writable, or asked for a run or IR that is not there. The message names the
 * store path and says what to do; the store never repairs or overwrites silently.
 */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
  }
}

/** Below this much free space, a failed write is taken for a full disk (LMDB reports it as EIO, too). */
const NEARLY_FULL_BYTES = 1024 * 1024;

/** Whether `error`, met writing under `path`, comes of a full disk (or a used-up quota). */
export function isDiskFull(path: string, error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOSPC" || code === "EDQUOT" || code === 28 || code === 122) return true;
  try {
    const fs = statfsSync(path);
    return fs.bavail * fs.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}

/** The message for a full disk under `what` ("the store at …", "the step log …"), and what to do `then`. */
export function diskFullMessage(what: string, then = "continue the run with `cmc resume` (nothing recorded so far is lost)"): string {
  return `the disk holding ${what} is full: free some space there, then ${then}`;
}

/**
 * The store could not record something (a full disk, above all). What it held is intact, so a run
 * stopped by it continues with `cmc resume` once the store can be written again.
 */
export class StoreWriteError extends StoreError {}

/**
 * A failed write to the store in `dir`, as a `StoreWriteError` a person can act on: a full disk
 * says so. The run cannot go on without its journal, so the driver stops it, resumable.
 */
export function writeFailure(dir: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const what = `the store at ${dir}`;
  if (isDiskFull(dir, error)) return new StoreWriteError(diskFullMessage(what), { cause: error });
  return new StoreWriteError(`cannot write to ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** `write`, with its failure turned into `writeFailure(dir, …)`. */
export async function written<T>(dir: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw writeFailure(dir, error);
  }
}

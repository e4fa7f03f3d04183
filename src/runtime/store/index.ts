/**
 * The durable store of a workspace: runs, their IR, their append-only journals, who drives them,
 * and their step logs. The only module that imports lmdb.
 */
import { join, resolve } from "node:path";

export { openStore, SCHEMA_VERSION, type RunStore } from "./lmdb-store.js";
export { effectiveStatus, isOwnerAlive, sameOwner, thisProcessAsOwner } from "./owner.js";
export { StoreError, StoreWriteError } from "./errors.js";
export { createStepLog, encodeLogName } from "./log-files.js";
export * from "./types.js";

/**
 * Where the store lives: the `--store` flag, else `$CMC_STORE`, else `<workspace>/.cmc`.
 * A relative flag or variable is taken relative to the current directory.
 */
export function defaultStoreDir(workspace: string, flag?: string): string {
  const chosen = flag || process.env.CMC_STORE || undefined;
  return chosen !== undefined ? resolve(chosen) : join(resolve(workspace), ".cmc");
}

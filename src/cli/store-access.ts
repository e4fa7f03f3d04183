/** Opening the workspace's store and finding a run by id, with the messages a person needs. */
import { existsSync } from "node:fs";
import path from "node:path";
import { shellQuote } from "../compiler/shell-context.js";
import { defaultStoreDir, openStore, type RunStore } from "../runtime/store/index.js";
import type { Durability, RunRecord } from "../runtime/store/types.js";
import { UsageError } from "./exit.js";

/**
 * The run store of this folder (or `--store`, `$CMC_STORE`). Only `cmc run` creates it (`create`);
 * the commands that read runs refuse a missing one rather than leave an empty `.cmc/` behind.
 */
export function openWorkspaceStore(flag: string | undefined, opts: { create?: boolean; durability?: Durability } = {}): RunStore {
  const dir = defaultStoreDir(process.cwd(), flag);
  if (!opts.create && !existsSync(dir)) throw new UsageError(`no runs in ${dir}: it does not exist (run from the workflow's folder, or give --store)`);
  // A StoreError (damaged, full, newer) reaches `main`, which prints it and exits 74.
  return openStore(dir, opts.durability ? { durability: opts.durability } : {});
}

/** The store again, written as run `id` asks (`--durability batch`): the caller's handle is closed. */
export async function storeForRun(store: RunStore, id: string): Promise<RunStore> {
  const durability = store.getRun(id)?.options.durability;
  if (durability === undefined || durability === "sync") return store;
  await store.close();
  return openStore(store.dir, { durability });
}

/** The run with this id or unique id prefix; a usage error naming the candidates otherwise. */
export function findRun(store: RunStore, id: string): RunRecord {
  const run = store.findRun(id);
  if (run) return run;
  const candidates = store.findRuns(id);
  if (candidates.length > 1) {
    throw new UsageError(`run id \`${id}\` is ambiguous: ${candidates.slice(0, 5).map((r) => r.id).join(", ")}`);
  }
  throw new UsageError(`no run \`${id}\` in ${store.dir} (see \`cmc runs\`)`);
}

/**
 * `cmc`, as a follow-up command for a run in `store` must be typed: with `--store` when the store is
 * not the one this folder (and `$CMC_STORE`) would pick.
 */
export function cmcFor(store: RunStore): string {
  const dir = path.resolve(store.dir);
  if (dir === defaultStoreDir(process.cwd())) return "cmc";
  const relative = path.relative(process.cwd(), dir);
  return `cmc --store ${shellQuote(relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : dir)}`;
}

/** Whether the run store of this folder (or `--store`, `$CMC_STORE`) exists. */
export function storeExists(flag: string | undefined): boolean {
  return existsSync(defaultStoreDir(process.cwd(), flag));
}

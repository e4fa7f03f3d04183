/**
 * A run's program as the store holds it, validated against this cmc's IR schema (zod). Apart from
 * the store so that commands that only read runs (`cmc status`, `cmc runs`) load no zod.
 */
import type { IrProgram } from "../../compiler/ir/ir.js";
import { irProgramSchema } from "../../compiler/ir/schema.js";
import { StoreError } from "./errors.js";
import type { Store } from "./types.js";

/**
 * What each store's runs' IR validated to, the most recently used few (a server reads many runs): a
 * run's IR is stored once, at its creation, and never changes.
 */
const validated = new WeakMap<Store, Map<string, IrProgram>>();
const KEPT_PER_STORE = 16;

/**
 * The IR stored with run `id`, re-validated (once per store and run: the driver and the display
 * of one process share it); a `StoreError` when there is none or it is not valid for this cmc.
 */
export function loadIr(store: Store, id: string): IrProgram {
  const ir = validated.get(store)?.get(id) ?? validate(store, id);
  remember(store, id, ir);
  return ir;
}

/**
 * Records that run `id` of `store` was just created with `ir`, which this cmc compiled: `loadIr`
 * then returns it without decoding and validating the stored copy (the display of `cmc run` asks).
 */
export function remember(store: Store, id: string, ir: IrProgram): void {
  let runs = validated.get(store);
  if (!runs) validated.set(store, (runs = new Map()));
  runs.delete(id);
  runs.set(id, ir);
  if (runs.size > KEPT_PER_STORE) runs.delete(runs.keys().next().value!);
}

function validate(store: Store, id: string): IrProgram {
  const parsed = irProgramSchema.safeParse(store.storedIr(id));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new StoreError(`the stored IR of run ${id} is not valid for this cmc${where}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

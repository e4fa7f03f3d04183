/**
 * A run's program as the store holds it, validated against this cmc's IR schema (zod). Apart from
 * the store so that commands that only read runs (`cmc status`, `cmc runs`) load no zod.
 */
import type { IrProgram } from "../../compiler/ir/ir.js";
import { irProgramSchema } from "../../compiler/ir/schema.js";
import { StoreError } from "./errors.js";
import type { Store } from "./types.js";

/** The IR stored with run `id`, re-validated; a `StoreError` when there is none or it is not valid for this cmc. */
export function loadIr(store: Store, id: string): IrProgram {
  const parsed = irProgramSchema.safeParse(store.storedIr(id));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new StoreError(`the stored IR of run ${id} is not valid for this cmc${where}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

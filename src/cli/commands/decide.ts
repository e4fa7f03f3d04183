/** `cmc approve`, `cmc reject` and `cmc cancel`: a person's word, handed to the run service. */
import { RunService } from "../../runtime/service/run-service.js";
import { EXIT, type GlobalOptions } from "../exit.js";
import { userName } from "../progress.js";
import { refusedAsUsage } from "../refused.js";
import { cmcFor, findRun, openWorkspaceStore } from "../store-access.js";

export async function decide(id: string, step: string, approved: boolean, reason: string, opts: GlobalOptions): Promise<number> {
  const store = openWorkspaceStore(opts.store);
  try {
    const run = findRun(store, id);
    const { key, live } = await refusedAsUsage(() => new RunService(store).decide(run.id, step, { approved, reason, by: userName() }));
    process.stderr.write(
      `${approved ? "approved" : "rejected"} \`${key}\` of run ${run.id}` +
        (live ? "; the process driving it continues\n" : `; continue the run with: ${cmcFor(store)} resume ${run.id}\n`),
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export async function cancel(id: string, opts: GlobalOptions): Promise<number> {
  const store = openWorkspaceStore(opts.store);
  try {
    const run = findRun(store, id);
    const { live } = await refusedAsUsage(() => new RunService(store).cancel(run.id, userName()));
    process.stderr.write(`run ${run.id} cancelled${live ? "; the process driving it stops its steps" : ""}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

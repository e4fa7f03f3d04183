/** `cmc approve`, `cmc reject` and `cmc cancel`: a person's word, recorded in the run's journal. */
import { JournalState } from "../../runtime/scheduler/journal-state.js";
import { stepNameOfKey } from "../../runtime/scheduler/step-keys.js";
import { stopLeftoverProcesses } from "../../runtime/actions/leftover-processes.js";
import { FINISHED } from "../../runtime/run.js";
import { isOwnerAlive } from "../../runtime/store/index.js";
import { EXIT, UsageError, type GlobalOptions } from "../exit.js";
import { userName } from "../progress.js";
import { cmcFor, ended, findRun, openWorkspaceStore } from "../store-access.js";

export async function decide(id: string, step: string, approved: boolean, reason: string, opts: GlobalOptions): Promise<number> {
  const store = openWorkspaceStore(opts.store);
  try {
    const run = findRun(store, id);
    if (FINISHED.has(run.status)) throw new UsageError(`run ${run.id} has already ${ended(run.status)}; nothing waits for a decision`);
    const state = new JournalState(store.events(run.id));
    const gates = state.pending().filter((k) => !state.escalations.has(k));
    const exact = gates.filter((k) => k === step || k === `${step}@start`);
    const matches = exact.length > 0 ? exact : gates.filter((k) => stepNameOfKey(k) === step);
    if (matches.length === 0) {
      const waiting = gates.length ? `waiting: ${gates.map((k) => `\`${k}\``).join(", ")}` : "nothing is waiting";
      throw new UsageError(`run ${run.id} has no gate \`${step}\` waiting for a decision (${waiting})`);
    }
    if (matches.length > 1) {
      throw new UsageError(`\`${step}\` matches several waiting gates: ${matches.map((k) => `\`${k}\``).join(", ")}; name one`);
    }
    const key = matches[0] as string;
    await store.append(run.id, { type: "decided", key, approved, reason, by: userName() });
    const live = run.owner !== undefined && isOwnerAlive(run.owner);
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
    if (FINISHED.has(run.status)) throw new UsageError(`run ${run.id} has already ${ended(run.status)}`);
    const by = userName();
    await store.append(run.id, { type: "cancelled", by });
    await store.updateRun(run.id, { status: "cancelled", finished: Date.now() });
    const owner = run.owner;
    if (owner && isOwnerAlive(owner) && owner.pid !== process.pid) {
      try {
        process.kill(owner.pid, "SIGTERM");
      } catch {
        // The driver exited meanwhile: the status written above is what counts.
      }
    } else {
      await store.append(run.id, { type: "run-finished", status: "cancelled", result: null, error: null });
      // Its driver died: what its steps left running would otherwise run on.
      const state = new JournalState(store.events(run.id));
      await stopLeftoverProcesses(store.dir, run.id, (step) => state.finished(step));
    }
    process.stderr.write(`run ${run.id} cancelled\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

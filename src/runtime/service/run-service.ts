/**
 * The run service: every request that reads or changes a run, for the CLI and any other front end
 * (an HTTP API calls it the same way). Changes are checked and applied in one store transaction
 * (`requests.ts`); a live driver learns of them from the store, never from a signal.
 */
import { stopLeftoverProcesses } from "../actions/leftover-processes.js";
import { createRun, driveRun, type DriveHooks, type NewRunOptions } from "../run.js";
import { summarize, type RunSummary } from "../summary.js";
import { JournalState, startInputs, type Decision } from "../scheduler/journal-state.js";
import { isOwnerAlive } from "../store/index.js";
import { loadIr } from "../store/stored-ir.js";
import type { JournalEvent, RunRecord, Store } from "../store/types.js";
import { stepNamesIn } from "../../compiler/ir/walk.js";
import { equal as equalValues } from "../scheduler/evaluate.js";
import { cancelRun, decideGate, isRefusal, type Outcome } from "./requests.js";
import { affectedBy, planRerun } from "./rerun.js";
import { RunObserver, type Observation } from "./observations.js";
import type { IrProgram } from "../../compiler/ir/ir.js";

/** A request the run's state does not allow; nothing was changed. */
export class RequestRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequestRefused";
  }
}

/** How long a watcher waits on one file notification before it looks anyway. */
const WATCH_SAFETY_MS = 10_000;

export class RunService {
  constructor(readonly store: Store) {}

  /** Creates a run (its record, IR and `run-started` event); `drive` runs it. */
  start(options: NewRunOptions): Promise<RunRecord> {
    return createRun(this.store, options);
  }

  /**
   * Drives a new or resumed run in this process until it finishes, parks or is interrupted
   * (`RunBusyError` while another live process drives it).
   */
  drive(runId: string, hooks: DriveHooks): Promise<RunRecord> {
    return driveRun(this.store, runId, hooks);
  }

  /** Records a person's decision on a waiting gate; whether a live process drives the run on. */
  async decide(runId: string, step: string, d: Decision): Promise<{ key: string; live: boolean }> {
    const { key } = accepted(await this.store.transact(runId, decideGate(step, d)));
    return { key, live: this.driverAlive(this.store.getRun(runId)) };
  }

  /**
   * Cancels an active run. A live driver stops its steps when it sees the cancel in the store; for
   * a run with none, the processes its dead driver left running are stopped here.
   */
  async cancel(runId: string, by: string): Promise<{ live: boolean }> {
    const { live } = accepted(await this.store.transact(runId, cancelRun(by, (run) => this.driverAlive(run))));
    if (!live) {
      const state = new JournalState(this.store.events(runId));
      await stopLeftoverProcesses(this.store.dir, runId, (key) => state.finished(key));
    }
    return { live };
  }

  /**
   * A person resuming a run answers the escalations it stopped at (the driver then retries what
   * escalated); called once the resuming process owns the run.
   */
  async answerEscalations(runId: string, by: string): Promise<void> {
    // Only a driver escalates, and this process owns the run: a journal without any needs no write.
    if (!this.store.events(runId).some((e) => e.type === "escalated")) return;
    await this.store.transact(runId, (_run, events) => {
      const state = new JournalState(events());
      const keys = state.pending().filter((key) => state.escalations.has(key));
      return { value: undefined, append: keys.map((key) => ({ type: "decided" as const, key, approved: true, reason: "resumed", by })) };
    });
  }

  /**
   * A new run of the same program, linked to `runId`, that reuses the results of the steps the
   * original finished before step `from` first started (except those the changed `inputs` reach)
   * and runs `from` and what follows again. Not driven yet: `drive` it.
   */
  async rerun(runId: string, from: string, inputs: Readonly<Record<string, unknown>>): Promise<{ run: RunRecord; reused: string[] }> {
    const original = this.store.getRun(runId);
    if (!original) throw new RequestRefused(`no run ${runId} in ${this.store.dir}`);
    if (original.status === "running" && this.driverAlive(original)) {
      throw new RequestRefused(`run ${runId} is still being driven; rerun it once it has stopped (or cancel it)`);
    }
    const ir = loadIr(this.store, runId);
    const workflow = ir.workflows[original.workflow];
    if (!workflow) throw new RequestRefused(`run ${runId}'s program has no workflow \`${original.workflow}\``);
    const steps = stepNamesIn(workflow.body);
    if (!steps.includes(from)) {
      throw new RequestRefused(`workflow \`${workflow.name}\` has no step \`${from}\`; its steps are ${steps.map((s) => `\`${s}\``).join(", ")}`);
    }
    const events = this.store.events(runId);
    const before = startInputs(new JournalState(events.slice(0, 1)), original);
    const merged = { ...before, ...inputs };
    const changed = new Set(Object.keys(inputs).filter((k) => !equalValues(inputs[k], before[k])));
    const plan = planRerun(events, from, affectedBy(workflow, changed));
    const { options } = original;
    const run = await createRun(this.store, {
      ir,
      workflow: original.workflow,
      file: original.file,
      workspace: original.workspace,
      inputs: merged,
      mode: original.mode,
      concurrency: options.concurrency,
      allowOutside: options.allowOutside,
      ...(options.budget !== undefined ? { budget: options.budget } : {}),
      ...(options.agents !== undefined ? { agents: options.agents } : {}),
      ...(options.durability !== undefined ? { durability: options.durability } : {}),
      rerunOf: { run: runId, from },
    });
    await this.store.transact(run.id, () => ({ value: undefined, append: plan.events }));
    return { run, reused: plan.reused };
  }

  status(runId: string): RunSummary {
    const run = this.store.getRun(runId);
    if (!run) throw new RequestRefused(`no run ${runId} in ${this.store.dir}`);
    return summarize(this.store, run);
  }

  list(onUnreadable?: (id: string, problem: string) => void): RunRecord[] {
    return this.store.listRuns(onUnreadable);
  }

  /**
   * The run's journal events from `fromSeq`, in commit order, as any process commits them; ends
   * after the run's `run-finished` event, or once `signal` aborts and what was committed before
   * has been yielded.
   */
  async *watch(runId: string, fromSeq: number, signal?: AbortSignal): AsyncGenerator<JournalEvent> {
    let next = fromSeq;
    for await (const _ of this.commits(signal)) {
      for (const event of this.store.events(runId, next)) {
        next = event.seq + 1;
        yield event;
        if (event.type === "run-finished") return;
      }
    }
  }

  /**
   * The journal events of every run of the store, the runs created meanwhile included: each run's
   * in commit order (those of different runs interleave in the order they are found). From each
   * run's start, or with `fromNow` from what comes next; until `signal` aborts.
   */
  async *watchAll(o: { readonly fromNow?: boolean; readonly signal?: AbortSignal } = {}): AsyncGenerator<JournalEvent & { readonly run: string }> {
    const next = new Map<string, number>();
    const ended = new Set<string>();
    if (o.fromNow) {
      for (const id of this.store.runIds()) {
        const last = this.store.lastSeq(id);
        next.set(id, last + 1);
        if (last >= 0 && this.store.events(id, last)[0]?.type === "run-finished") ended.add(id);
      }
    }
    for await (const _ of this.commits(o.signal)) {
      for (const id of this.store.runIds()) {
        if (ended.has(id)) continue;
        for (const event of this.store.events(id, next.get(id) ?? 0)) {
          next.set(id, event.seq + 1);
          if (event.type === "run-finished") ended.add(id);
          yield { ...event, run: id };
        }
      }
    }
  }

  /**
   * Wakes a reader of the store once at once, then after each commit by any process, until
   * `signal` aborts: then once more, so what was committed before the abort is read too.
   */
  private async *commits(signal?: AbortSignal): AsyncGenerator<void> {
    let wait = new AbortController();
    const stop = () => wait.abort();
    signal?.addEventListener("abort", stop);
    try {
      for (;;) {
        const last = signal?.aborted === true;
        // Armed before the reader reads, so a commit meanwhile still wakes it.
        wait = new AbortController();
        if (last) wait.abort();
        const changed = this.store.nextCommit(wait.signal, WATCH_SAFETY_MS);
        yield;
        if (last) return;
        await changed;
      }
    } finally {
      stop();
      signal?.removeEventListener("abort", stop);
    }
  }

  /**
   * `watch`, as typed observations (`observations.ts`) from `fromSeq` on; the journal before it is
   * folded too, so an attempt's start and label are known to the events that end it.
   */
  async *observe(runId: string, fromSeq: number, signal?: AbortSignal): AsyncGenerator<Observation> {
    const run = this.store.getRun(runId);
    if (!run) throw new RequestRefused(`no run ${runId} in ${this.store.dir}`);
    let ir: IrProgram | undefined;
    try {
      ir = loadIr(this.store, runId);
    } catch {
      // Without its program a run's observations only lack their IR nodes.
    }
    const observer = new RunObserver(runId, ir, run.workflow);
    // What came before is learnt in one loop, not through the feed an event at a time: a resumed
    // run's journal can hold tens of thousands of events.
    for (const event of this.store.events(runId, 0)) {
      if (event.seq >= fromSeq) break;
      observer.learn(event);
    }
    for await (const event of this.watch(runId, fromSeq, signal)) {
      const observation = observer.next(event);
      if (observation) yield observation;
    }
  }

  private driverAlive(run: RunRecord | undefined): boolean {
    return run?.owner !== undefined && run.owner.pid !== process.pid && isOwnerAlive(run.owner);
  }
}

function accepted<T>(outcome: Outcome<T>): T {
  if (isRefusal(outcome)) throw new RequestRefused(outcome.refused);
  return outcome;
}

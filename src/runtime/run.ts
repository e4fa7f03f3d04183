/**
 * A run's life cycle around the driver: create it, claim it (one driver per run), drive it, record
 * how it ended. Its summary for `--json` and `cmc status` is `summary.ts`.
 */
import type { IrProgram } from "../compiler/ir/ir.js";
import type { AgentSettings } from "./config/schema.js";
import { stopLeftoverProcesses } from "./actions/leftover-processes.js";
import { sameOwner, thisProcessAsOwner } from "./store/index.js";
import { loadIr, remember } from "./store/stored-ir.js";
import type { Durability, Owner, RerunOf, RunMode, RunRecord, Store } from "./store/types.js";
import { Driver, type HumanQuestion, type Outcome, type Activity } from "./scheduler/driver.js";
import { JournalState, type Decision } from "./scheduler/journal-state.js";
import { Cancelled } from "./scheduler/signals.js";
import type { Clock } from "./scheduler/timers.js";
import { LocalExecutor } from "./executor/local.js";
import type { Executor } from "./executor/types.js";
import { FINISHED } from "./service/requests.js";

export interface NewRunOptions {
  readonly ir: IrProgram;
  /** The workflow's IR id. */
  readonly workflow: string;
  readonly file: string;
  readonly workspace: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly mode: RunMode;
  readonly concurrency: number;
  readonly allowOutside: boolean;
  readonly budget?: number;
  readonly agents?: AgentSettings;
  readonly durability?: Durability;
  readonly rerunOf?: RerunOf;
}

/** Creates a run: its record, its program and its `run-started` event. */
export async function createRun(store: Store, o: NewRunOptions): Promise<RunRecord> {
  const run = await store.createRun({
    workflow: o.workflow,
    file: o.file,
    workspace: o.workspace,
    inputs: o.inputs,
    mode: o.mode,
    options: {
      concurrency: o.concurrency,
      allowOutside: o.allowOutside,
      ...(o.budget !== undefined ? { budget: o.budget } : {}),
      ...(o.agents !== undefined ? { agents: o.agents } : {}),
      ...(o.durability === "batch" ? { durability: o.durability } : {}),
    },
    ir: o.ir,
    ...(o.rerunOf ? { rerunOf: o.rerunOf } : {}),
  });
  remember(store, run.id, o.ir);
  return run;
}

/** Another live process drives the run. */
export class RunBusyError extends Error {
  constructor(readonly owner: Owner) {
    super(`the run is being driven by process ${owner.pid} on ${owner.host} (since ${new Date(owner.since).toISOString()})`);
  }
}

export interface DriveHooks {
  /** Live activity beyond the journal: agents' messages and cost so far, notices. */
  readonly activity: (event: Activity) => void;
  readonly askHuman?: (q: HumanQuestion, signal: AbortSignal) => Promise<Decision>;
  readonly signal: AbortSignal;
  /** Called once this process owns the run, before it reads the journal: a resume's own writes go here. */
  readonly claimed?: () => Promise<void>;
  /**
   * Called once, before any step runs, with the journal as the driver starts from it (folded) and
   * the seq of the first event it did not read: a display shows that as history and follows the
   * journal from there, without folding it again.
   */
  readonly started?: (state: JournalState, nextSeq: number) => void;
  /** Told when `activity` threw (and was turned off). */
  readonly warn?: (message: string) => void;
  /** What runs the steps; by default this process, at most the run's `--concurrency` at once. */
  readonly executor?: Executor;
  readonly clock?: Clock;
  /** Read the world again, and run again the finished steps whose inputs that changes (`cmc resume --refresh`). */
  readonly refresh?: boolean;
}

/**
 * Drives a run (new or resumed) until it finishes, parks, or is interrupted. A store that cannot
 * be written (a full disk) stops it with a `StoreWriteError`, the run left as its journal has it.
 */
export async function driveRun(store: Store, runId: string, hooks: DriveHooks): Promise<RunRecord> {
  const initial = store.getRun(runId);
  if (!initial) throw new Error(`no run \`${runId}\``);
  if (FINISHED.has(initial.status)) return initial;
  const owner: Owner = thisProcessAsOwner();
  const claim = await store.claim(runId, owner);
  if (!claim.ok) throw new RunBusyError(claim.owner);
  await hooks.claimed?.();

  const events = store.events(runId);
  const state = new JournalState(events);
  if (events.some((e) => e.type !== "run-started")) {
    // A driver killed mid-step leaves the step's processes running; stop them before it runs again.
    const stopped = await stopLeftoverProcesses(store.dir, runId, (step) => state.finished(step));
    if (stopped > 0) {
      hooks.activity({ type: "notice", message: `stopped ${stopped} process${stopped === 1 ? "" : "es"} left running by the previous driver` });
    }
    const resumed = { type: "resumed" as const, pid: process.pid, ...(hooks.refresh ? { refresh: true } : {}) };
    state.apply({ ...resumed, seq: await store.append(runId, resumed), at: Date.now() });
  }
  hooks.started?.(state, events.length);
  // A new run is created `running`: only a parked or stopped one needs its status written back.
  const run = initial.status === "running" ? initial : await store.updateRun(runId, { status: "running" });
  const cancel = watchCancel(store, runId, hooks.signal);
  const driver = new Driver({
    store,
    run,
    ir: loadIr(store, runId),
    state,
    executor: hooks.executor ?? new LocalExecutor({ concurrency: run.options.concurrency, ...(hooks.clock ? { clock: hooks.clock } : {}) }),
    ...(hooks.clock ? { clock: hooks.clock } : {}),
    ...(hooks.refresh ? { refresh: true } : {}),
    activity: hooks.activity,
    ...(hooks.askHuman ? { askHuman: hooks.askHuman } : {}),
    signal: cancel.signal,
    ...(hooks.warn ? { warn: hooks.warn } : {}),
  });
  try {
    const outcome = await driver.drive();
    return await finish(store, runId, owner, outcome);
  } finally {
    cancel.stop();
  }
}

/**
 * The driver's signal: `signal`, and aborted with `Cancelled` once the store says the run was
 * cancelled (by `cmc cancel` or an API, in any process): woken by each commit, it costs nothing idle.
 */
function watchCancel(store: Store, runId: string, signal: AbortSignal): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const stopped = new AbortController();
  const forward = () => controller.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener("abort", forward, { once: true });
  void (async () => {
    // A cancel sets the record's status and appends `cancelled` in one commit: the first wake reads
    // the record, later ones only the journal's new events (the record holds the inputs, which can be large).
    let next = store.lastSeq(runId) + 1;
    let first = true;
    while (!stopped.signal.aborted && !controller.signal.aborted) {
      await store.nextCommit(stopped.signal, 10_000);
      if (stopped.signal.aborted) break;
      if (first && store.getRun(runId)?.status === "cancelled") controller.abort(new Cancelled());
      first = false;
      const fresh = store.events(runId, next);
      next += fresh.length;
      if (fresh.some((e) => e.type === "cancelled")) controller.abort(new Cancelled());
    }
  })().catch(() => undefined);
  return {
    signal: controller.signal,
    stop: () => {
      stopped.abort();
      signal.removeEventListener("abort", forward);
    },
  };
}

/** Records how the run ended, in one transaction: a cancel that came meanwhile stands. */
async function finish(store: Store, runId: string, owner: Owner, outcome: Outcome): Promise<RunRecord> {
  // An interrupted run keeps its owner: once this process is gone it shows as `interrupted`.
  const how = outcome.status;
  if (how === "interrupted") return store.getRun(runId) as RunRecord;
  await store.transact(runId, (current, events) => {
    const status = current.status === "cancelled" ? "cancelled" : how;
    const result = outcome.status === "succeeded" ? outcome.result : null;
    const error = outcome.status === "failed" ? outcome.error : null;
    const ends = FINISHED.has(status);
    const patch = {
      status,
      result,
      ...(error ? { error } : {}),
      ...(ends ? { finished: current.finished ?? Date.now() } : {}),
      ...(current.owner !== undefined && sameOwner(current.owner, owner) ? { owner: undefined } : {}),
    };
    // A run cancelled as if it had no live driver (by a process that could not see this one) has
    // its `run-finished` already; only a cancelled run needs its journal read to know.
    const recorded = current.status === "cancelled" && events().some((e) => e.type === "run-finished");
    return { value: undefined, patch, ...(ends && !recorded ? { append: [{ type: "run-finished" as const, status, result, error }] } : {}) };
  });
  return store.getRun(runId) as RunRecord;
}



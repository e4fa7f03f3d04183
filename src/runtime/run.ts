/**
 * A run's life cycle around the driver: create it, claim it (one driver per run), drive it, record
 * how it ended, and summarise it for `--json` and `cmc status`.
 */
import type { IrProgram } from "../compiler/ir/ir.js";
import type { Tokens } from "./agents/types.js";
import { agentLabel } from "./config/roles.js";
import type { AgentSettings } from "./config/schema.js";
import { stopLeftoverProcesses } from "./actions/leftover-processes.js";
import { effectiveStatus, sameOwner, thisProcessAsOwner } from "./store/index.js";
import type { Durability, Owner, RerunOf, RunError, RunMode, RunRecord, RunStatus, Store } from "./store/types.js";
import { Driver, type HumanQuestion, type Outcome, type Activity } from "./scheduler/driver.js";
import { isAskInput, JournalState, replyTokens, type Decision, type StepRecord } from "./scheduler/journal-state.js";
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

/** Creates a run record and journals its start. */
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
  await store.append(run.id, { type: "run-started", workflow: o.workflow, inputs: o.inputs });
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
  /**
   * The run's program when the caller has it in memory (it just stored it with `createRun`), which
   * spares decoding and re-validating the stored copy.
   */
  readonly ir?: IrProgram;
  /** Called once this process owns the run, before it reads the journal: a resume's own writes go here. */
  readonly claimed?: () => Promise<void>;
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
  // A new run is created `running`: only a parked or stopped one needs its status written back.
  const run = initial.status === "running" ? initial : await store.updateRun(runId, { status: "running" });
  const cancel = watchCancel(store, runId, hooks.signal);
  const driver = new Driver({
    store,
    run,
    ir: hooks.ir ?? store.getIr(runId),
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
    while (!stopped.signal.aborted && !controller.signal.aborted) {
      await store.nextCommit(stopped.signal, 10_000);
      if (!stopped.signal.aborted && store.getRun(runId)?.status === "cancelled") controller.abort(new Cancelled());
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

export interface StepSummary {
  readonly id: string;
  readonly status: string;
  readonly attempts: number;
  /** The step's `label:` (an addition to LANGUAGE.md §9's object). */
  readonly label?: string;
  /** Agent steps only: the reply's cost in USD (`0` when the CLI reports none, or the step has no reply). */
  readonly cost?: number;
  /** Agent steps only: the reply's tokens. */
  readonly tokens?: Tokens;
  /** Gates only, once decided: who decided (a user name, `autonomous`, `timeout`) and why. */
  readonly decision?: Decision;
  /** Agent steps only: the agent that ran it, as people read it (`claude (model opus)`). */
  readonly agent?: string;
  /** Agent steps whose agent is a role: the role it played (`architect`). */
  readonly role?: string;
}

/** The JSON object of LANGUAGE.md §9 printed by `run --json`, `resume --json` and `status RUN --json`. */
export interface RunSummary {
  readonly run: string;
  readonly status: RunStatus;
  readonly result: unknown;
  readonly error: RunError | null;
  readonly steps: readonly StepSummary[];
  /** The run's agent cost so far, USD (an addition to LANGUAGE.md §9's object). */
  readonly cost: number;
  /** The run's agent tokens so far, summed over its finished agent steps (also an addition). */
  readonly tokens: Tokens;
  /** A rerun: the run it reused results of and the step it ran again from (also an addition). */
  readonly rerunOf?: RerunOf;
}

export function summarize(store: Store, run: RunRecord): RunSummary {
  const events = store.events(run.id);
  const state = new JournalState(events);
  // Each agent step's last attempt: who ran it, and for a role, which role.
  const agentSteps = new Map<string, { agent: string; role?: string }>();
  for (const e of events) if (e.type === "step-started" && isAskInput(e.inputs)) agentSteps.set(e.key, whoAsked(e.inputs));
  const steps: StepSummary[] = [];
  let input = 0;
  let output = 0;
  const pending = state.pending();
  const ended = FINISHED.has(run.status);
  for (const [id, s] of state.steps) {
    const summary = {
      id,
      status: stepStatus(s.status, pending.includes(id), state.decisions.has(id), ended),
      attempts: s.attempts,
      ...(s.label !== undefined ? { label: s.label } : {}),
      ...decisionOf(state, id),
    };
    const who = agentSteps.get(id);
    if (!who) {
      steps.push(summary);
      continue;
    }
    const tokens = replyTokens(s.result);
    input += tokens.input;
    output += tokens.output;
    steps.push({ ...summary, cost: replyCost(s.result), tokens, ...who });
  }
  // A gate before a step starts (interactive mode, `<id>@start`) is no step of its own until decided.
  for (const id of pending) if (!state.steps.has(id)) steps.push({ id, status: ended ? "cancelled" : "waiting", attempts: 0 });
  return {
    run: run.id,
    status: effectiveStatus(run),
    result: run.result ?? null,
    error: run.error ?? null,
    steps,
    cost: run.cost,
    tokens: { input, output },
    ...(run.rerunOf ? { rerunOf: run.rerunOf } : {}),
  };
}

function decisionOf(state: JournalState, id: string): { decision?: Decision } {
  const d = state.decisions.get(id);
  return d ? { decision: { approved: d.approved, by: d.by, reason: d.reason } } : {};
}

/**
 * A step's status as shown: a gate with a decision that the run has not yet acted on is `decided`;
 * once the run has ended, a step it left running or waiting is `cancelled`.
 */
function stepStatus(recorded: StepRecord["status"], pending: boolean, decided: boolean, ended: boolean): string {
  const status = pending ? "waiting" : recorded === "waiting" && decided ? "decided" : recorded;
  return ended && (status === "running" || status === "waiting" || status === "decided") ? "cancelled" : status;
}

/** The agent and role an ask's journaled inputs name. */
function whoAsked(inputs: unknown): { agent: string; role?: string } {
  const i = inputs as { agent: string; options?: unknown; role?: unknown };
  const options = typeof i.options === "object" && i.options !== null ? (i.options as Record<string, unknown>) : {};
  return { agent: agentLabel({ $agent: i.agent, options }), ...(typeof i.role === "string" ? { role: i.role } : {}) };
}

function replyCost(result: unknown): number {
  const cost = typeof result === "object" && result !== null ? (result as { cost?: unknown }).cost : undefined;
  return typeof cost === "number" ? cost : 0;
}


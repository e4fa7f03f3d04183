/**
 * What `run --json`, `resume --json` and `cmc status` show of a run: its record and its journal
 * folded into the object of LANGUAGE.md §9. Reads the store only, so that `cmc status` loads
 * nothing of the driver.
 */
import type { Tokens } from "./agents/types.js";
import { agentLabel } from "./config/agent-label.js";
import { effectiveStatus } from "./store/owner.js";
import type { RerunOf, RunError, RunRecord, RunStatus, Store } from "./store/types.js";
import { isAskInput, JournalState, replyTokens, type Decision, type StepRecord } from "./scheduler/journal-state.js";
import { FINISHED } from "./service/requests.js";

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

/**
 * What a run's journal says has already happened, folded into maps keyed by step instance.
 * The driver consults it to replay finished work on resume instead of running it again.
 */
import type { Tokens } from "../agents/types.js";
import type { JournalEvent, RunError, RunRecord } from "../store/types.js";

export interface Decision {
  readonly approved: boolean;
  readonly reason: string;
  readonly by: string;
}

export interface StepRecord {
  status: "running" | "succeeded" | "failed" | "waiting" | "cancelled";
  attempts: number;
  failures: number;
  /** The step's `label:`, when it has one. */
  label?: string;
  /** What its last attempt started with. */
  inputs?: unknown;
  result?: unknown;
  error?: RunError;
}

export class JournalState {
  readonly steps = new Map<string, StepRecord>();
  readonly decisions = new Map<string, Decision>();
  /** When each gate or escalation first started waiting (epoch ms). */
  readonly waitingSince = new Map<string, number>();
  readonly escalations = new Set<string>();
  /** What each gate asks, or each escalation says, as first recorded. */
  readonly questions = new Map<string, string>();
  /** What each world-reading built-in call returned, by its key (see the `observed` event). */
  readonly observations = new Map<string, { readonly value?: unknown; readonly digest?: string }>();
  /** The step instances that ran an agent's `ask`. */
  readonly asks = new Set<string>();
  /** What the run started with, from its `run-started` event (see `startInputs`). */
  inputs: Readonly<Record<string, unknown>> | undefined;

  constructor(events: readonly JournalEvent[] = []) {
    for (const e of events) this.apply(e);
  }

  /** Folds one event in; the driver calls this for every event it appends, so the state stays current. */
  apply(e: JournalEvent): void {
    switch (e.type) {
      case "run-started":
        this.inputs = e.inputs as Readonly<Record<string, unknown>>;
        break;
      case "step-started": {
        const s = this.record(e.key);
        s.status = "running";
        s.attempts = Math.max(s.attempts, e.attempt);
        if (e.label !== undefined) s.label = e.label;
        s.inputs = e.inputs;
        if (isAskInput(e.inputs)) this.asks.add(e.key);
        break;
      }
      case "step-finished": {
        const s = this.record(e.key);
        s.status = "succeeded";
        s.result = e.result;
        break;
      }
      case "attempt-failed":
        this.record(e.key).failures++;
        break;
      case "step-failed": {
        const s = this.record(e.key);
        s.status = e.error.kind === "cancelled" ? "cancelled" : "failed";
        s.error = e.error;
        break;
      }
      case "waiting":
        if (!this.questions.has(e.key)) this.questions.set(e.key, e.question);
        if (!this.waitingSince.has(e.key)) this.waitingSince.set(e.key, e.at);
        if (!this.decisions.has(e.key) && this.steps.has(e.key)) this.record(e.key).status = "waiting";
        break;
      case "decided":
        // One decision per gate: the first stands (a store written before that rule may hold two).
        if (!this.decisions.has(e.key)) this.decisions.set(e.key, { approved: e.approved, reason: e.reason, by: e.by });
        break;
      case "observed":
        if (!this.observations.has(e.key)) this.observations.set(e.key, e.digest === undefined ? { value: e.value } : { digest: e.digest });
        break;
      case "resumed":
        // `cmc resume --refresh` reads the world again: what the run saw before no longer answers.
        if (e.refresh) this.observations.clear();
        break;
      case "escalated":
        this.escalations.add(e.key);
        if (!this.questions.has(e.key)) this.questions.set(e.key, e.message);
        if (!this.waitingSince.has(e.key)) this.waitingSince.set(e.key, e.at);
        break;
      default:
        break;
    }
  }

  /** Whether step instance `key` has ended, succeeded or failed: its processes are no leftovers. */
  finished(key: string): boolean {
    const status = this.steps.get(key)?.status;
    return status === "succeeded" || status === "failed";
  }

  /** Gates and escalations waiting for a person: keys with a `waiting`/`escalated` event and no decision. */
  pending(): string[] {
    return [...this.waitingSince.keys()].filter((k) => {
      const status = this.steps.get(k)?.status;
      return !this.decisions.has(k) && status !== "failed" && status !== "succeeded";
    });
  }

  /**
   * The tokens of the finished asks whose reply is in conversation `session`, as they were counted
   * when each ran: what this run has already counted of that conversation.
   */
  sessionTokens(session: string): Tokens {
    const sum = { input: 0, output: 0 };
    for (const key of this.asks) {
      const s = this.steps.get(key);
      if (s?.status !== "succeeded" || (s.result as { session?: unknown } | undefined)?.session !== session) continue;
      const tokens = replyTokens(s.result);
      sum.input += tokens.input;
      sum.output += tokens.output;
    }
    return sum;
  }

  private record(key: string): StepRecord {
    let s = this.steps.get(key);
    if (!s) {
      s = { status: "running", attempts: 0, failures: 0 };
      this.steps.set(key, s);
    }
    return s;
  }
}

/**
 * The inputs a run started with: its journal's; a schema-1 store's record also has them, and is
 * the only place for a run an older cmc created and stopped before journaling its start.
 */
export function startInputs(state: JournalState, run: RunRecord): Readonly<Record<string, unknown>> {
  return state.inputs ?? run.inputs ?? {};
}

/** An `ask` journals the agent's name and the prompt among the inputs it started with. */
export function isAskInput(inputs: unknown): boolean {
  if (typeof inputs !== "object" || inputs === null) return false;
  const i = inputs as { agent?: unknown; prompt?: unknown };
  return typeof i.agent === "string" && typeof i.prompt === "string";
}

/** The `tokens` of a journaled reply (0 for what is missing). */
export function replyTokens(result: unknown): Tokens {
  const t = typeof result === "object" && result !== null ? (result as { tokens?: Partial<Tokens> }).tokens : undefined;
  return {
    input: typeof t?.input === "number" ? t.input : 0,
    output: typeof t?.output === "number" ? t.output : 0,
  };
}

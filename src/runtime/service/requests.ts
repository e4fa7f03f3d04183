/**
 * The requests that change a run, as pure checks of its latest state: each one returns the
 * `Change` the store applies in the same transaction, or a refusal saying why nothing changed.
 */
import type { Decision } from "../scheduler/journal-state.js";
import { JournalState } from "../scheduler/journal-state.js";
import { stepNameOfKey } from "../scheduler/step-keys.js";
import type { Change, JournalEvent, JournalEventBody, RunRecord, RunStatus } from "../store/types.js";

export const FINISHED: ReadonlySet<RunStatus> = new Set(["succeeded", "failed", "cancelled"]);

/** A request the run's state does not allow; `message` says why, for a person. */
export interface Refusal {
  readonly refused: string;
}

export type Outcome<T> = T | Refusal;

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === "object" && value !== null && "refused" in value;
}

/** How a finished run ended, after "has already": `succeeded`, `failed`, `been cancelled`. */
export function ended(status: RunStatus): string {
  return status === "cancelled" ? "been cancelled" : status;
}

const refuse = (refused: string): Change<Refusal> => ({ value: { refused } });

/**
 * A person's decision on the gate `step` names (a gate key, or a step name matching one waiting
 * gate). One decision per gate: a second is refused with who made the first, and when.
 */
export function decideGate(step: string, d: Decision) {
  return (run: RunRecord, journal: () => readonly JournalEvent[]): Change<Outcome<{ key: string }>> => {
    if (FINISHED.has(run.status)) return refuse(`run ${run.id} has already ${ended(run.status)}; nothing waits for a decision`);
    const events = journal();
    const state = new JournalState(events);
    const gates = state.pending().filter((k) => !state.escalations.has(k));
    const matches = matching(gates, step);
    if (matches.length === 1) {
      const key = matches[0]!;
      return { value: { key }, append: [{ type: "decided", key, approved: d.approved, reason: d.reason, by: d.by }] };
    }
    if (matches.length > 1) return refuse(`\`${step}\` matches several waiting gates: ${matches.map((k) => `\`${k}\``).join(", ")}; name one`);
    const earlier = firstDecision(events, step);
    if (earlier) return refuse(`\`${earlier.key}\` of run ${run.id} was already ${describe(earlier)}`);
    const waiting = gates.length ? `waiting: ${gates.map((k) => `\`${k}\``).join(", ")}` : "nothing is waiting";
    return refuse(`run ${run.id} has no gate \`${step}\` waiting for a decision (${waiting})`);
  };
}

/**
 * Cancels a run that is still active. With no live driver, the run also finishes here; a live one
 * learns of it from the store (`watchCancel`) and stops its steps.
 */
export function cancelRun(by: string, driverAlive: (run: RunRecord) => boolean) {
  return (run: RunRecord): Change<Outcome<{ live: boolean }>> => {
    if (FINISHED.has(run.status)) return refuse(`run ${run.id} has already ${ended(run.status)}`);
    const live = driverAlive(run);
    const append: JournalEventBody[] = [{ type: "cancelled", by }];
    if (!live) append.push({ type: "run-finished", status: "cancelled", result: null, error: null });
    return { value: { live }, append, patch: { status: "cancelled", finished: Date.now() } };
  };
}

function matching(gates: readonly string[], step: string): string[] {
  const exact = gates.filter((k) => k === step || k === `${step}@start`);
  return exact.length > 0 ? exact : gates.filter((k) => stepNameOfKey(k) === step);
}

type Decided = Extract<JournalEvent, { type: "decided" }>;

/** The decision on the one decided gate `step` names (as `cmc approve` matches a waiting one). */
function firstDecision(events: readonly JournalEvent[], step: string): Decided | undefined {
  const decided = events.filter((e): e is Decided => e.type === "decided");
  const keys = matching([...new Set(decided.map((e) => e.key))], step);
  return keys.length === 1 ? decided.find((e) => e.key === keys[0]) : undefined;
}

function describe(e: Decided): string {
  return `${e.approved ? "approved" : "rejected"} by ${e.by} at ${new Date(e.at).toISOString()}${e.reason ? ` (${e.reason})` : ""}`;
}

/**
 * What happened in a run, as typed observations folded from its journal: the same whether they are
 * watched live from the driving process or another one, or read back after a crash. The progress
 * display of `cmc run` is drawn from them, and so is anything that follows a run from outside.
 */
import type { IrProgram } from "../../compiler/ir/ir.js";
import type { Tokens } from "../agents/types.js";
import type { Decision } from "../scheduler/journal-state.js";
import { locateKey } from "../scheduler/step-keys.js";
import type { JournalEvent, RunError, RunStatus } from "../store/types.js";

interface Base {
  readonly run: string;
  /** The journal event it comes from. */
  readonly seq: number;
  /** When it happened (epoch ms), as journaled. */
  readonly at: number;
}

interface OfStep extends Base {
  /** The step instance: `build[2]`, `call/inner#1`. */
  readonly key: string;
  /** The step instance whose sub-workflow this one runs in (`call` for `call~2/inner`); `null` at the top. */
  readonly parent: string | null;
  /** The IR workflow and node the key names (`null` when the program does not have it). */
  readonly workflow: string | null;
  readonly node: string | null;
  readonly attempt: number;
  readonly label?: string;
}

interface AttemptEnd extends OfStep {
  /** When this attempt started (epoch ms), when the journal says. */
  readonly startedAt?: number;
}

export type Observation =
  | (Base & { readonly type: "run-started" | "run-resumed" })
  | (Base & { readonly type: "run-cancelled"; readonly by: string })
  | (Base & { readonly type: "run-finished"; readonly status: RunStatus; readonly error: RunError | null })
  | (OfStep & { readonly type: "step-queued" | "step-started" })
  | (AttemptEnd & { readonly type: "attempt-failed"; readonly error: RunError; readonly retryInMs: number })
  | (AttemptEnd & { readonly type: "step-finished"; readonly cost?: number; readonly tokens?: Tokens })
  | (AttemptEnd & { readonly type: "step-failed"; readonly error: RunError })
  | (OfStep & { readonly type: "gate-waiting"; readonly question: string })
  | (OfStep & { readonly type: "gate-decided"; readonly decision: Decision })
  | (OfStep & { readonly type: "escalated"; readonly message: string });

export type ObservationType = Observation["type"];

/** The step instance that runs the sub-workflow `key` is in: `a/b~2/c` → `a/b`. */
export function parentKey(key: string): string | null {
  const slash = key.lastIndexOf("/");
  return slash === -1 ? null : key.slice(0, slash).replace(/~\d+$/, "");
}

/** Folds one run's journal events, in order, into observations. */
export class RunObserver {
  private readonly attempts = new Map<string, { attempt: number; startedAt?: number; label?: string }>();
  /** Where keys point in the IR, by key without loop positions: `work[0]` … `work[9999]` share one lookup. */
  private readonly located = new Map<string, { workflow: string; node: string } | null>();

  constructor(
    private readonly run: string,
    private readonly ir: IrProgram | undefined,
    private readonly workflow: string,
  ) {}

  /** Takes in an event without making its observation: what came before the observations wanted. */
  learn(e: JournalEvent): void {
    if (e.type === "step-started") this.attempts.set(e.key, { attempt: e.attempt, startedAt: e.at, ...(e.label !== undefined ? { label: e.label } : this.labelOf(e.key)) });
    else if (e.type === "step-queued") this.attempts.set(e.key, { attempt: e.attempt, ...this.labelOf(e.key) });
  }

  /** The observation an event makes, if any (`observed` world reads make none). */
  next(e: JournalEvent): Observation | undefined {
    const base = { run: this.run, seq: e.seq, at: e.at };
    switch (e.type) {
      case "run-started":
        return { ...base, type: "run-started" };
      case "resumed":
        return { ...base, type: "run-resumed" };
      case "cancelled":
        return { ...base, type: "run-cancelled", by: e.by };
      case "run-finished":
        return { ...base, type: "run-finished", status: e.status, error: e.error };
      case "observed":
        return undefined;
      case "step-queued":
        this.learn(e);
        return { ...this.step(base, e.key), type: "step-queued" };
      case "step-started":
        this.learn(e);
        return { ...this.step(base, e.key), type: "step-started" };
      case "attempt-failed":
        return { ...this.ended(base, e.key), type: "attempt-failed", error: e.error, retryInMs: e.retryInMs };
      case "step-finished":
        return { ...this.ended(base, e.key), type: "step-finished", ...spent(e.result) };
      case "step-failed":
        return { ...this.ended(base, e.key), type: "step-failed", error: e.error };
      case "waiting":
        return { ...this.step(base, e.key), type: "gate-waiting", question: e.question };
      case "decided":
        return { ...this.step(base, e.key), type: "gate-decided", decision: { approved: e.approved, reason: e.reason, by: e.by } };
      case "escalated":
        return { ...this.step(base, e.key), type: "escalated", message: e.message };
    }
  }

  private labelOf(key: string): { label?: string } {
    const label = this.attempts.get(key)?.label;
    return label !== undefined ? { label } : {};
  }

  private step(base: Base, key: string): OfStep {
    const known = this.attempts.get(key);
    const at = this.locate(key);
    const step: OfStep = {
      run: base.run,
      seq: base.seq,
      at: base.at,
      key,
      parent: parentKey(key),
      workflow: at?.workflow ?? null,
      node: at?.node ?? null,
      attempt: known?.attempt ?? 1,
    };
    return known?.label !== undefined ? { ...step, label: known.label } : step;
  }

  private locate(key: string): { workflow: string; node: string } | null {
    if (!this.ir) return null;
    const shape = key.replace(/\[\d+\]|#\d+/g, "");
    let found = this.located.get(shape);
    if (found === undefined) {
      const at = locateKey(this.ir, this.workflow, shape);
      found = at ? { workflow: at.workflow, node: at.node.id } : null;
      this.located.set(shape, found);
    }
    return found;
  }

  private ended(base: Base, key: string): AttemptEnd {
    const startedAt = this.attempts.get(key)?.startedAt;
    return { ...this.step(base, key), ...(startedAt !== undefined ? { startedAt } : {}) };
  }
}

/** An agent reply's cost and tokens, as its result records them. */
function spent(result: unknown): { cost?: number; tokens?: Tokens } {
  if (typeof result !== "object" || result === null) return {};
  const r = result as { cost?: unknown; tokens?: { input?: unknown; output?: unknown } };
  if (typeof r.cost !== "number" || typeof r.tokens?.input !== "number" || typeof r.tokens.output !== "number") return {};
  return { cost: r.cost, tokens: { input: r.tokens.input, output: r.tokens.output } };
}

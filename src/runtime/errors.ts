import type { Tokens } from "./agents/types.js";

/**
 * Why a step or a run failed. A `StepError` is thrown by actions and the evaluator; the scheduler
 * records it as a `Failure { kind, step, message }` (the value a `catch e` block sees).
 */

export type FailureKind =
  /** A step's own failure: non-zero exit with `check: true`, an agent error, `fail(msg)`. */
  | "failed"
  /** The step ran past its `timeout`. */
  | "timeout"
  /** `repeat max N` ran N rounds without its `until` holding, and had no `else`. */
  | "exhausted"
  /** An agent's reply did not match the step's `output:` type. */
  | "invalid_output"
  /** An `approve` was rejected by timeout with `onTimeout: "fail"`. */
  | "rejected"
  /** The run or the step was cancelled (a sibling branch failed, `cmc cancel`). */
  | "cancelled"
  /** The run's `--budget` was spent before an agent step could start. */
  | "budget"
  /** A runtime check failed: a path outside the workspace, a `json` field that is missing, a bad value. */
  | "runtime"
  /** On resume, the world answered differently than the run had recorded (a long `read` whose text changed). */
  | "nondeterminism";

export class StepError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Whether another attempt (`retry:`) may succeed. */
    readonly retryable: boolean = kind === "failed" || kind === "timeout" || kind === "invalid_output",
    /** What the failed attempt cost in USD (an agent that replied, then failed): it counts against the budget. */
    readonly cost: number = 0,
    /** The tokens that failed attempt used, reported alongside its cost. */
    readonly tokens: Tokens = { input: 0, output: 0 },
  ) {
    super(message);
    this.name = "StepError";
  }
}

/**
 * The seam between the driver and whatever runs a step's action: the driver resolves a step into a
 * `StepRequest` and hands it to an `Executor`, which takes a slot, starts the step's timeout, runs
 * the action and gives back a `StepOutcome`; the driver journals what comes back. Requests and
 * outcomes are plain JSON, and everything an executor calls back (`started`, `progress`, the log)
 * is a message, so an executor may run steps in another process or on another machine.
 */
import type { AgentValue, AskRequest, Tokens } from "../agents/types.js";
import type { ShellRequest } from "../actions/types.js";

export type StepAction =
  | ({ readonly kind: "sh" } & ShellRequest)
  | ({
      readonly kind: "ask";
      /** The agent as played (a role already resolved to its CLI, the config's defaults applied). */
      readonly agent: AgentValue;
    } & AskRequest);

/** One attempt of one step instance, fully resolved. */
export interface StepRequest {
  /** `run/step/attempt`: the same request is never meant to run twice; an executor may deduplicate by it. */
  readonly id: string;
  readonly run: string;
  readonly key: string;
  readonly attempt: number;
  readonly action: StepAction;
  /** Milliseconds from the moment the step starts (its slot taken), not from when it was requested. */
  readonly timeoutMs?: number;
  /** The absolute workspace folder; relative paths resolve against it. */
  readonly workspace: string;
  readonly allowOutside: boolean;
  /** Variables set for every process the step starts (`CMC_RUN_ID`, `CMC_STEP`, …). */
  readonly processEnv: Readonly<Record<string, string>>;
}

/** An attempt's failure as data: what `StepError` carries. */
export interface StepFailureData {
  readonly kind: string;
  readonly message: string;
  /** Whether another attempt (`retry:`) may succeed. */
  readonly retryable: boolean;
  /** What the attempt cost before it failed (an agent that replied, then failed). */
  readonly cost: number;
  readonly tokens: Tokens;
}

export type StepOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: StepFailureData };

/** Live progress of an attempt: an agent's latest message, its cost and tokens so far. */
export interface StepProgress {
  readonly message?: string;
  readonly cost?: number;
  readonly tokens?: Tokens;
}

/** Where an attempt's output goes, in order. */
export interface LogSink {
  write(chunk: string | Uint8Array): void;
  close(): Promise<void>;
}

/** What the driver offers an executor while one request runs. */
export interface StepIO {
  /** Aborted (with a `StepError` or a run-stopping reason) when the step must stop. */
  readonly signal: AbortSignal;
  /** The step cannot start at once (no free slot, no idle worker). */
  queued(): void;
  /** The step starts now; resolves once that is recorded. The action must not begin before. */
  started(): Promise<void>;
  /** The step's log (its file is made at the first write); called once the step has started. */
  openLog(): LogSink;
  progress(update: StepProgress): void;
}

export interface Executor {
  /**
   * Runs the request's action. Resolves with its outcome, a failure included (a timeout is kind
   * `timeout`, a stop by `signal` kind `cancelled`); rejects only with what `io.started` threw.
   */
  execute(request: StepRequest, io: StepIO): Promise<StepOutcome>;
}

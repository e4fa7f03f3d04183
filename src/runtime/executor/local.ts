/**
 * The executor that runs steps in this process: at most `concurrency` at once (one limit over the
 * whole run, so nested fan-outs cannot deadlock), each attempt's timeout counted from when it takes
 * its slot.
 */
import { ask } from "../agents/index.js";
import { runShell } from "../actions/sh.js";
import type { ActionContext } from "../actions/types.js";
import { StepError } from "../errors.js";
import { formatDuration } from "../scheduler/format.js";
import { Limiter } from "../scheduler/limiter.js";
import { systemClock, type Clock } from "../scheduler/timers.js";
import type { Executor, StepFailureData, StepIO, StepOutcome, StepRequest } from "./types.js";

/** What runs an action once its step has started: the real actions, or a test's. */
export type Perform = (request: StepRequest, ctx: ActionContext) => Promise<unknown>;

export interface LocalExecutorOptions {
  readonly concurrency: number;
  readonly clock?: Clock;
  readonly perform?: Perform;
}

export class LocalExecutor implements Executor {
  private readonly limiter: Limiter;
  private readonly clock: Clock;
  private readonly perform: Perform;

  constructor(o: LocalExecutorOptions) {
    this.limiter = new Limiter(o.concurrency);
    this.clock = o.clock ?? systemClock;
    this.perform = o.perform ?? performAction;
  }

  execute(request: StepRequest, io: StepIO): Promise<StepOutcome> {
    return this.limiter.run(() => this.run(request, io), () => io.queued());
  }

  private async run(request: StepRequest, io: StepIO): Promise<StepOutcome> {
    if (io.signal.aborted) return { ok: false, error: failureOf(io.signal.reason) };
    await io.started();
    // Without a timeout the step listens to the driver's signal directly: a combined signal per
    // attempt costs a controller, an `AbortSignal.any` and listeners on every step of a long chain.
    let signal = io.signal;
    let timer: { cancel(): void } | undefined;
    const { timeoutMs } = request;
    if (timeoutMs !== undefined) {
      const timeout = new AbortController();
      timer = this.clock.after(timeoutMs, () =>
        timeout.abort(new StepError("timeout", `step \`${request.key}\` timed out after ${formatDuration(timeoutMs)}`)),
      );
      signal = AbortSignal.any([io.signal, timeout.signal]);
    }
    const log = io.openLog();
    // A step's attempts share its log: each later one starts under a line of its own.
    if (request.attempt > 1) log.write(`[cmc] attempt ${request.attempt}\n`);
    try {
      if (signal.aborted) throw signal.reason;
      const ctx: ActionContext = {
        signal,
        log,
        workspace: request.workspace,
        allowOutside: request.allowOutside,
        processEnv: request.processEnv,
        progress: (update) => io.progress(update),
      };
      return { ok: true, value: await this.perform(request, ctx) };
    } catch (error) {
      return { ok: false, error: failureOf(error) };
    } finally {
      timer?.cancel();
      await log.close();
    }
  }
}

/** The real actions: `sh` and an agent's `ask`. */
export function performAction(request: StepRequest, ctx: ActionContext): Promise<unknown> {
  const { action } = request;
  if (action.kind === "sh") {
    const { kind: _sh, ...shell } = action;
    return runShell(shell, ctx);
  }
  const { kind: _ask, agent, ...req } = action;
  return ask(agent, req, ctx);
}

/**
 * An attempt's failure as data (what crosses a process boundary). A stop from outside the step
 * (an interrupt, a cancel) also comes back as one: the driver knows it from its own signal.
 */
export function failureOf(error: unknown): StepFailureData {
  if (error instanceof StepError) {
    return { kind: error.kind, message: error.message, retryable: error.retryable, cost: error.cost, tokens: error.tokens };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "failed", message, retryable: true, cost: 0, tokens: { input: 0, output: 0 } };
}

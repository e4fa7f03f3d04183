/**
 * The driver walks a workflow's IR and runs it. It alone writes a run's journal: every transition is
 * appended (and durable) before the next thing happens, and on resume every step the journal says
 * finished is replayed from its recorded result instead of being run again.
 *
 * A step instance is keyed by its name plus its position: `build[2]` (third item of a `for`),
 * `plan#1` (second round of a `repeat`), `call/inner` (a step of a sub-workflow run by step `call`).
 */
import { createHash } from "node:crypto";
import { setImmediate as yieldTurn } from "node:timers/promises";
import type { IrAction, IrExpr, IrNode, IrProgram, IrRegion, IrWorkflow, OnTimeout } from "../../compiler/ir/ir.js";
import { stepNamesIn } from "../../compiler/ir/walk.js";
import type { Type } from "../../compiler/types.js";
import { StepError } from "../errors.js";
import { spendingCap } from "../agents/index.js";
import { Budget } from "./budget.js";
import { NO_AGENT_SETTINGS, playAgent } from "../config/index.js";
import { validateOutput } from "../agents/output.js";
import { isAgentValue, type AgentValue, type AskRequest, type Reply, type Tokens } from "../agents/types.js";
import { stepProcessEnv } from "../actions/leftover-processes.js";
import type { ShellRequest } from "../actions/types.js";
import type { Executor, LogSink, StepAction, StepOutcome } from "../executor/types.js";
import { createStepLog, StoreError } from "../store/index.js";
import type { JournalEventBody, RunError, RunMode, RunRecord, Store } from "../store/types.js";
import { describeValue, evaluate, interpolate, Scope, type EvalEnv } from "./evaluate.js";
import { formatDuration } from "./format.js";
import { sleep, systemClock, type Clock } from "./timers.js";
import { type Decision, JournalState, startInputs, type StepRecord } from "./journal-state.js";
import { mapLimited } from "./limiter.js";
import { Cancelled, Interrupted, Park, Returned, StepFailure } from "./signals.js";

/**
 * What the driver tells whoever shows progress, live, beyond what it journals (the journal's
 * transitions reach a display as observations, see `service/observations.ts`).
 */
export type Activity =
  | {
      readonly type: "agent";
      readonly key: string;
      readonly message?: string;
      readonly cost?: number;
      readonly tokens?: Tokens;
    }
  | { readonly type: "notice"; readonly message: string };

/** A question for a person at the terminal: an `approve` gate, or (interactive mode) a step about to start. */
export interface HumanQuestion {
  readonly key: string;
  readonly question: string;
  readonly kind: "approve" | "start";
}

export interface DriverOptions {
  readonly store: Store;
  readonly run: RunRecord;
  readonly ir: IrProgram;
  readonly state: JournalState;
  /** Runs the steps' actions (`sh`, `ask`); the driver journals what comes back. */
  readonly executor: Executor;
  /** `cmc resume --refresh`: finished steps whose inputs changed run again instead of failing the resume. */
  readonly refresh?: boolean;
  /** Backoffs, gate deadlines and sub-workflow timeouts; the system's by default. */
  readonly clock?: Clock;
  readonly activity: (event: Activity) => void;
  /** Present when a person at a terminal can answer gates inline. */
  readonly askHuman?: (q: HumanQuestion, signal: AbortSignal) => Promise<Decision>;
  /** Aborted with `Interrupted` or `Cancelled` to stop the run. */
  readonly signal: AbortSignal;
  /** Told once when `activity` threw: it is not called again, and the run goes on. */
  readonly warn?: (message: string) => void;
}

interface Frame {
  readonly workflow: IrWorkflow;
  /** `call/` for the steps of a sub-workflow run by step `call`. */
  readonly prefix: string;
  /** Loop positions: `[2]`, `#1`, in nesting order. */
  readonly suffix: string;
  readonly scope: Scope;
  /** Aborted when this part of the run must stop (a sibling branch failed, a timeout, an interrupt). */
  readonly cancel: AbortSignal;
}

export type Outcome =
  | { readonly status: "succeeded"; readonly result: unknown }
  | { readonly status: "failed"; readonly error: RunError }
  | { readonly status: "waiting" | "escalated" | "cancelled" | "interrupted" };

/** How long a gate waits on one file notification of a commit before it reads the journal anyway. */
const GATE_SAFETY_MS = 10_000;

/**
 * A `read` longer than this is journaled as its digest, not its text: it stays within one LMDB page
 * (lmdb-js 3.5 can crash in glibc when a full disk refuses the write of a value on overflow pages).
 */
const OBSERVED_TEXT_MAX = 1024;

function digestOf(value: unknown): string {
  return createHash("sha256").update(typeof value === "string" ? value : JSON.stringify(value)).digest("hex");
}
/**
 * Regions entered between two turns of the event loop. A loop whose body runs no step only awaits
 * promises that are already resolved, which never lets a signal or `cmc cancel` in: every this
 * many regions the driver yields once (a `setImmediate`, ≈ microseconds), then checks for cancel.
 */
const REGIONS_PER_TURN = 1024;

export class Driver {
  private readonly clock: Clock;
  private readonly globals = new Map<string, unknown>();
  private cost: number;
  private regions = 0;

  /** `activity` threw once: a broken display must not fail steps, nor escape as an uncaught exception. */
  private activityBroken = false;
  /** A step's log could not be written: said once per run. */
  private logWarned = false;

  /** With `--budget`: what agent attempts in flight have reserved of it. */
  private readonly budget: Budget | undefined;

  constructor(private readonly o: DriverOptions) {
    this.clock = o.clock ?? systemClock;
    this.cost = o.run.cost;
    const limit = o.run.options.budget;
    this.budget = limit === undefined ? undefined : new Budget(limit, () => this.cost);
  }

  /**
   * Runs (or continues) the run's workflow to an outcome. Never throws for anything the workflow
   * does; throws the `StoreError` of a store it can no longer write, the run left resumable.
   */
  async drive(): Promise<Outcome> {
    const workflow = this.o.ir.workflows[this.o.run.workflow];
    if (!workflow) {
      return { status: "failed", error: { kind: "runtime", step: null, message: `no workflow \`${this.o.run.workflow}\` in the run's program` } };
    }
    let outcome: Outcome;
    try {
      const result = await this.callWorkflow(workflow, startInputs(this.o.state, this.o.run), "", this.o.signal, true);
      outcome = { status: "succeeded", result };
    } catch (error) {
      // The store cannot be written (a full disk): nothing more can be recorded, so the run stops
      // as it stands, resumable, and the caller says why.
      if (error instanceof StoreError) throw error;
      outcome = this.outcomeOf(error);
    }
    try {
      await this.durable();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      return this.outcomeOf(error);
    }
    return outcome;
  }

  private outcomeOf(error: unknown): Outcome {
    if (error instanceof StepFailure) return { status: "failed", error: error.failure };
    if (error instanceof Park) return { status: error.status };
    if (error instanceof Interrupted) return { status: "interrupted" };
    if (error instanceof Cancelled) return { status: "cancelled" };
    if (error instanceof StepError) return { status: "failed", error: { kind: error.kind, step: null, message: error.message } };
    const message = error instanceof Error ? error.message : String(error);
    return { status: "failed", error: { kind: "runtime", step: null, message: `internal error: ${message}` } };
  }

  private observe(event: Activity): void {
    if (this.activityBroken) return;
    try {
      this.o.activity(event);
    } catch (error) {
      this.activityBroken = true;
      try {
        this.o.warn?.(`progress display failed and was turned off, the run goes on: ${error instanceof Error ? error.message : String(error)}`);
      } catch {
        // Nowhere left to say it.
      }
    }
  }

  // ─── Journal ──────────────────────────────────────────────────────────────

  /**
   * Step results appended but not yet known to be durable (see `journalResult`). Every transition
   * waits for them, and so does the end of `drive`; a failed one stays here and fails them all.
   */
  private readonly undurable = new Set<Promise<unknown>>();

  /** Tracks a write that is not awaited where it is made: every later transition waits for it. */
  private pending(write: Promise<unknown>): void {
    this.undurable.add(write);
    write.then(
      () => this.undurable.delete(write),
      () => undefined, // kept: the next transition or the end of the run reports it
    );
  }

  private async journal(event: JournalEventBody): Promise<void> {
    const seq = await this.o.store.append(this.o.run.id, event);
    // Appends commit in order, so the earlier results are durable too; this surfaces their errors.
    await this.durable();
    this.o.state.apply({ ...event, seq, at: Date.now() } as never);
  }

  /**
   * Appends a step's result without waiting for its commit, so that it shares one transaction (one
   * fsync) with the next transition, which cannot happen before both are durable.
   */
  private journalResult(event: JournalEventBody & { type: "step-finished" }): void {
    const append = this.o.store.append(this.o.run.id, event);
    this.pending(append);
    append.then(
      (seq) => this.o.state.apply({ ...event, seq, at: Date.now() } as never),
      () => undefined, // reported by the next transition or the end of the run (see `pending`)
    );
  }

  /** Resolves once every step result appended so far is durable; rejects if one could not be written. */
  private async durable(): Promise<void> {
    if (this.undurable.size > 0) await Promise.all([...this.undurable]);
  }

  // ─── Workflows and regions ────────────────────────────────────────────────

  private async callWorkflow(
    workflow: IrWorkflow,
    args: Readonly<Record<string, unknown>>,
    prefix: string,
    cancel: AbortSignal,
    fromInputs: boolean,
  ): Promise<unknown> {
    const scope = new Scope();
    const frame: Frame = { workflow, prefix, suffix: "", scope, cancel };
    // A `json` value passes the checker anywhere; it is checked where it meets a declared type.
    const call = prefix === "" ? null : prefix.slice(0, -1);
    for (const param of workflow.params) {
      if (Object.hasOwn(args, param.name)) scope.vars.set(param.name, fromInputs ? args[param.name] : typed(param.type, args[param.name], `argument \`${param.name}\``, call));
      else if (param.default) scope.vars.set(param.name, this.eval(param.default, frame, workflow.id));
      else if (fromInputs && param.type.kind !== "optional") throw new StepFailure({ kind: "runtime", step: null, message: `missing input \`${param.name}\`` });
      else scope.vars.set(param.name, null);
    }
    try {
      await this.region(workflow.body, frame);
      return null;
    } catch (error) {
      if (!(error instanceof Returned)) throw error;
      return workflow.returns ? typed(workflow.returns, error.value, `the result of \`${workflow.name}\``, call) : error.value;
    }
  }

  private async region(region: IrRegion, frame: Frame): Promise<void> {
    if (++this.regions % REGIONS_PER_TURN === 0) {
      await yieldTurn();
      this.checkCancel(frame);
    }
    for (const node of region.nodes) {
      const pending = this.node(node, frame);
      if (pending) await pending;
    }
  }

  /** The evaluation environment at `where` (a step instance key, or a node's key in the frame). */
  private env(frame: Frame, where: string, scope: Scope = frame.scope): EvalEnv {
    return {
      scope,
      workspace: this.o.run.workspace,
      allowOutside: this.o.run.options.allowOutside,
      global: (id) => this.global(id),
      observe: (call, read) => this.worldRead(`${where} ${call}`, call, read),
    };
  }

  /**
   * A world-reading built-in: answered from the journal when this run asked it before (so a resume
   * replays loops and conditions as they ran), else read and journaled with the next transition.
   */
  private worldRead(key: string, call: string, read: () => unknown): unknown {
    const known = this.o.state.observations.get(key);
    if (known !== undefined && known.digest === undefined) return known.value;
    const value = read();
    if (known?.digest !== undefined) {
      if (digestOf(value) !== known.digest) {
        throw new StepError(
          "nondeterminism",
          `${call} reads different text than when this run first read it: the run cannot be resumed as it ran; restore the file, or start the workflow again with \`cmc run\``,
          false,
        );
      }
      return value;
    }
    const event: JournalEventBody =
      typeof value === "string" && value.length > OBSERVED_TEXT_MAX ? { type: "observed", key, digest: digestOf(value) } : { type: "observed", key, value };
    this.o.state.apply({ ...event, seq: -1, at: Date.now() } as never);
    this.pending(this.o.store.append(this.o.run.id, event));
    return value;
  }

  private global(id: string): unknown {
    if (this.globals.has(id)) return this.globals.get(id);
    const expr = this.o.ir.globals[id];
    if (!expr) throw new StepError("runtime", `unknown global \`${id}\``);
    // A value that failed is not kept: a later use (after a `try` caught the first) fails again.
    const value = evaluate(expr, this.env({ scope: new Scope() } as Frame, `global:${id}`));
    this.globals.set(id, value);
    return value;
  }

  /** Evaluates outside any step: a runtime error fails the run at node `where`. */
  private eval(expr: IrExpr, frame: Frame, where: string, scope?: Scope): unknown {
    return this.evalAs(expr, frame, where, asIs, scope);
  }

  /** `eval`, then `check` on the value (which a `json` value or an input may not fit): its runtime error fails at `where` too. */
  private evalAs<T>(expr: IrExpr, frame: Frame, where: string, check: (value: unknown) => T, scope?: Scope): T {
    try {
      return check(evaluate(expr, this.env(frame, frame.prefix + where + frame.suffix, scope)));
    } catch (error) {
      if (error instanceof StepError) {
        throw new StepFailure({ kind: error.kind, step: frame.prefix + where + frame.suffix, message: error.message });
      }
      throw error;
    }
  }

  private checkCancel(frame: Frame): void {
    if (!frame.cancel.aborted) return;
    const reason: unknown = frame.cancel.reason;
    if (stopsTheRun(reason)) throw reason;
    throw new StepFailure({ kind: "cancelled", step: null, message: "cancelled" });
  }

  /**
   * Runs one node. What needs no waiting (a `let`, a `fail`, a finished step replayed) is done
   * before it returns, without a promise: a resume walks thousands of finished steps.
   */
  private node(node: IrNode, frame: Frame): Promise<void> | undefined {
    this.checkCancel(frame);
    switch (node.kind) {
      case "step":
        return this.replayed(node, frame) ? undefined : this.step(node, frame);
      case "let":
        frame.scope.vars.set(node.name, this.eval(node.value, frame, node.id));
        return undefined;
      case "fail":
        throw new StepFailure({
          kind: "failed",
          step: frame.prefix + node.id + frame.suffix,
          message: String(this.eval(node.message, frame, node.id)),
        });
      case "return":
        throw new Returned(node.value ? this.eval(node.value, frame, node.id) : null);
      default:
        return this.block(node, frame);
    }
  }

  private async block(node: Exclude<IrNode, { kind: "step" | "let" | "fail" | "return" }>, frame: Frame): Promise<void> {
    switch (node.kind) {
      case "if": {
        const child = new Scope(frame.scope);
        let chosen: IrRegion | undefined = node.otherwise;
        for (const arm of node.arms) {
          if (this.evalAs(arm.condition, frame, node.id, asBool)) {
            chosen = arm.region;
            break;
          }
        }
        try {
          if (chosen) await this.region(chosen, { ...frame, scope: child });
        } finally {
          for (const name of node.steps) frame.scope.steps.set(name, child.steps.get(name) ?? null);
        }
        return;
      }
      case "parallel": {
        const limit = node.limit ? this.evalAs(node.limit, frame, node.id, atLeastOne("a `parallel` limit")) : node.branches.length;
        const scopes = node.branches.map(() => new Scope(frame.scope));
        await this.fanOut(node.branches, limit, frame, (branch, i, cancel) =>
          this.region(branch, { ...frame, scope: scopes[i] as Scope, cancel }),
        );
        for (const scope of scopes) for (const [name, value] of scope.steps) frame.scope.steps.set(name, value);
        return;
      }
      case "for":
        return this.forLoop(node, frame);
      case "repeat":
        return this.repeatLoop(node, frame);
      case "try": {
        const body = new Scope(frame.scope);
        const handler = new Scope(frame.scope);
        const bind = () => {
          for (const name of node.steps) frame.scope.steps.set(name, body.steps.get(name) ?? handler.steps.get(name) ?? null);
        };
        try {
          await this.region(node.body, { ...frame, scope: body });
        } catch (error) {
          if (!(error instanceof StepFailure)) throw error;
          handler.vars.set(node.errorName, { ...error.failure, step: error.failure.step ?? "" });
          try {
            await this.region(node.handler, { ...frame, scope: handler });
          } finally {
            bind();
          }
          return;
        }
        bind();
        return;
      }
      case "escalate":
        return this.escalate(node.id, node.message, frame);
    }
  }

  /**
   * Runs `task` for every item, at most `limit` at once. The first failure cancels the others; the
   * block then fails with it. A branch that parks lets the others finish, then the block parks.
   */
  private async fanOut<T>(
    items: readonly T[],
    limit: number,
    frame: Frame,
    task: (item: T, index: number, cancel: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const controller = new AbortController();
    const onParent = () => controller.abort(frame.cancel.reason);
    if (frame.cancel.aborted) onParent();
    frame.cancel.addEventListener("abort", onParent, { once: true });
    let firstFailure: unknown;
    try {
      const settled = await mapLimited(items, Math.max(1, limit), async (item, i) => {
        if (controller.signal.aborted) this.checkCancel({ ...frame, cancel: controller.signal });
        try {
          await task(item, i, controller.signal);
        } catch (error) {
          if (!(error instanceof Park) && firstFailure === undefined) {
            firstFailure = error;
            controller.abort(error instanceof StepFailure ? new StepError("cancelled", "a sibling branch failed") : error);
          }
          throw error;
        }
      });
      if (firstFailure !== undefined) throw firstFailure;
      const parked = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (parked) throw parked.reason;
    } finally {
      frame.cancel.removeEventListener("abort", onParent);
    }
  }

  private async forLoop(node: Extract<IrNode, { kind: "for" }>, frame: Frame): Promise<void> {
    const items = this.eval(node.items, frame, node.id);
    if (!Array.isArray(items)) {
      throw new StepFailure({ kind: "runtime", step: frame.prefix + node.id + frame.suffix, message: "`for` needs a list" });
    }
    const scopes = items.map((item) => {
      const scope = new Scope(frame.scope);
      scope.vars.set(node.variable, item);
      return scope;
    });
    const iteration = (i: number, cancel: AbortSignal) =>
      this.region(node.body, { ...frame, scope: scopes[i] as Scope, suffix: `${frame.suffix}[${i}]`, cancel });
    try {
      if (node.parallel) {
        const limit = node.limit ? this.evalAs(node.limit, frame, node.id, atLeastOne("a `parallel` limit")) : items.length;
        await this.fanOut(items, limit, frame, (_item, i, cancel) => iteration(i, cancel));
      } else {
        for (let i = 0; i < items.length; i++) await iteration(i, frame.cancel);
      }
    } finally {
      for (const name of node.steps) frame.scope.steps.set(name, scopes.map((s) => s.steps.get(name) ?? null));
    }
  }

  private async repeatLoop(node: Extract<IrNode, { kind: "repeat" }>, frame: Frame): Promise<void> {
    const max = this.evalAs(node.max, frame, node.id, atLeastOne("`repeat max`"));
    let prev = new Map<string, unknown>();
    let last: Scope | undefined;
    // The `else` block's steps are `T?` after the loop: none unless the block ran.
    const elseSteps = node.otherwise ? stepNamesIn(node.otherwise) : [];
    const bindLast = (otherwise?: Scope) => {
      for (const name of node.steps) frame.scope.steps.set(name, last?.steps.get(name) ?? null);
      for (const name of elseSteps) frame.scope.steps.set(name, otherwise?.steps.get(name) ?? null);
    };
    for (let round = 0; round < max; round++) {
      const scope = new Scope(frame.scope, { steps: node.steps, results: prev });
      last = scope;
      try {
        await this.region(node.body, { ...frame, scope, suffix: `${frame.suffix}#${round}` });
      } catch (error) {
        bindLast();
        throw error;
      }
      if (this.evalAs(node.until, frame, node.id, asBool, scope)) {
        bindLast();
        return;
      }
      prev = new Map(scope.steps);
    }
    bindLast();
    if (node.otherwise) {
      const otherwise = new Scope(frame.scope);
      try {
        await this.region(node.otherwise, { ...frame, scope: otherwise });
      } finally {
        bindLast(otherwise);
      }
      return;
    }
    throw new StepFailure({
      kind: "exhausted",
      step: frame.prefix + node.id + frame.suffix,
      message: `the loop ran ${max} round${max === 1 ? "" : "s"} without its \`until\` condition holding`,
    });
  }

  private async escalate(id: string, message: IrExpr, frame: Frame): Promise<void> {
    const key = frame.prefix + id + frame.suffix;
    if (this.o.state.decisions.has(key)) return;
    const text = String(this.eval(message, frame, id));
    if (!this.o.state.escalations.has(key)) await this.journal({ type: "escalated", key, message: text });
    throw new Park("escalated");
  }

  // ─── Steps ────────────────────────────────────────────────────────────────

  /**
   * Replays a finished step from its record while it would start with the same inputs: true when
   * it did (a failed one throws its failure again), false when the step is to run.
   */
  private replayed(node: Extract<IrNode, { kind: "step" }>, frame: Frame): boolean {
    const key = frame.prefix + node.name + frame.suffix;
    const record = this.o.state.steps.get(key);
    if (!(record?.status === "succeeded" || (record?.status === "failed" && record.error !== undefined))) return false;
    const changed = node.action.kind !== "approve" ? this.changedInputs(key, node.action, record, frame) : undefined;
    if (changed !== undefined && !this.o.refresh) {
      throw new StepFailure({
        kind: "nondeterminism",
        step: key,
        message: `step \`${key}\` would start with other inputs than it ran with (${changed}): the run cannot be resumed as it ran; \`cmc resume --refresh\` runs again the steps whose inputs changed`,
      });
    }
    // With `--refresh` a sub-workflow is walked again, so its own steps are held to their inputs.
    if (changed !== undefined || (this.o.refresh && node.action.kind === "call")) return false;
    if (record.status === "failed" && record.error) throw new StepFailure(record.error);
    frame.scope.steps.set(node.name, record.result);
    return true;
  }

  /** Runs a step that `replayed` did not: its attempts, or its gate. */
  private async step(node: Extract<IrNode, { kind: "step" }>, frame: Frame): Promise<void> {
    const key = frame.prefix + node.name + frame.suffix;
    const record = this.o.state.steps.get(key);
    const options = this.stepOptions(node, frame);
    if (node.action.kind === "approve") {
      frame.scope.steps.set(node.name, await this.approve(key, node.name, node.action, options, frame));
      return;
    }
    if (this.o.run.mode === "interactive") {
      const decision = await this.gate(`${key}@start`, `Start step \`${key}\`${options.label ? ` (${options.label})` : ""}?`, "start", undefined, "fail", frame);
      if (!decision.approved) {
        const error: RunError = { kind: "rejected", step: key, message: `not started: rejected by ${decision.by}${decision.reason ? `: ${decision.reason}` : ""}` };
        await this.journal({ type: "step-failed", key, error });
        throw new StepFailure(error);
      }
    }
    // A call resumed after its sub-run parked (or its driver died), or walked again by `--refresh`,
    // continues that sub-run: the same attempt, not a new one.
    const continues = node.action.kind === "call" && record !== undefined && record.attempts > record.failures;
    const attemptsSoFar = (record?.attempts ?? 0) - (continues ? 1 : 0);
    const result = await this.attempts(key, node.action, options, frame, attemptsSoFar, record?.failures ?? 0);
    frame.scope.steps.set(node.name, result);
  }

  /**
   * How a finished step's inputs, evaluated now, differ from those its last attempt recorded
   * (`command` was "make a", now "make b"); undefined when they are the same. Evaluating them
   * reads the world as the journal says, so they differ only when the program's inputs to the step
   * did: a changed `read` or a cmc that evaluates differently, or `--refresh`.
   */
  private changedInputs(key: string, action: AttemptedAction, record: StepRecord, frame: Frame): string | undefined {
    if (record.inputs === undefined) return undefined;
    let now: unknown;
    try {
      now = this.resolve(key, action, record.attempts, frame).inputs;
    } catch (error) {
      if (!(error instanceof StepError)) throw error;
      return `its inputs cannot be evaluated: ${error.message}`;
    }
    // Compared as values first: a resume replays every finished step, and hashing each one's inputs
    // again was most of that. Only a difference found that way is confirmed by their digests.
    if (sameJson(now, record.inputs) || inputsDigest(now) === inputsDigest(record.inputs)) return undefined;
    return describeChange(record.inputs, now);
  }

  private stepOptions(node: Extract<IrNode, { kind: "step" }>, frame: Frame) {
    const o = node.options;
    const option = (expr: IrExpr, name: string): number => this.evalAs(expr, frame, node.name, notNegative(name));
    return {
      timeout: o.timeout ? this.evalAs(o.timeout, frame, node.name, aboveZero) : undefined,
      retry: o.retry ? option(o.retry, "retry") : 0,
      backoff: o.backoff ? option(o.backoff, "backoff") : 2000,
      label: o.label ? String(this.eval(o.label, frame, node.name)) : undefined,
    };
  }

  /** Runs a step's attempts: journal start, run under the concurrency limit and timeout, retry with backoff. */
  private async attempts(
    key: string,
    action: AttemptedAction,
    options: ReturnType<Driver["stepOptions"]>,
    frame: Frame,
    attemptsSoFar: number,
    failuresSoFar: number,
  ): Promise<unknown> {
    let attempt = attemptsSoFar;
    let failures = failuresSoFar;
    for (;;) {
      this.checkCancel(frame);
      attempt++;
      // The executor times `sh` and `ask` from when they take their slot; a sub-workflow runs here.
      let timer: { cancel(): void } | undefined;
      let signal = frame.cancel;
      if (options.timeout !== undefined && action.kind === "call") {
        const timeout = new AbortController();
        timer = this.clock.after(options.timeout, () =>
          timeout.abort(new StepError("timeout", `step \`${key}\` timed out after ${formatDuration(options.timeout ?? 0)}`)),
        );
        signal = AbortSignal.any([frame.cancel, timeout.signal]);
      }
      try {
        const result = await this.runAction(key, action, attempt, failures, frame, signal, options);
        this.journalResult({ type: "step-finished", key, result });
        return result;
      } catch (raw) {
        if (stopsTheRun(raw) || raw instanceof Park || raw instanceof Returned) throw raw;
        if (frame.cancel.aborted) {
          // Stopped from outside this step: an interrupt, a cancel, a failed sibling, an enclosing timeout.
          const reason: unknown = frame.cancel.reason;
          if (stopsTheRun(reason)) throw reason;
          const failure: RunError = { kind: "cancelled", step: key, message: reason instanceof Error ? reason.message : "stopped" };
          await this.journal({ type: "step-failed", key, error: failure });
          throw new StepFailure(failure);
        }
        // A sub-workflow's failure keeps the inner step's name; it is retried like any step failure.
        const error = raw instanceof StepFailure ? new StepError(raw.failure.kind as never, raw.failure.message) : toStepError(raw);
        const failure: RunError =
          raw instanceof StepFailure ? raw.failure : { kind: error.kind, step: key, message: error.message };
        if (error.retryable && failures < options.retry) {
          const retryInMs = options.backoff * 2 ** failures;
          failures++;
          await this.journal({ type: "attempt-failed", key, attempt, error: failure, retryInMs });
          await sleep(retryInMs, frame.cancel, this.clock);
          continue;
        }
        await this.journal({ type: "step-failed", key, error: failure });
        throw new StepFailure(failure);
      } finally {
        timer?.cancel();
      }
    }
  }

  /** Counts what an agent attempt cost towards the run's cost (and its budget). */
  private spend(key: string, cost: number, tokens: Tokens): void {
    this.observe({ type: "agent", key, cost, tokens });
    if (cost <= 0) return;
    this.cost += cost;
    // Not awaited: it shares the commit of the step's result or failure, which follows in this event turn.
    this.pending(this.o.store.updateRun(this.o.run.id, { cost: this.cost }));
  }

  /** `failures` counts the step's failed attempts so far: a retry, unlike a resume, starts a sub-workflow afresh. */
  private async runAction(
    key: string,
    action: AttemptedAction,
    attempt: number,
    failures: number,
    frame: Frame,
    signal: AbortSignal,
    options: ReturnType<Driver["stepOptions"]>,
  ): Promise<unknown> {
    const step = this.resolve(key, action, attempt, frame);
    switch (step.kind) {
      case "sh":
        return settled(await this.execute(key, attempt, { kind: "sh", ...step.inputs }, step.inputs, signal, options));
      case "ask": {
        const { agent, request, inputs } = step;
        const reserved = await this.budget?.reserve(spendingCap(agent), signal);
        let cost = 0;
        try {
          // The conversation's earlier replies must be folded in: the last one may not be committed yet.
          if (request.session !== undefined) await this.durable();
          const sessionTokens = request.session !== undefined ? { sessionTokens: this.o.state.sessionTokens(request.session) } : {};
          const outcome = await this.execute(key, attempt, { kind: "ask", agent, ...request, ...sessionTokens }, inputs, signal, options);
          if (!outcome.ok) {
            // A failed attempt (an error result, invalid output) may still have been paid for.
            const { error } = outcome;
            if (error.cost > 0 || error.tokens.input > 0 || error.tokens.output > 0) this.spend(key, (cost = error.cost), error.tokens);
            return settled(outcome);
          }
          const reply = outcome.value as Reply;
          this.spend(key, (cost = reply.cost), reply.tokens);
          return reply;
        } finally {
          if (reserved !== undefined) this.budget?.settle(reserved, cost);
        }
      }
      case "call": {
        await this.started(key, attempt, step.inputs, options.label);
        // Keyed by retry, not by attempt: after a park or a crash the same sub-run continues, its
        // finished steps replayed and its decided gates kept; only a retry after a failure starts over.
        const prefix = `${key}${failures > 0 ? `~${failures + 1}` : ""}/`;
        try {
          return await this.callWorkflow(step.workflow, step.inputs, prefix, signal, false);
        } catch (error) {
          if (error instanceof StepFailure && signal.aborted && signal.reason instanceof StepError) throw signal.reason;
          throw error;
        }
      }
    }
  }

  /**
   * A step's inputs, evaluated for one attempt: what its `step-started` event records, and what the
   * executor or the sub-workflow gets.
   */
  private resolve(key: string, action: AttemptedAction, attempt: number, frame: Frame): ResolvedStep {
    const env = this.env(frame, `${key} attempt ${attempt}`);
    switch (action.kind) {
      case "sh": {
        const command = action.shell
          ? action.command.k === "str"
            ? interpolate(action.command.parts, env, true)
            : String(evaluate(action.command, env))
          : (evaluate(action.command, env) as unknown[]).map((a) => String(a));
        const inputs: ShellRequest = {
          command,
          cwd: action.cwd ? String(evaluate(action.cwd, env)) : undefined,
          env: action.env ? stringRecord(evaluate(action.env, env)) : undefined,
          stdin: action.stdin ? String(evaluate(action.stdin, env)) : undefined,
          check: action.check ? Boolean(evaluate(action.check, env)) : true,
        };
        return { kind: "sh", inputs };
      }
      case "ask": {
        const agent = evaluate(action.agent, env);
        if (!isAgentValue(agent)) throw new StepError("runtime", "`ask` needs an agent");
        const request = {
          prompt: String(evaluate(action.prompt, env)),
          ...(action.output ? { output: action.output } : {}),
          ...(action.session ? sessionOf(evaluate(action.session, env)) : {}),
          interactive: action.interactive ? Boolean(evaluate(action.interactive, env)) : false,
          ...(action.files ? { files: (evaluate(action.files, env) as unknown[]).map(String) } : {}),
        };
        const played = playAgent(agent, this.o.run.options.agents ?? NO_AGENT_SETTINGS);
        const role = played.role !== undefined ? { role: played.role } : {};
        return { kind: "ask", agent: played.agent, request, inputs: { agent: played.agent.$agent, options: played.agent.options, ...role, ...request } };
      }
      case "call": {
        const workflow = this.o.ir.workflows[action.workflow];
        if (!workflow) throw new StepError("runtime", `unknown workflow \`${action.workflow}\``, false);
        const inputs: Record<string, unknown> = {};
        for (const [name, expr] of Object.entries(action.args)) inputs[name] = evaluate(expr, env);
        return { kind: "call", workflow, inputs };
      }
    }
  }

  private async started(key: string, attempt: number, inputs: unknown, label: string | undefined): Promise<void> {
    await this.journal({ type: "step-started", key, attempt, inputs, ...(label ? { label } : {}) });
  }

  /**
   * Hands one attempt of a `sh` or `ask` step to the executor; `inputs` are what its `step-started`
   * event records, written when the executor starts it.
   */
  private execute(
    key: string,
    attempt: number,
    action: StepAction,
    inputs: unknown,
    signal: AbortSignal,
    options: ReturnType<Driver["stepOptions"]>,
  ): Promise<StepOutcome> {
    const { id } = this.o.run;
    const request = {
      id: `${id}/${key}/${attempt}`,
      run: id,
      key,
      attempt,
      action,
      ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
      workspace: this.o.run.workspace,
      allowOutside: this.o.run.options.allowOutside,
      processEnv: stepProcessEnv(this.o.store.dir, id, key),
    };
    return this.o.executor.execute(request, {
      signal,
      // Shares the commit of whatever comes next: waiting is no transition that must be durable first.
      queued: () => this.pending(this.o.store.append(id, { type: "step-queued", key, attempt })),
      started: () => this.started(key, attempt, inputs, options.label),
      openLog: () => this.openLog(key),
      progress: (update) => this.observe({ type: "agent", key, ...update }),
    });
  }

  /**
   * The step's log, created at its first write (most agent steps print nothing to it), or one that
   * keeps nothing when its folder cannot be made (said once). The log is a copy of the output:
   * failing to write it does not undo what the action did.
   */
  private openLog(key: string): LogSink {
    let log: ReturnType<typeof createStepLog> | undefined;
    let failed = false;
    const opened = (): ReturnType<typeof createStepLog> | undefined => {
      if (log === undefined && !failed) {
        try {
          log = createStepLog(this.o.store.logPath(this.o.run.id, key));
        } catch (error) {
          failed = true;
          this.logFailed(key, error);
        }
      }
      return log;
    };
    return {
      write: (chunk) => opened()?.write(chunk),
      close: () => (log === undefined ? Promise.resolve() : log.close().catch((error: unknown) => this.logFailed(key, error))),
    };
  }

  private logFailed(key: string, error: unknown): void {
    if (this.logWarned) return;
    this.logWarned = true;
    const why = error instanceof Error ? error.message : String(error);
    this.observe({ type: "notice", message: `warning: the log of step \`${key}\` could not be written (${why}); its result stands` });
  }

  // ─── Gates ────────────────────────────────────────────────────────────────

  private async approve(
    key: string,
    name: string,
    action: Extract<IrAction, { kind: "approve" }>,
    options: ReturnType<Driver["stepOptions"]>,
    frame: Frame,
  ): Promise<Decision> {
    const question = String(this.eval(action.question, frame, name));
    const onTimeout = typeof action.onTimeout === "string" ? action.onTimeout : this.evalAs(action.onTimeout, frame, name, asOnTimeout);
    const record = this.o.state.steps.get(key);
    if (!record) await this.started(key, 1, { question }, options.label);
    let decision: Decision;
    try {
      decision = await this.gate(key, question, "approve", options.timeout, onTimeout, frame);
    } catch (error) {
      if (!(error instanceof StepError)) throw error;
      const failure: RunError = { kind: error.kind, step: key, message: error.message };
      await this.journal({ type: "step-failed", key, error: failure });
      throw new StepFailure(failure);
    }
    await this.journal({ type: "step-finished", key, result: decision });
    return decision;
  }

  /**
   * A decision by a person: from the journal, from the mode, inline on a terminal (while also
   * watching the journal for `cmc approve`), or else the run parks as `waiting`.
   */
  private async gate(
    key: string,
    question: string,
    kind: HumanQuestion["kind"],
    timeout: number | undefined,
    onTimeout: OnTimeout,
    frame: Frame,
  ): Promise<Decision> {
    const known = this.o.state.decisions.get(key);
    if (known) return known;
    if (this.o.run.mode === "autonomous" && kind === "approve") {
      return this.decide(key, { approved: true, reason: "", by: "autonomous" });
    }
    if (!this.o.state.waitingSince.has(key)) await this.journal({ type: "waiting", key, question });
    const since = this.o.state.waitingSince.get(key) ?? this.clock.now();
    const deadline = timeout === undefined ? undefined : since + timeout;
    if (deadline !== undefined && this.clock.now() >= deadline) return this.timedOut(key, onTimeout, timeout ?? 0);
    if (!this.o.askHuman) throw new Park("waiting");

    const controller = new AbortController();
    const stop = () => controller.abort();
    frame.cancel.addEventListener("abort", stop, { once: true });
    try {
      const answer = await Promise.race([
        this.o.askHuman({ key, question, kind }, controller.signal).then((d) => ({ from: "human" as const, d })),
        this.watchJournal(key, controller.signal).then((d) => ({ from: "journal" as const, d })),
        ...(deadline !== undefined ? [sleep(deadline - this.clock.now(), controller.signal, this.clock).then(() => ({ from: "timeout" as const, d: undefined }))] : []),
      ]);
      if (answer.from === "timeout") return this.timedOut(key, onTimeout, timeout ?? 0);
      if (answer.from === "journal" && answer.d) return answer.d;
      if (!answer.d) throw new Park("waiting");
      return this.decide(key, answer.d);
    } catch (error) {
      this.checkCancel(frame);
      throw error;
    } finally {
      controller.abort();
      frame.cancel.removeEventListener("abort", stop);
    }
  }

  /** Records the driver's decision on a gate, unless someone decided it first: the first one stands. */
  private async decide(key: string, d: Decision): Promise<Decision> {
    await this.durable();
    const settled = await this.o.store.transact(this.o.run.id, (_run, events) => {
      const first = events().find((e) => e.type === "decided" && e.key === key);
      if (first?.type === "decided") return { value: { approved: first.approved, reason: first.reason, by: first.by } };
      return { value: d, append: [{ type: "decided", key, approved: d.approved, reason: d.reason, by: d.by }] };
    });
    this.o.state.apply({ type: "decided", key, ...settled, seq: -1, at: Date.now() });
    return settled;
  }

  private async timedOut(key: string, onTimeout: OnTimeout, timeout: number): Promise<Decision> {
    if (onTimeout === "fail") {
      throw new StepError("timeout", `no decision on \`${key}\` within ${formatDuration(timeout)}`);
    }
    return this.decide(key, { approved: onTimeout === "approve", reason: `no decision within ${formatDuration(timeout)}`, by: "timeout" });
  }

  /** Resolves when another process (`cmc approve`) records a decision for `key`: woken by each commit. */
  private async watchJournal(key: string, signal: AbortSignal): Promise<Decision | undefined> {
    while (!signal.aborted) {
      await this.o.store.nextCommit(signal, GATE_SAFETY_MS);
      if (signal.aborted) return undefined;
      for (const e of this.o.store.events(this.o.run.id)) {
        if (e.type === "decided" && e.key === key) {
          this.o.state.apply(e);
          return { approved: e.approved, reason: e.reason, by: e.by };
        }
      }
    }
    return undefined;
  }
}

/** An interrupt, a cancel, or a store that cannot be written: the run stops, and no step fails of it. */
function stopsTheRun(reason: unknown): boolean {
  return reason instanceof Interrupted || reason instanceof Cancelled || reason instanceof StoreError;
}

/** What a step runs, attempt by attempt (a gate is decided, not attempted). */
type AttemptedAction = Exclude<IrAction, { kind: "approve" }>;

type ResolvedStep =
  | { readonly kind: "sh"; readonly inputs: ShellRequest }
  | {
      readonly kind: "ask";
      readonly agent: AgentValue;
      readonly request: Omit<AskRequest, "sessionTokens">;
      readonly inputs: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: "call"; readonly workflow: IrWorkflow; readonly inputs: Record<string, unknown> };

/** Which fields of a step's inputs changed, and how: `\`command\` was "make a", now "make b"`. */
function describeChange(before: unknown, now: unknown): string {
  const fields = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v });
  const [a, b] = [fields(before), fields(now)];
  const changes = [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k]))
    .map((k) => `\`${k}\` was ${shown(a[k])}, now ${shown(b[k])}`);
  return changes.join("; ");
}

function shown(value: unknown): string {
  const text = value === undefined ? "unset" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** A step's resolved inputs as one SHA-256: the same inputs give the same digest, object keys in any order. */
export function inputsDigest(inputs: unknown): string {
  return createHash("sha256").update(canonicalJson(inputs)).digest("hex");
}

/**
 * Whether `a` and `b` have the same canonical JSON, for plain JSON values (strings, finite numbers,
 * booleans, null, arrays, plain objects, with `undefined` fields left out; a value is the same as
 * itself); false for anything else, which the caller then compares by digest.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  let fields = 0;
  for (const key in a) {
    const value = (a as Record<string, unknown>)[key];
    if (value === undefined) continue;
    fields++;
    if (!Object.hasOwn(b, key) || !sameJson(value, (b as Record<string, unknown>)[key])) return false;
  }
  for (const key in b) if ((b as Record<string, unknown>)[key] !== undefined) fields--;
  return fields === 0;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** An executor's outcome as the step's value, or its failure thrown as the `StepError` it was. */
function settled(outcome: StepOutcome): unknown {
  if (outcome.ok) return outcome.value;
  const { kind, message, retryable, cost, tokens } = outcome.error;
  throw new StepError(kind as never, message, retryable, cost, tokens);
}

function toStepError(error: unknown): StepError {
  if (error instanceof StepError) return error;
  return new StepError("failed", error instanceof Error ? error.message : String(error));
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = String(v);
  }
  return out;
}

function sessionOf(value: unknown): { session?: string } {
  return typeof value === "string" && value !== "" ? { session: value } : {};
}

const asIs = (value: unknown): unknown => value;

/** A condition (`if`, `until`) must be a bool; a `json` value gets past the checker. */
function asBool(value: unknown): boolean {
  if (typeof value !== "boolean") throw new StepError("runtime", `a condition must be a bool, got ${describeValue(value)}`);
  return value;
}

/** An `onTimeout:` given by an expression: the checker holds a literal to these three values only. */
function asOnTimeout(value: unknown): OnTimeout {
  if (value !== "fail" && value !== "approve" && value !== "reject") {
    throw new StepError("runtime", `onTimeout must be "fail", "approve" or "reject", got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A loop bound or parallel limit, which an input may have made 0 or negative. */
function atLeastOne(what: string): (value: unknown) => number {
  return (value) => {
    const n = Number(value);
    if (!(n >= 1)) throw new StepError("runtime", `${what} must be at least 1, got ${n}`);
    return n;
  };
}

/** `timeout`, `retry`, `backoff`: an input may make one negative, which the checker cannot see (E0329 for literals). */
function notNegative(name: string): (value: unknown) => number {
  return (value) => {
    const n = Number(value);
    if (!(n >= 0)) throw new StepError("runtime", `\`${name}\` cannot be negative, got ${n}`);
    return n;
  };
}

/** A `timeout` made zero by an input (E0329 for a literal): the step could only time out. */
function aboveZero(value: unknown): number {
  const n = notNegative("timeout")(value);
  if (n === 0) throw new StepError("runtime", "`timeout` cannot be zero: the step could only time out");
  return n;
}

/** `value` checked against a declared type (normalised as a reply is); a runtime failure at `step` if it does not fit. */
function typed(type: Type, value: unknown, subject: string, step: string | null): unknown {
  try {
    return validateOutput(type, value, subject);
  } catch (error) {
    if (error instanceof StepError) throw new StepFailure({ kind: "runtime", step, message: error.message });
    throw error;
  }
}

export type { RunMode };

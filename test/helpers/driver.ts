/**
 * The driver under test: a real LMDB store, a fake clock that moves only when every step in flight
 * waits on it, and steps run by the real `LocalExecutor` (slots, timeouts) over in-memory actions
 * that keep a log of their side effects instead of starting processes.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { nodeHost } from "../../src/cli/node-host.js";
import { compile } from "../../src/compiler/index.js";
import { StepError } from "../../src/runtime/errors.js";
import { LocalExecutor } from "../../src/runtime/executor/local.js";
import type { StepRequest } from "../../src/runtime/executor/types.js";
import { createRun, driveRun, type DriveHooks } from "../../src/runtime/run.js";
import type { Clock } from "../../src/runtime/scheduler/timers.js";
import { openStore, type RunRecord, type RunStore } from "../../src/runtime/store/index.js";

/** Time that passes only when `advance` says so; timers fire in deadline order. */
export class FakeClock implements Clock {
  private time = 1_700_000_000_000;
  private readonly timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): { cancel(): void } {
    const id = ++this.ids;
    this.timers.push({ at: this.time + Math.max(0, ms), fn, id });
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    return {
      cancel: () => {
        const i = this.timers.findIndex((t) => t.id === id);
        if (i !== -1) this.timers.splice(i, 1);
      },
    };
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves to the earliest timer's deadline and fires every timer due then. */
  fireNext(): boolean {
    const next = this.timers[0];
    if (!next) return false;
    this.time = next.at;
    while (this.timers[0] && this.timers[0].at <= this.time) this.timers.shift()!.fn();
    return true;
  }
}

/** One action as the in-memory executor ran it, in fake milliseconds. */
export interface Effect {
  readonly id: string;
  readonly key: string;
  readonly attempt: number;
  readonly command: string;
  readonly start: number;
  end?: number;
  outcome?: "ok" | "failed" | "stopped";
}

/**
 * `sh` commands the in-memory actions understand: `work 4000 NAME` takes 4 s of the fake clock and
 * prints NAME; `fail NAME` fails; anything else prints itself at once.
 */
function memoryActions(clock: FakeClock, effects: Effect[]) {
  return (request: StepRequest, ctx: { signal: AbortSignal }): Promise<unknown> => {
    if (request.action.kind !== "sh") throw new Error("the in-memory executor runs sh steps only");
    const command = String(request.action.command);
    const effect: Effect = { id: request.id, key: request.key, attempt: request.attempt, command, start: clock.now() };
    effects.push(effect);
    const done = (outcome: Effect["outcome"]) => {
      effect.end = clock.now();
      effect.outcome = outcome;
    };
    const [verb, arg, name] = command.split(" ");
    if (verb === "fail") {
      done("failed");
      return Promise.reject(new StepError("failed", `${arg ?? command} failed`));
    }
    const ms = verb === "work" ? Number(arg) : 0;
    const stdout = `${verb === "work" ? (name ?? "") : command}\n`;
    return new Promise((resolve, reject) => {
      const timer = clock.after(ms, () => {
        ctx.signal.removeEventListener("abort", onAbort);
        done("ok");
        resolve({ ok: true, code: 0, stdout, stderr: "", duration: ms });
      });
      const onAbort = () => {
        timer.cancel();
        done("stopped");
        reject(ctx.signal.reason);
      };
      ctx.signal.addEventListener("abort", onAbort, { once: true });
    });
  };
}

export interface DriverBench {
  readonly dir: string;
  readonly store: RunStore;
  readonly clock: FakeClock;
  readonly effects: Effect[];
  write(name: string, text: string): void;
  /** Compiles `source` as `w.cm` and creates a run of its `main`. */
  start(source: string, o?: { inputs?: Record<string, unknown>; concurrency?: number }): Promise<string>;
  /** Drives run `id` to its end, moving the clock whenever everything in flight waits on it. */
  drive(id: string, hooks?: Partial<DriveHooks>): Promise<RunRecord>;
  close(): Promise<void>;
}

export function driverBench(): DriverBench {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), "cmc-driver-")));
  const store = openStore(path.join(dir, ".cmc"));
  const clock = new FakeClock();
  const effects: Effect[] = [];
  const concurrency = new Map<string, number>();
  return {
    dir,
    store,
    clock,
    effects,
    write: (name, text) => writeFileSync(path.join(dir, name), text),
    async start(source, o = {}) {
      writeFileSync(path.join(dir, "w.cm"), source);
      const host = nodeHost(dir);
      const compiled = compile(host.keyOf(path.join(dir, "w.cm")), host);
      if (!compiled.ir) throw new Error(compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
      const run = await createRun(store, {
        ir: compiled.ir,
        workflow: "w.cm:main",
        file: "w.cm",
        workspace: dir,
        inputs: o.inputs ?? {},
        mode: "supervised",
        concurrency: o.concurrency ?? 4,
        allowOutside: false,
      });
      concurrency.set(run.id, o.concurrency ?? 4);
      return run.id;
    },
    async drive(id, hooks = {}) {
      const executor = new LocalExecutor({ concurrency: concurrency.get(id) ?? 4, clock, perform: memoryActions(clock, effects) });
      let settled = false;
      const driving = driveRun(store, id, { activity: () => undefined, signal: new AbortController().signal, executor, clock, ...hooks }).finally(() => {
        settled = true;
      });
      await quiet(store, id, clock, () => settled);
      return driving;
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Fires the clock's timers one deadline at a time, each once the run has stood still (no journal
 * event, no new timer) for a few real ticks: every step in flight then waits on the clock.
 */
async function quiet(store: RunStore, id: string, clock: FakeClock, done: () => boolean): Promise<void> {
  let last = "";
  let still = 0;
  while (!done()) {
    await new Promise((r) => setTimeout(r, 5));
    const now = `${store.events(id).length}/${clock.pending}`;
    still = now === last ? still + 1 : 0;
    last = now;
    if (still >= 4 && clock.fireNext()) still = 0;
  }
}

/** The records a run leaves in the store: the run itself and its append-only journal. */
import type { AgentSettings } from "../config/schema.js";
import type { IrProgram } from "../../compiler/ir/ir.js";

export type RunStatus =
  | "running"
  | "waiting"
  | "escalated"
  | "succeeded"
  | "failed"
  | "cancelled"
  /** Shown for a `running` run whose owner process is gone; never stored. */
  | "interrupted";

export type RunMode = "supervised" | "interactive" | "autonomous";

/**
 * When a run's transitions count as written: `sync` once on disk (a finished step never runs
 * again), `batch` once committed, the disk flush following (after a process crash nothing is lost;
 * after a machine crash the last steps may run again).
 */
export type Durability = "sync" | "batch";

/** The process driving a run. */
export interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly since: number;
  /**
   * Which process instance drives the run (Linux: boot id and start time), so that the same pid
   * after a reboot, or reused by another process, is not taken for the driver. Absent elsewhere.
   */
  readonly identity?: string;
}

export interface RunError {
  readonly kind: string;
  readonly step: string | null;
  readonly message: string;
}

export interface RunRecord {
  readonly id: string;
  /** The workflow's IR id, e.g. `examples/hello.cm:main`. */
  readonly workflow: string;
  /** The file the run was started from, as given. */
  readonly file: string;
  readonly workspace: string;
  /**
   * Only in the records of a schema-1 store, where an older cmc reads them: the run's inputs are
   * its `run-started` event's (`startInputs`), so a record stays small to rewrite.
   */
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly mode: RunMode;
  readonly options: {
    readonly concurrency: number;
    readonly allowOutside: boolean;
    readonly budget?: number;
    /** Who plays each role and the config's agent defaults, fixed when the run was created. */
    readonly agents?: AgentSettings;
    /** How it is written (absent: `sync`). */
    readonly durability?: Durability;
  };
  /** As stored; use `effectiveStatus` to show `interrupted`. */
  readonly status: Exclude<RunStatus, "interrupted">;
  readonly created: number;
  readonly updated: number;
  readonly finished?: number;
  readonly owner?: Owner;
  readonly result?: unknown;
  readonly error?: RunError;
  /** Total agent cost so far, USD. */
  readonly cost: number;
  /** A run made by `cmc rerun`: the run it reuses results of, and the step it ran again from. */
  readonly rerunOf?: RerunOf;
}

export interface RerunOf {
  readonly run: string;
  readonly from: string;
}

/**
 * One transition of a run. `key` identifies a step instance: the step name, suffixed by its loop
 * positions (`build[2]` for the third item of a for, `plan#1` for the second round of a repeat,
 * `call/inner` inside a sub-workflow).
 */
export type JournalEventBody =
  | { readonly type: "run-started"; readonly workflow: string; readonly inputs: unknown }
  /** An attempt waits for a slot (or a worker): the executor could not start it at once. */
  | { readonly type: "step-queued"; readonly key: string; readonly attempt: number }
  | {
      readonly type: "step-started";
      readonly key: string;
      readonly attempt: number;
      readonly inputs: unknown;
      /** SHA-256 of the inputs: written by cmc before 2026-12-08, and not read (it adds nothing to `inputs`). */
      readonly digest?: string;
      readonly label?: string;
    }
  | { readonly type: "step-finished"; readonly key: string; readonly result: unknown }
  | {
      readonly type: "attempt-failed";
      readonly key: string;
      readonly attempt: number;
      readonly error: RunError;
      readonly retryInMs: number;
    }
  | { readonly type: "step-failed"; readonly key: string; readonly error: RunError }
  | { readonly type: "waiting"; readonly key: string; readonly question: string }
  | {
      readonly type: "decided";
      readonly key: string;
      readonly approved: boolean;
      readonly reason: string;
      readonly by: string;
    }
  | { readonly type: "escalated"; readonly key: string; readonly message: string }
  /**
   * What a built-in that reads the world returned (`glob("*.txt")` at node `n3` of loop item 2):
   * a resume gets the same answer, so loops and conditions replay as they ran. A long `read` is
   * kept as its digest, and a resume that reads different text stops with a nondeterminism error.
   */
  | { readonly type: "observed"; readonly key: string; readonly value?: unknown; readonly digest?: string }
  /** `refresh`: the resume re-reads the world and runs again the finished steps whose inputs changed. */
  | { readonly type: "resumed"; readonly pid: number; readonly refresh?: boolean }
  | { readonly type: "cancelled"; readonly by: string }
  | {
      readonly type: "run-finished";
      readonly status: RunStatus;
      readonly result: unknown;
      readonly error: RunError | null;
    };

export type JournalEvent = JournalEventBody & { readonly seq: number; readonly at: number };

export interface NewRun {
  readonly workflow: string;
  readonly file: string;
  readonly workspace: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly mode: RunMode;
  readonly options: RunRecord["options"];
  readonly ir: IrProgram;
  readonly rerunOf?: RerunOf;
}

/**
 * What a request on one run changes, decided inside the store's write transaction from the run's
 * latest committed state: events to append, fields to patch, and the value handed back.
 */
export interface Change<T> {
  readonly value: T;
  readonly append?: readonly JournalEventBody[];
  readonly patch?: Partial<Omit<RunRecord, "id">>;
}

/** The store of one workspace (`.cmc/` or `--store DIR`). Only `src/runtime/store` imports lmdb. */
export interface Store {
  readonly dir: string;
  /**
   * Creates a run with a fresh short id, status `running`, and stores its IR, and journals its
   * `run-started` event (seq 0, with the inputs) in the same commit.
   */
  createRun(init: NewRun): Promise<RunRecord>;
  getRun(id: string): RunRecord | undefined;
  /** A run by id or unambiguous id prefix. */
  findRun(idOrPrefix: string): RunRecord | undefined;
  /** The IR stored with the run, as stored; `loadIr` (`stored-ir.ts`) validates it. */
  storedIr(id: string): unknown;
  /** Every run's id, in id order, without reading the records. */
  runIds(): string[];
  /** Newest first. A record that cannot be read (damaged) is left out and given to `onUnreadable`. */
  listRuns(onUnreadable?: (id: string, problem: string) => void): RunRecord[];
  updateRun(id: string, patch: Partial<Omit<RunRecord, "id">>): Promise<RunRecord>;
  /** Appends a journal event; resolves once it is durably committed. Returns its sequence number. */
  append(id: string, event: JournalEventBody): Promise<number>;
  /**
   * Reads the run (and, when `request` calls `events`, its journal) and applies what `request`
   * decides, in one write transaction that every process of the workspace takes in turn: no other
   * change can come between the check and the write. `request` must not have side effects, and says
   * a refusal in its value: it does not throw.
   */
  transact<T>(id: string, request: (run: RunRecord, events: () => readonly JournalEvent[]) => Change<T>): Promise<T>;
  /**
   * Resolves at the next commit to the store by any process (a file notification on its data file),
   * after `maxWaitMs` at the latest, or when `signal` aborts: the way to wait for a change without
   * polling.
   */
  nextCommit(signal: AbortSignal | undefined, maxWaitMs: number): Promise<void>;
  /** The seq of the run's last journal event (-1 for none), without reading the journal. */
  lastSeq(id: string): number;
  /** The journal from `fromSeq` (inclusive), in order. */
  events(id: string, fromSeq?: number): JournalEvent[];
  /** Makes `owner` the run's driver unless a live process already is; atomic. */
  claim(id: string, owner: Owner): Promise<{ ok: true } | { ok: false; owner: Owner }>;
  release(id: string, owner: Owner): Promise<void>;
  /** The log file of a step instance (folders created). */
  logPath(id: string, key: string): string;
  close(): Promise<void>;
}

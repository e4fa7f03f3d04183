/**
 * The store on LMDB: one environment under `<dir>/db` with four sub-databases, shared safely by
 * every cmc process of a workspace.
 *
 * - `meta`:    "schema" → SCHEMA_VERSION
 * - `runs`:    run id → RunRecord
 * - `ir`:      run id → IrProgram (validated when read, by `stored-ir.ts`)
 * - `journal`: [run id, seq] → JournalEvent, ordered, so a run's journal is one range read. Its
 *   values share their MessagePack record structures (the key sets of its objects), kept under
 *   `JOURNAL_STRUCTURES` (schema 2); in a schema-1 store every event carries its own, as before.
 *
 * Durability: the environment is opened with `overlappingSync: false`, so LMDB fsyncs inside every
 * commit and a write promise resolves only once its transaction is on disk (see `openStore` for
 * the `batch` mode). (With lmdb-js's
 * default `overlappingSync: true` the promise resolves at commit and the flush follows later, which
 * would break "resolved means durable".) Async writes issued in one event turn share a
 * transaction, so a burst of appends costs one fsync. `noSync`/`noMetaSync` are never used.
 */
import { existsSync, mkdirSync, watch, writeFileSync, type FSWatcher } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import type { Database, RootDatabase } from "lmdb";
import type { IrProgram } from "../../compiler/ir/ir.js";
import { dataFileProblem } from "./env-check.js";
import { diskFullMessage, isDiskFull, StoreError, StoreWriteError, writeFailure, written } from "./errors.js";
import { stepLogPath } from "./log-files.js";
import { isOwnerAlive, sameOwner } from "./owner.js";
import { newRunId } from "./run-id.js";
import { SharedTxnId } from "./shared-txn-id.js";
import type { Change, Durability, JournalEvent, JournalEventBody, NewRun, Owner, RunRecord, Store } from "./types.js";

// lmdb-js's CommonJS build is one file; its ES-module entry is a dozen modules to load and link,
// which took 1.18× the time.
const { open } = createRequire(import.meta.url)("lmdb") as typeof import("lmdb");

/** The layout version this cmc writes; a store with a higher one is refused. */
export const SCHEMA_VERSION = 2;

/**
 * Where the journal's shared record structures live (lmdb-js `sharedStructuresKey`). lmdb-js saves
 * a new structure in a synchronous transaction nested in the one that encodes the event using it
 * (the store encodes only inside its write transactions), so a reader that sees an event sees its
 * structure too.
 */
const JOURNAL_STRUCTURES = Symbol.for("structures");

type JournalKey = [string, number];

/** The store as `openStore` returns it: the `Store` contract plus prefix search. */
export interface RunStore extends Store {
  /** Every run whose id starts with `prefix`, newest first (for "did you mean" messages). */
  findRuns(prefix: string): RunRecord[];
  /** The store's layout version: `SCHEMA_VERSION`, or 1 for a store an older cmc made. */
  readonly schema: number;
}

/** Newest first: by `created`, then by id. */
function newestFirst(a: RunRecord, b: RunRecord): number {
  return b.created - a.created || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * lmdb-js prints a failed commit's error (with its stack) through `console.error` before it
 * rejects the commit's promise, which the store turns into a `StoreError` a person can act on:
 * that one print is dropped, everything else `console.error` is given passes.
 */
function quietCommitErrors(): void {
  const print = console.error;
  const fromLmdbCommit = (value: unknown): boolean =>
    value instanceof Error && /[\\/]lmdb[\\/](write\.js|dist[\\/]index\.cjs)/.test(value.stack ?? "");
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && fromLmdbCommit(args[0])) return;
    print(...args);
  };
}
let commitErrorsQuiet = false;

/** Why a store could not be created, opened or first read: a full disk says so. */
function openFailure(verb: "create" | "open" | "read", path: string, error: unknown): StoreError {
  if (isDiskFull(path, error)) return new StoreWriteError(diskFullMessage(`the store at ${path}`, "try again"), { cause: error });
  return new StoreError(`cannot ${verb} the store at ${path}: ${message(error)}`, { cause: error });
}

/**
 * A write queued inside a transaction callback: its promise settles with the transaction, whose own
 * promise carries a failure to the caller, so this one's rejection is not left unhandled.
 */
function inTransaction(write: Promise<unknown>): void {
  write.catch(() => undefined);
}

/** Thrown inside a write transaction that started from an older snapshot than the newest commit. */
const STALE_SNAPSHOT = new Error("the write transaction started from an older snapshot");
/** How many times a write transaction is started again after mending the shared id. */
const STALE_RETRIES = 5;

/** The record with `patch` applied and `updated` set; a field patched to `undefined` is removed (e.g. `owner`, `error`). */
function patched(run: RunRecord, patch: Partial<Omit<RunRecord, "id">>): RunRecord {
  const next: Record<string, unknown> = { ...run, updated: Date.now(), ...patch, id: run.id };
  for (const [key, value] of Object.entries(next)) if (value === undefined) delete next[key];
  return next as unknown as RunRecord;
}

class LmdbStore implements RunStore {
  readonly dir: string;
  readonly schema: number;
  readonly #env: RootDatabase;
  readonly #meta: Database<unknown, string>;
  readonly #runs: Database<RunRecord, string>;
  readonly #ir: Database<unknown, string>;
  readonly #journal: Database<JournalEvent, JournalKey>;
  readonly #sharedTxnId: SharedTxnId;
  /** The next sequence number of each run this process appended to. */
  readonly #nextSeq = new Map<string, number>();
  /** Each run's journal as far as this process has decoded it (events `0 … length-1`). */
  readonly #decoded = new Map<string, JournalEvent[]>();
  /** Runs known to exist (runs are never deleted), so appending need not decode the record each time. */
  readonly #knownRuns = new Set<string>();
  #closed = false;
  /** Watches the data file for commits while someone waits in `nextCommit`; `null` where it cannot. */
  #watcher: FSWatcher | null | undefined;
  readonly #commitWaiters = new Set<() => void>();

  constructor(dir: string, durability: Durability) {
    this.dir = resolve(dir);
    const path = join(this.dir, "db");
    try {
      mkdirSync(path, { recursive: true });
      // Keep the store out of the workspace's version control (git add -A, std/git's commit).
      const ignore = join(this.dir, ".gitignore");
      if (!existsSync(ignore)) writeFileSync(ignore, "# cmc's run store: not for version control\n*\n");
    } catch (error) {
      throw openFailure("create", path, error);
    }
    const file = join(path, "data.mdb");
    const problem = dataFileProblem(file);
    if (problem !== undefined) {
      throw new StoreError(
        `the store at ${path} is corrupt: ${file}: ${problem}. cmc changed nothing; keep a copy for recovery and move ${this.dir} aside to start a fresh store`,
      );
    }
    if (!commitErrorsQuiet) {
      quietCommitErrors();
      commitErrorsQuiet = true;
    }
    try {
      this.#env = open({ path, overlappingSync: durability === "batch" });
      this.#meta = this.#env.openDB({ name: "meta" });
      this.#runs = this.#env.openDB({ name: "runs" });
      this.#ir = this.#env.openDB({ name: "ir" });
      this.#sharedTxnId = new SharedTxnId(join(path, "lock.mdb"));
    } catch (error) {
      throw openFailure("open", path, error);
    }
    const schema = (this.schema = this.#checkSchema(path));
    try {
      // A schema-1 store stays one: an older cmc may still be driving a run in it, and would
      // misread an event written with shared structures.
      this.#journal = this.#env.openDB({ name: "journal", ...(schema === 1 ? {} : { sharedStructuresKey: JOURNAL_STRUCTURES }) });
    } catch (error) {
      void this.#closeEnv();
      throw openFailure("open", path, error);
    }
    this.#mendSharedTxnId();
  }

  /** Mends at once a shared id this open may have set back (see `shared-txn-id.ts`). */
  #mendSharedTxnId(): void {
    const shared = this.#sharedTxnId.read();
    if (shared !== undefined && shared < this.#newestTxnId()) this.#writeSync(() => undefined);
  }

  /** The id of the newest commit, from the data file's meta pages (LMDB's `mdb_env_info`). */
  #newestTxnId(): number {
    // `getStats()` says the same, but also counts every tree's pages: 4.5× the time, at each write.
    return (this.#env as unknown as { env: { info(): { lastTxnId: number } } }).env.info().lastTxnId;
  }

  /**
   * Inside a write transaction: whether it started from the newest commit. If not, the lock
   * file's shared id is mended (this transaction holds the writer lock) and it must start again.
   */
  #startedFromNewest(): boolean {
    const newest = this.#newestTxnId();
    if (this.#env.getWriteTxnId() > newest) return true;
    if (!this.#sharedTxnId.write(newest)) {
      throw new StoreError(`the store at ${this.dir} lost track of its last commit, and its lock file is not as this cmc knows it; nothing was written`);
    }
    return false;
  }

  /** `body`, for a write transaction, refusing to run it in one started from an older snapshot. */
  #fromNewest<T>(body: () => T): () => T {
    return () => {
      if (!this.#startedFromNewest()) throw STALE_SNAPSHOT;
      return body();
    };
  }

  /** `body` in an asynchronous write transaction that started from the newest commit. */
  async #write<T>(body: () => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#env.transaction(this.#fromNewest(body));
      } catch (error) {
        if (error !== STALE_SNAPSHOT || attempt === STALE_RETRIES) throw error;
      }
    }
  }

  /** `body` in a synchronous write transaction that started from the newest commit. */
  #writeSync<T>(body: () => T): T {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.#env.transactionSync(this.#fromNewest(body));
      } catch (error) {
        if (error !== STALE_SNAPSHOT || attempt === STALE_RETRIES) throw error;
      }
    }
  }

  async #closeEnv(): Promise<void> {
    await this.#env.close();
    this.#sharedTxnId.release();
  }

  /** The store's schema (1 or 2), written as the current one in a new store. */
  #checkSchema(path: string): number {
    let schema: unknown;
    try {
      schema = this.#meta.get("schema");
      if (schema === undefined) {
        this.#writeSync(() => this.#meta.putSync("schema", SCHEMA_VERSION));
        return SCHEMA_VERSION;
      }
    } catch (error) {
      void this.#closeEnv();
      throw openFailure("read", path, error);
    }
    if (typeof schema === "number" && Number.isInteger(schema) && schema > SCHEMA_VERSION) {
      void this.#closeEnv();
      throw new StoreError(
        `the store at ${path} was written by a newer cmc (schema ${schema}); upgrade cmc`,
      );
    }
    if (schema !== SCHEMA_VERSION && schema !== 1) {
      void this.#closeEnv();
      throw new StoreError(`the store at ${path} is corrupt: unknown schema ${JSON.stringify(schema)}`);
    }
    return schema;
  }

  #open(): void {
    if (this.#closed) throw new StoreError(`the store at ${this.dir} is closed`);
  }

  #mustGetRun(id: string): RunRecord {
    const run = this.getRun(id);
    if (!run) throw new StoreError(`no run ${id} in the store at ${this.dir}`);
    return run;
  }

  async createRun(init: NewRun): Promise<RunRecord> {
    this.#open();
    const { ir, inputs, ...fields } = init;
    for (;;) {
      const now = Date.now();
      // A schema-1 store keeps the inputs in the record too, where an older cmc reads them.
      const run: RunRecord = { id: newRunId(now), ...fields, ...(this.schema === 1 ? { inputs } : {}), status: "running", created: now, updated: now, cost: 0 };
      const started: JournalEvent = { type: "run-started", workflow: init.workflow, inputs, seq: 0, at: now };
      let created: boolean;
      try {
        // The IR first: should encoding it throw, the run's record is never queued.
        created = await this.#write(() => {
          if (this.#runs.doesExist(run.id)) return false;
          inTransaction(this.#ir.put(run.id, ir));
          inTransaction(this.#runs.put(run.id, run));
          inTransaction(this.#journal.put([run.id, 0], started));
          return true;
        });
      } catch (error) {
        if (error instanceof RangeError) {
          throw new StoreError(`the program is too deeply nested to store in ${this.dir}; no run was created`, { cause: error });
        }
        throw writeFailure(this.dir, error);
      }
      if (created) return run;
    }
  }

  getRun(id: string): RunRecord | undefined {
    this.#open();
    return this.#read(`the record of run ${id}`, () => this.#runs.get(id));
  }

  /**
   * `read()`, with a record that cannot be decoded (damaged bytes) reported as a `StoreError`
   * naming it: the other records stay readable.
   */
  #read<T>(what: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw new StoreError(
        `${what} in the store at ${this.dir} cannot be read (${message(error)}): that part of the store is damaged; other runs are not affected`,
        { cause: error },
      );
    }
  }

  /** The run records with these ids; one that cannot be read goes to `onUnreadable` instead. */
  #readable(ids: Iterable<string>, onUnreadable?: (id: string, problem: string) => void): RunRecord[] {
    const runs: RunRecord[] = [];
    for (const id of ids) {
      try {
        const run = this.getRun(id);
        if (run) runs.push(run);
      } catch (error) {
        onUnreadable?.(id, message(error));
      }
    }
    return runs.sort(newestFirst);
  }

  findRun(idOrPrefix: string): RunRecord | undefined {
    const exact = this.getRun(idOrPrefix);
    if (exact) return exact;
    if (idOrPrefix === "") return undefined;
    const matches = this.#idsWithPrefix(idOrPrefix, 2);
    return matches.length === 1 ? this.getRun(matches[0]!) : undefined;
  }

  findRuns(prefix: string): RunRecord[] {
    this.#open();
    return this.#readable(this.#idsWithPrefix(prefix, Infinity));
  }

  #idsWithPrefix(prefix: string, limit: number): string[] {
    const ids: string[] = [];
    for (const key of this.#runs.getKeys({ start: prefix })) {
      if (!key.startsWith(prefix) || ids.length >= limit) break;
      ids.push(key);
    }
    return ids;
  }

  storedIr(id: string): unknown {
    this.#open();
    const stored = this.#read(`the program of run ${id}`, () => this.#ir.get(id));
    if (stored === undefined) {
      throw new StoreError(
        `no program (IR) is stored for run ${id} in the store at ${this.dir}: the run cannot go on; start the workflow again with \`cmc run\``,
      );
    }
    return stored;
  }

  runIds(): string[] {
    this.#open();
    return [...this.#runs.getKeys()];
  }

  listRuns(onUnreadable?: (id: string, problem: string) => void): RunRecord[] {
    this.#open();
    return this.#readable(this.runIds(), onUnreadable);
  }

  async updateRun(id: string, patch: Partial<Omit<RunRecord, "id">>): Promise<RunRecord> {
    this.#open();
    this.#mustGetRun(id);
    // Read-modify-write inside the write transaction, so a concurrent claim is never lost.
    const updated = await written(this.dir, this.#write(() => {
      const run = this.#runs.get(id);
      if (!run) return undefined;
      const next = patched(run, patch);
      inTransaction(this.#runs.put(id, next));
      return next;
    }));
    if (!updated) throw new StoreError(`no run ${id} in the store at ${this.dir}`);
    return updated;
  }

  async append(id: string, body: JournalEventBody): Promise<number> {
    this.#open();
    // A schema-1 store's run record holds the run's inputs, which can be large: decode it once per run, not per event.
    if (!this.#knownRuns.has(id)) {
      this.#mustGetRun(id);
      this.#knownRuns.add(id);
    }
    for (;;) {
      const seq = this.#takeSeq(id);
      const event = { ...body, seq, at: Date.now() } as JournalEvent;
      const key: JournalKey = [id, seq];
      const appended = this.#write(() => {
        if (this.#journal.doesExist(key)) return false;
        inTransaction(this.#journal.put(key, event));
        return true;
      });
      if (await written(this.dir, appended)) return seq;
      // Another process appended to this run meanwhile: continue after its last event.
      this.#env.resetReadTxn();
      this.#nextSeq.set(id, Math.max(this.#nextSeq.get(id) ?? 0, this.#lastSeq(id) + 1));
    }
  }

  async transact<T>(id: string, request: (run: RunRecord, events: () => readonly JournalEvent[]) => Change<T>): Promise<T> {
    this.#open();
    // The callback runs inside the write transaction, which holds LMDB's writer lock (shared by all
    // processes), and its reads see the latest commit. (An asynchronous transaction, as in
    // `updateRun`: lmdb-js recovers from a commit a full disk refuses only on that path.)
    const outcome = await written(this.dir, this.#write(() => {
      const run = this.#runs.get(id);
      if (!run) return undefined;
      let events: JournalEvent[] | undefined;
      // What this process decoded before stays valid: only the events past it are read, and those
      // under this transaction, so the latest commit's too.
      const change = request(run, () => (events ??= this.#events(id, 0)));
      let seq = this.#lastSeq(id) + 1;
      const at = Date.now();
      for (const body of change.append ?? []) {
        const key: JournalKey = [id, seq];
        inTransaction(this.#journal.put(key, { ...body, seq, at } as JournalEvent));
        seq++;
      }
      if (change.patch) inTransaction(this.#runs.put(id, patched(run, change.patch)));
      return { value: change.value, nextSeq: seq };
    }));
    if (!outcome) throw new StoreError(`no run ${id} in the store at ${this.dir}`);
    this.#nextSeq.set(id, Math.max(this.#nextSeq.get(id) ?? 0, outcome.nextSeq));
    return outcome.value;
  }

  nextCommit(signal: AbortSignal | undefined, maxWaitMs: number): Promise<void> {
    this.#open();
    if (signal?.aborted) return Promise.resolve();
    const watching = this.#watchCommits();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#commitWaiters.delete(done);
        // The next read must see what was committed, not this process's older snapshot.
        if (!this.#closed) this.#env.resetReadTxn();
        resolve();
      };
      // Without file notifications (some network file systems) this is a poll every half second.
      const timer = setTimeout(done, watching ? maxWaitMs : Math.min(maxWaitMs, 500));
      signal?.addEventListener("abort", done, { once: true });
      this.#commitWaiters.add(done);
    });
  }

  /** Starts watching the data file; whether notifications work here. */
  #watchCommits(): boolean {
    if (this.#watcher === undefined) {
      try {
        this.#watcher = watch(join(this.dir, "db", "data.mdb"), { persistent: false }, () => {
          for (const wake of [...this.#commitWaiters]) wake();
        });
        this.#watcher.on("error", () => {
          this.#watcher?.close();
          this.#watcher = null;
        });
      } catch {
        this.#watcher = null;
      }
    }
    return this.#watcher !== null;
  }

  /** Sequence numbers are handed out synchronously, in call order: 0, 1, 2, … per run. */
  #takeSeq(id: string): number {
    const seq = this.#nextSeq.get(id) ?? this.#lastSeq(id) + 1;
    this.#nextSeq.set(id, seq + 1);
    return seq;
  }

  #lastSeq(id: string): number {
    for (const key of this.#journal.getKeys({ start: [id, Infinity], end: [id], reverse: true, limit: 1 })) {
      return key[1];
    }
    return -1;
  }

  lastSeq(id: string): number {
    this.#open();
    return this.#read(`the journal of run ${id}`, () => this.#lastSeq(id));
  }

  events(id: string, fromSeq = 0): JournalEvent[] {
    this.#open();
    return this.#read(`the journal of run ${id}`, () => this.#events(id, fromSeq));
  }

  #events(id: string, fromSeq: number): JournalEvent[] {
    // Events are never changed once written and their seqs have no gaps, so what this process has
    // decoded before stays valid: only events past it are read (a resume reads a long journal
    // several times, and a gate polls it).
    const known = this.#decoded.get(id) ?? [];
    // Past what was decoded (a watcher starting from now): read only that part, and keep none of it.
    if (fromSeq > known.length) return this.#readEvents(id, fromSeq);
    for (const { value } of this.#journal.getRange({ start: [id, known.length], end: [id, Infinity] })) {
      if (value.seq !== known.length) {
        // A gap: do not trust the cache for this run.
        this.#decoded.delete(id);
        return this.#readEvents(id, fromSeq);
      }
      known.push(value);
    }
    this.#decoded.set(id, known);
    return known.slice(fromSeq);
  }

  #readEvents(id: string, fromSeq: number): JournalEvent[] {
    const events: JournalEvent[] = [];
    for (const { value } of this.#journal.getRange({ start: [id, fromSeq], end: [id, Infinity] })) {
      events.push(value);
    }
    return events;
  }

  async claim(id: string, owner: Owner): Promise<{ ok: true } | { ok: false; owner: Owner }> {
    this.#open();
    // A synchronous write transaction holds LMDB's writer lock, which is shared by all processes:
    // the owner check and the write cannot interleave with another claim.
    let outcome: { ok: true } | { ok: false; owner: Owner } | undefined;
    try {
      outcome = this.#writeSync(() => {
        const run = this.#runs.get(id);
        if (!run) return undefined;
        if (run.owner && !sameOwner(run.owner, owner) && isOwnerAlive(run.owner)) {
          return { ok: false as const, owner: run.owner };
        }
        this.#runs.putSync(id, { ...run, owner });
        return { ok: true as const };
      });
    } catch (error) {
      throw writeFailure(this.dir, error);
    }
    if (!outcome) throw new StoreError(`no run ${id} in the store at ${this.dir}`);
    return outcome;
  }

  async release(id: string, owner: Owner): Promise<void> {
    this.#open();
    await written(this.dir, this.#write(() => {
      const run = this.#runs.get(id);
      if (!run?.owner || !sameOwner(run.owner, owner)) return;
      const { owner: _released, ...rest } = run;
      inTransaction(this.#runs.put(id, rest));
    }));
  }

  logPath(id: string, key: string): string {
    return stepLogPath(this.dir, id, key);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher?.close();
    for (const wake of [...this.#commitWaiters]) wake();
    await this.#closeEnv();
  }
}

/** Opens (creating on first use) the store in `dir`. Throws `StoreError` when it cannot be used safely. */
/**
 * Opens (or creates) the store in `dir`. `durability: "batch"` (`cmc run --durability batch`)
 * resolves a write once LMDB has committed it, with the disk flush following (lmdb-js's
 * `overlappingSync`, which keeps the file consistent through a machine crash, losing at most the
 * last commits); by default a write resolves only once it is on disk.
 */
export function openStore(dir: string, options: { readonly durability?: Durability } = {}): RunStore {
  return new LmdbStore(dir, options.durability ?? "sync");
}

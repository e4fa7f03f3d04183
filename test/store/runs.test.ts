/** Runs in the store: creation, lookup by id and prefix, listing, updates, IR and schema checks. */
import { mkdirSync, readFileSync, writeFileSync, truncateSync, statSync } from "node:fs";
import { join } from "node:path";
import { open } from "lmdb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultStoreDir, openStore, StoreError, type RunStore } from "../../src/runtime/store/index.js";
import { loadIr } from "../../src/runtime/store/stored-ir.js";
import { emptyIr, newRun, tempDir } from "./helpers.js";

let dir: string;
let cleanup: () => void;
let store: RunStore;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  store = openStore(join(dir, "store"));
});

afterEach(async () => {
  await store.close();
  cleanup();
});

describe("runs", () => {
  it("creates the store folder on first use and a run with a short id, status running and zero cost", async () => {
    const run = await store.createRun(newRun());
    expect(run.id).toMatch(/^[0-9a-z]{8}$/);
    expect(run).toMatchObject({ status: "running", cost: 0, workflow: "main.cm:main" });
    // The inputs are the run-started event's, journaled with the record; the record stays small.
    expect(run).not.toHaveProperty("inputs");
    expect(store.events(run.id)).toMatchObject([{ seq: 0, type: "run-started", workflow: "main.cm:main", inputs: { name: "world" } }]);
    expect(run.created).toBe(run.updated);
    expect(statSync(join(dir, "store", "db")).isDirectory()).toBe(true);
    expect(store.getRun(run.id)).toEqual(run);
  });

  it("refuses a program too deeply nested to store, leaving no run behind without its IR", async () => {
    let deep: Record<string, unknown> = { kind: "leaf" };
    for (let i = 0; i < 20_000; i++) deep = { nodes: [deep] };
    const ir = { ...emptyIr, globals: { deep } } as unknown as typeof emptyIr;
    await expect(store.createRun(newRun({ ir }))).rejects.toThrow(/too deeply nested to store/);
    expect(store.listRuns()).toEqual([]);
    const run = await store.createRun(newRun());
    expect(loadIr(store, run.id)).toEqual(emptyIr);
  });

  it("keeps itself out of version control with a .gitignore of its own", () => {
    expect(readFileSync(join(dir, "store", ".gitignore"), "utf8")).toMatch(/^\*$/m);
  });

  it("gives every run a distinct id even when many are created at once", async () => {
    const runs = await Promise.all(Array.from({ length: 200 }, () => store.createRun(newRun())));
    expect(new Set(runs.map((run) => run.id)).size).toBe(200);
    expect(store.listRuns()).toHaveLength(200);
  });

  it("finds a run by a unique prefix but not by an ambiguous one", async () => {
    const runs = await Promise.all(Array.from({ length: 30 }, () => store.createRun(newRun())));
    const target = runs[0]!;
    // Ids made in the same 10 s share their time prefix, so the full time part is ambiguous...
    const shared = target.id.slice(0, 5);
    const sharing = runs.filter((run) => run.id.startsWith(shared));
    expect(store.findRuns(shared).map((run) => run.id).sort()).toEqual(sharing.map((run) => run.id).sort());
    if (sharing.length > 1) expect(store.findRun(shared)).toBeUndefined();
    // ...and the shortest prefix that no other id has finds it.
    const unique = [6, 7, 8]
      .map((length) => target.id.slice(0, length))
      .find((prefix) => runs.filter((run) => run.id.startsWith(prefix)).length === 1)!;
    expect(store.findRun(unique)?.id).toBe(target.id);
    expect(store.findRun(target.id)?.id).toBe(target.id);
    expect(store.findRun("zzzzzzzz")).toBeUndefined();
    expect(store.findRun("")).toBeUndefined();
  });

  it("lists runs newest first, by creation time and then by id", async () => {
    const a = await store.createRun(newRun({ file: "a.cm" }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const b = await store.createRun(newRun({ file: "b.cm" }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const c = await store.createRun(newRun({ file: "c.cm" }));
    expect(store.listRuns().map((run) => run.file)).toEqual(["c.cm", "b.cm", "a.cm"]);
    await store.updateRun(a.id, { created: c.created });
    const [first, second] = [a.id, c.id].sort().reverse();
    expect(store.listRuns().map((run) => run.id)).toEqual([first, second, b.id]);
  });

  it("merges an update into the stored run, removes fields patched to undefined and keeps the id", async () => {
    const run = await store.createRun(newRun());
    const error = { kind: "failed", step: "build", message: "exit 1" };
    const failed = await store.updateRun(run.id, { status: "failed", error, finished: 42, cost: 1.5 });
    expect(failed).toMatchObject({ id: run.id, status: "failed", error, finished: 42, cost: 1.5 });
    expect(failed.updated).toBeGreaterThanOrEqual(run.updated);
    expect(store.getRun(run.id)).toEqual(failed);
    const cleared = await store.updateRun(run.id, { status: "running", error: undefined, finished: undefined });
    expect("error" in cleared).toBe(false);
    expect("finished" in store.getRun(run.id)!).toBe(false);
    await expect(store.updateRun("nosuchid", { cost: 1 })).rejects.toBeInstanceOf(StoreError);
  });

  it("stores arbitrary JSON results, nested values and undefined fields unchanged", async () => {
    const run = await store.createRun(newRun({ inputs: { missing: undefined, deep: { list: [1, "two", null, { x: [] }] } } }));
    const result = { ok: true, n: -1.25, big: 2 ** 53, text: "é ✓ \u0000", list: [[], {}, [null]] };
    await store.updateRun(run.id, { result });
    const stored = store.getRun(run.id)!;
    expect(stored.result).toEqual(result);
    expect((store.events(run.id)[0] as { inputs?: unknown }).inputs).toEqual({ missing: undefined, deep: { list: [1, "two", null, { x: [] }] } });
  });

  it("keeps runs and their IR across close and reopen", async () => {
    const run = await store.createRun(newRun());
    await store.close();
    store = openStore(join(dir, "store"));
    expect(store.getRun(run.id)).toEqual(run);
    expect(loadIr(store, run.id)).toEqual(emptyIr);
  });

  it("re-validates the stored IR when it is read", async () => {
    const bad = await store.createRun(newRun({ ir: { ...emptyIr, version: 2 } as never }));
    expect(() => loadIr(store, bad.id)).toThrow(StoreError);
    expect(() => loadIr(store, bad.id)).toThrow(/stored IR of run .* is not valid for this cmc at version/);
    expect(() => loadIr(store, "nosuchid")).toThrow(/no program \(IR\) is stored for run nosuchid/);
  });

  it("refuses to use a closed store", async () => {
    await store.close();
    expect(() => store.listRuns()).toThrow(/closed/);
    store = openStore(join(dir, "store"));
  });
});

describe("opening a store", () => {
  it("refuses a store written by a newer schema, with a message that says to upgrade", async () => {
    await store.close();
    const env = open({ path: join(dir, "store", "db"), overlappingSync: false });
    await env.openDB({ name: "meta" }).put("schema", 7);
    await env.close();
    expect(() => openStore(join(dir, "store"))).toThrow(StoreError);
    expect(() => openStore(join(dir, "store"))).toThrow(
      /store at .*db was written by a newer cmc \(schema 7\); upgrade cmc/,
    );
    store = openStore(join(dir, "other"));
  });

  it("shares the journal's record structures in a new store, and keeps a schema-1 store readable by the cmc that made it", async () => {
    // A new store: schema 2, the events' key sets stored once, under the structures key.
    const fresh = await store.createRun(newRun());
    for (let i = 0; i < 3; i++) await store.append(fresh.id, { type: "step-started", key: `s${i}`, attempt: 1, inputs: { command: "true" } });
    expect(store.schema).toBe(2);
    await store.close();
    let env = open({ path: join(dir, "store", "db"), overlappingSync: false });
    expect(env.openDB({ name: "journal" }).get(Symbol.for("structures"))).toBeDefined();
    await env.close();

    // A store as the cmc of schema 1 wrote it: every event carrying its own structures.
    env = open({ path: join(dir, "old", "db"), overlappingSync: false });
    await env.openDB({ name: "meta" }).put("schema", 1);
    await env.close();
    store = openStore(join(dir, "old"));
    expect(store.schema).toBe(1);
    const run = await store.createRun(newRun());
    await store.append(run.id, { type: "step-started", key: "a", attempt: 1, inputs: { command: "true" } });
    await store.append(run.id, { type: "step-finished", key: "a", result: { ok: true, value: { code: 0, stdout: "hi" } } });
    await store.close();
    // It stays at schema 1, and a reader without shared structures (that cmc) decodes every event.
    env = open({ path: join(dir, "old", "db"), overlappingSync: false });
    expect(env.openDB({ name: "meta" }).get("schema")).toBe(1);
    const journal = env.openDB({ name: "journal" });
    expect(journal.get(Symbol.for("structures"))).toBeUndefined();
    expect([...journal.getRange({ start: [run.id, 0], end: [run.id, Infinity] })].map(({ value }) => value)).toMatchObject([
      { type: "run-started", seq: 0, inputs: { name: "world" } },
      { type: "step-started", key: "a", seq: 1, inputs: { command: "true" } },
      { type: "step-finished", key: "a", seq: 2, result: { ok: true, value: { code: 0, stdout: "hi" } } },
    ]);
    // That cmc reads a run's inputs from its record, which keeps them in a schema-1 store.
    expect(env.openDB({ name: "runs" }).get(run.id)).toMatchObject({ inputs: { name: "world" } });
    await env.close();
    store = openStore(join(dir, "old"));
    expect(store.events(run.id).map((e) => e.type)).toEqual(["run-started", "step-started", "step-finished"]);
  });

  it("refuses a garbled data file with an error naming the path instead of crashing", () => {
    const path = join(dir, "garbled", "db");
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, "data.mdb"), "not an lmdb file ".repeat(1000));
    expect(() => openStore(join(dir, "garbled"))).toThrow(StoreError);
    expect(() => openStore(join(dir, "garbled"))).toThrow(`the store at ${path} is corrupt`);
  });

  it("refuses a truncated data file instead of crashing", async () => {
    await Promise.all(Array.from({ length: 300 }, () => store.createRun(newRun())));
    await store.close();
    const file = join(dir, "store", "db", "data.mdb");
    truncateSync(file, 8192);
    expect(() => openStore(join(dir, "store"))).toThrow(/is corrupt: .*data\.mdb: it is truncated/);
    store = openStore(join(dir, "other"));
  });

  it("puts the store in --store, else $CMC_STORE, else the workspace's .cmc folder", () => {
    const saved = process.env.CMC_STORE;
    try {
      delete process.env.CMC_STORE;
      expect(defaultStoreDir("/ws")).toBe("/ws/.cmc");
      process.env.CMC_STORE = "/env/store";
      expect(defaultStoreDir("/ws")).toBe("/env/store");
      expect(defaultStoreDir("/ws", "/flag/store")).toBe("/flag/store");
    } finally {
      if (saved === undefined) delete process.env.CMC_STORE;
      else process.env.CMC_STORE = saved;
    }
  });
});

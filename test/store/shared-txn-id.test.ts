/**
 * lmdb-js 3.5 can set the lock file's "last commit" id back by one when a process opens the store
 * while another commits (see `src/runtime/store/shared-txn-id.ts`). These tests set it back the
 * same way and check that no write of the store then drops the commit before it.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { SharedTxnId } from "../../src/runtime/store/shared-txn-id.js";
import { openStore, thisProcessAsOwner, type RunStore } from "../../src/runtime/store/index.js";
import { newRun, storePerTest } from "./helpers.js";

const t = storePerTest();

function withSharedId<T>(dir: string, use: (shared: SharedTxnId) => T): T {
  const shared = new SharedTxnId(join(dir, "db", "lock.mdb"));
  try {
    return use(shared);
  } finally {
    shared.release();
  }
}

/** What an open racing a commit leaves behind: the shared id one commit older than the newest. */
function setBack(dir: string): number {
  return withSharedId(dir, (shared) => {
    const id = shared.read()!;
    expect(shared.write(id - 1)).toBe(true);
    return id;
  });
}

const sharedId = (dir: string): number | undefined => withSharedId(dir, (shared) => shared.read());

const writes: Record<string, (store: RunStore, run: string) => Promise<unknown>> = {
  append: (store, run) => store.append(run, { type: "log", message: "after" }),
  updateRun: (store, run) => store.updateRun(run, { cost: 5 }),
  transact: (store, run) => store.transact(run, () => ({ value: null, append: [{ type: "log", message: "after" }] })),
  claim: (store, run) => store.claim(run, thisProcessAsOwner()),
  release: (store, run) => store.release(run, thisProcessAsOwner()),
  createRun: (store) => store.createRun(newRun()),
};

for (const [name, write] of Object.entries(writes)) {
  it(`keeps the commit before a set-back shared id through ${name}`, async () => {
    const run = await t.store.createRun(newRun());
    await t.store.append(run.id, { type: "log", message: "before" });
    const newest = setBack(t.dir);
    await write(t.store, run.id);
    expect(t.store.events(run.id)[1]).toMatchObject({ seq: 1, type: "log", message: "before" });
    expect(sharedId(t.dir)).toBeGreaterThanOrEqual(newest);
    const again = openStore(t.dir);
    try {
      expect(again.events(run.id)[1]).toMatchObject({ message: "before" });
    } finally {
      await again.close();
    }
  });
}

it("mends a set-back shared id when it opens the store", async () => {
  const run = await t.store.createRun(newRun());
  await t.store.append(run.id, { type: "log", message: "before" });
  const newest = setBack(t.dir);
  const again = openStore(t.dir);
  try {
    expect(sharedId(t.dir)).toBe(newest);
    expect(again.events(run.id).map((e) => e.seq)).toEqual([0, 1]);
  } finally {
    await again.close();
  }
});

it("keeps every event when two stores in one process append across a set-back id", async () => {
  const run = await t.store.createRun(newRun());
  const other = openStore(t.dir);
  try {
    await other.append(run.id, { type: "log", message: "first" });
    for (let i = 0; i < 20; i++) {
      if (i % 3 === 0) setBack(t.dir);
      await Promise.all([t.store.append(run.id, { type: "log", message: `a${i}` }), other.append(run.id, { type: "log", message: `b${i}` })]);
    }
    const events = t.store.events(run.id);
    expect(events.map((e) => e.seq)).toEqual([...Array(42).keys()]);
    expect(new Set(events.slice(1).map((e) => (e as { message: string }).message)).size).toBe(41);
  } finally {
    await other.close();
  }
});

/** The journal: ordered, gap-free sequence numbers, durable once `append` resolves. */
import { join } from "node:path";
import { expect, it } from "vitest";
import { openStore, StoreError, type JournalEventBody } from "../../src/runtime/store/index.js";
import { newRun, startChild, storePerTest } from "./helpers.js";

const t = storePerTest();

const finished = (key: string, result: unknown): JournalEventBody => ({ type: "step-finished", key, result });

it("returns events in append order with sequence numbers from 0 and a timestamp", async () => {
  const before = Date.now();
  // A run is created with its first event, which holds the inputs (its record does not).
  const run = await t.store.createRun({ ...newRun(), inputs: { n: 3 } });
  expect(run).not.toHaveProperty("inputs");
  expect(t.store.getRun(run.id)).not.toHaveProperty("inputs");
  expect(await t.store.append(run.id, { type: "step-started", key: "build[2]", attempt: 1, inputs: { x: 1 } })).toBe(1);
  expect(await t.store.append(run.id, finished("build[2]", { ok: true, nested: [{ a: null }] }))).toBe(2);
  const events = t.store.events(run.id);
  expect(events.map((event) => [event.seq, event.type])).toEqual([
    [0, "run-started"],
    [1, "step-started"],
    [2, "step-finished"],
  ]);
  expect(events[0]).toMatchObject({ workflow: run.workflow, inputs: { n: 3 } });
  expect(events[2]).toMatchObject({ key: "build[2]", result: { ok: true, nested: [{ a: null }] } });
  expect(events.every((event) => event.at >= before && event.at <= Date.now())).toBe(true);
  expect(t.store.events(run.id, 1).map((event) => event.seq)).toEqual([1, 2]);
  expect(t.store.events(run.id, 3)).toEqual([]);
});

it("keeps each run's journal apart, even when one id is a prefix of another's key range", async () => {
  const a = await t.store.createRun(newRun());
  const b = await t.store.createRun(newRun());
  await Promise.all([t.store.append(a.id, finished("x", 1)), t.store.append(b.id, finished("y", 2))]);
  await t.store.append(a.id, finished("z", 3));
  expect(t.store.events(a.id).map((event) => [event.seq, (event as { key?: string }).key])).toEqual([
    [0, undefined],
    [1, "x"],
    [2, "z"],
  ]);
  expect(t.store.events(b.id).map((event) => event.seq)).toEqual([0, 1]);
  expect(t.store.events("nosuchid")).toEqual([]);
});

it("gives concurrent appends distinct, consecutive sequence numbers in call order", async () => {
  const run = await t.store.createRun(newRun());
  const seqs = await Promise.all(Array.from({ length: 5000 }, (_, i) => t.store.append(run.id, finished(`s[${i}]`, i))));
  expect(seqs).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
  const events = t.store.events(run.id).slice(1);
  expect(events).toHaveLength(5000);
  expect(events.every((event, i) => event.seq === i + 1 && (event as { result: unknown }).result === i)).toBe(true);
});

it("continues the sequence after close and reopen, with every resolved event still there", async () => {
  const run = await t.store.createRun(newRun());
  for (let i = 0; i < 3; i++) await t.store.append(run.id, finished(`a${i}`, i));
  await t.store.close();
  t.store = openStore(t.dir);
  expect(t.store.events(run.id).map((event) => event.seq)).toEqual([0, 1, 2, 3]);
  expect(await t.store.append(run.id, finished("after", null))).toBe(4);
});

it("refuses an event for a run that does not exist", async () => {
  await expect(t.store.append("nosuchid", { type: "cancelled", by: "me" })).rejects.toBeInstanceOf(StoreError);
});

it("keeps an event whose append resolved in a process killed with SIGKILL right after", async () => {
  const run = await t.store.createRun(newRun());
  await t.store.append(run.id, finished("before", 0));
  await t.store.close();
  const child = await startChild("append-hang", t.dir, run.id);
  expect(await child.line()).toBe("appended 2");
  child.process.kill("SIGKILL");
  await child.exited;
  t.store = openStore(t.dir);
  expect(t.store.events(run.id).map((event) => [event.seq, event.type])).toEqual([
    [0, "run-started"],
    [1, "step-finished"],
    [2, "resumed"],
  ]);
  expect(t.store.events(run.id)[2]).toMatchObject({ pid: child.process.pid });
});

it("never loses or overwrites events when two processes append to the same run at once", async () => {
  const run = await t.store.createRun(newRun());
  await t.store.append(run.id, finished("first", 0));
  const children = await Promise.all([
    startChild("append-many", t.dir, run.id, "300", "p"),
    startChild("append-many", t.dir, run.id, "300", "q"),
  ]);
  for (const child of children) expect(await child.line()).toBe("ready");
  for (const child of children) child.send("go");
  const mine = Promise.all(Array.from({ length: 300 }, (_, i) => t.store.append(run.id, finished(`m${i}`, i))));
  for (const child of children) expect(await child.line()).toBe("done");
  await mine;
  const events = t.store.events(run.id);
  expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 902 }, (_, i) => i));
  const keys = events.slice(1).map((event) => (event as { key: string }).key);
  expect(new Set(keys).size).toBe(901);
  for (const tag of ["p", "q", "m"]) expect(keys.filter((key) => key.startsWith(tag))).toHaveLength(300);
  // Each child made new record structures of its own as it went (shared by the journal's values
  // since schema 2): every value decodes as written, here and in a process that reads it afresh.
  const expected = events.slice(2).map((event) => {
    const key = (event as { key: string }).key;
    const [tag, i] = [key[0]!, Number(key.slice(1))];
    return tag === "m" ? i : { [`${tag}${i % 10}`]: i, tag };
  });
  expect(events.slice(2).map((event) => (event as { result: unknown }).result)).toEqual(expected);
  const reader = await startChild("dump", t.dir, run.id);
  const dumped = JSON.parse(await reader.line()) as { result: unknown }[];
  expect(dumped.slice(2).map((event) => event.result)).toEqual(expected);
});

it("shows an open store the events another process appended, without reopening", async () => {
  const run = await t.store.createRun(newRun());
  expect(t.store.events(run.id).map((event) => event.type)).toEqual(["run-started"]);
  const child = await startChild("append-hang", t.dir, run.id);
  try {
    expect(await child.line()).toBe("appended 1");
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.store.events(run.id).map((event) => event.type)).toEqual(["run-started", "resumed"]);
    expect(await t.store.append(run.id, { type: "cancelled", by: "test" })).toBe(2);
  } finally {
    child.process.kill("SIGKILL");
    await child.exited;
  }
});

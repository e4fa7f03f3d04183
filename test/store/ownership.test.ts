/** Who drives a run: atomic claims across processes, release, dead owners and `interrupted`. */
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { expect, it } from "vitest";
import { effectiveStatus, isOwnerAlive, StoreError, thisProcessAsOwner, type Owner } from "../../src/runtime/store/index.js";
import { newRun, startChild, storePerTest } from "./helpers.js";

const t = storePerTest();

const me: Owner = { pid: process.pid, host: hostname(), since: Date.now() };

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync("true");
  return child.pid!;
}

it("lets exactly one of two processes claim a run, and tells the other who owns it", async () => {
  const run = await t.store.createRun(newRun());
  const children = await Promise.all([startChild("claim", t.dir, run.id), startChild("claim", t.dir, run.id)]);
  try {
    for (const child of children) expect(await child.line()).toBe("ready");
    for (const child of children) child.send("go");
    const outcomes = await Promise.all(children.map(async (child) => JSON.parse(await child.line())));
    const winners = outcomes.flatMap((outcome, i) => (outcome.ok ? [children[i]!] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.process.pid;
    const loser = outcomes.find((outcome) => !outcome.ok);
    expect(loser.owner).toMatchObject({ pid: winner, host: hostname() });
    expect(t.store.getRun(run.id)!.owner?.pid).toBe(winner);
    expect(effectiveStatus(t.store.getRun(run.id)!)).toBe("running");
    expect(await t.store.claim(run.id, me)).toEqual({ ok: false, owner: t.store.getRun(run.id)!.owner });
  } finally {
    for (const child of children) child.process.stdin!.end();
    await Promise.all(children.map((child) => child.exited));
  }
  // The winner has exited: its run shows as interrupted and can be claimed again.
  expect(effectiveStatus(t.store.getRun(run.id)!)).toBe("interrupted");
  expect(await t.store.claim(run.id, me)).toEqual({ ok: true });
  expect(t.store.getRun(run.id)!.owner).toEqual(me);
});

it("lets a new process claim a run whose owner died, which shows as interrupted until then", async () => {
  const run = await t.store.createRun(newRun());
  const dead: Owner = { pid: deadPid(), host: hostname(), since: Date.now() - 1000 };
  expect(isOwnerAlive(dead)).toBe(false);
  await t.store.claim(run.id, dead);
  expect(effectiveStatus(t.store.getRun(run.id)!)).toBe("interrupted");
  await t.store.updateRun(run.id, { status: "waiting" });
  expect(effectiveStatus(t.store.getRun(run.id)!)).toBe("interrupted");
  expect(await t.store.claim(run.id, me)).toEqual({ ok: true });
  expect(effectiveStatus(t.store.getRun(run.id)!)).toBe("waiting");
});

it("shows finished runs and runs without an owner with their stored status", async () => {
  const run = await t.store.createRun(newRun());
  expect(effectiveStatus(run)).toBe("running");
  const dead: Owner = { pid: deadPid(), host: hostname(), since: 0 };
  await t.store.claim(run.id, dead);
  const done = await t.store.updateRun(run.id, { status: "succeeded" });
  expect(effectiveStatus(done)).toBe("succeeded");
});

it("treats its own claim again as a success and an owner on another host as alive", async () => {
  const run = await t.store.createRun(newRun());
  expect(await t.store.claim(run.id, me)).toEqual({ ok: true });
  expect(await t.store.claim(run.id, { ...me, since: me.since + 5 })).toEqual({ ok: true });
  const remote: Owner = { pid: deadPid(), host: `${hostname()}-elsewhere`, since: 0 };
  expect(isOwnerAlive(remote)).toBe(true);
  const other = await t.store.createRun(newRun());
  await t.store.claim(other.id, remote);
  expect(await t.store.claim(other.id, me)).toEqual({ ok: false, owner: remote });
  expect(effectiveStatus(t.store.getRun(other.id)!)).toBe("running");
});

it("releases a run only for its owner", async () => {
  const run = await t.store.createRun(newRun());
  await t.store.claim(run.id, me);
  await t.store.release(run.id, { pid: me.pid + 1, host: me.host, since: 0 });
  expect(t.store.getRun(run.id)!.owner).toEqual(me);
  await t.store.release(run.id, me);
  expect(t.store.getRun(run.id)!.owner).toBeUndefined();
  expect("owner" in t.store.getRun(run.id)!).toBe(false);
  await expect(t.store.claim("nosuchid", me)).rejects.toBeInstanceOf(StoreError);
});

it("does not take a live process that reuses a dead owner's pid (a reboot, a long-gone driver) for that owner", async () => {
  const alive = thisProcessAsOwner();
  expect(isOwnerAlive(alive)).toBe(true);
  // This very pid, recorded by a process instance that is not this one (another boot, another start).
  const earlier: Owner = { ...alive, identity: `${alive.identity ?? "boot"}-before-reboot` };
  expect(isOwnerAlive(earlier)).toBe(false);
  const run = await t.store.createRun(newRun());
  await t.store.claim(run.id, earlier);
  expect(effectiveStatus(t.store.getRun(run.id)!)).toBe("interrupted");
  expect(await t.store.claim(run.id, alive)).toEqual({ ok: true });
});

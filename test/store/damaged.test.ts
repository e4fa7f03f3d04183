/**
 * Damaged stores, through the real CLI: real store files damaged on disk (meta pages, an empty data
 * file, an unreadable run record, a missing IR). Each command says what is wrong, naming the file
 * or the run, exits 74 without a crash or stack trace, leaves the files as they were, and the runs
 * that are intact stay readable.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { open } from "lmdb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workspace, type Workspace } from "../runtime/workspace.js";

let ws: Workspace;
let file: string;
beforeEach(() => {
  ws = workspace();
  file = path.join(ws.dir, ".cmc", "db", "data.mdb");
  ws.write("done.cm", `workflow main() {\n  step s = sh("echo done")\n}`);
  ws.write("gate.cm", `workflow main() {\n  step before = sh("true")\n  step gate = approve("go?")\n}`);
});
afterEach(() => ws.remove());

const digest = (): string => createHash("sha256").update(readFileSync(file)).digest("hex");

/** A finished run and a parked one (which `resume` and `cancel` can act on). */
async function twoRuns(): Promise<{ done: string; parked: string }> {
  const done = ws.json(await ws.cmc(["run", "done.cm", "--json"])).run;
  const parked = ws.json(await ws.cmc(["run", "gate.cm", "--json"])).run;
  return { done, parked };
}

/** Every command that reads the store refuses it the same way, and changes nothing in it. */
async function refusedEverywhere(ids: { done: string; parked: string }, problem: RegExp): Promise<void> {
  const before = digest();
  for (const args of [["runs"], ["status", ids.done], ["status", ids.parked, "--json"], ["logs", ids.done], ["resume", ids.parked], ["cancel", ids.parked], ["run", "done.cm"]]) {
    const r = await ws.cmc(args);
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(74);
    expect(r.stderr).toContain(`error: the store at ${path.dirname(file)} is corrupt: ${file}: `);
    expect(r.stderr).toMatch(problem);
    expect(r.stderr).toContain("move");
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  }
  expect(digest()).toBe(before);
}

describe("a damaged data file", () => {
  it("is refused when its first meta page is damaged, though the second is intact", async () => {
    const ids = await twoRuns();
    const data = readFileSync(file);
    data.fill(0, 0, 4096);
    writeFileSync(file, data);
    await refusedEverywhere(ids, /its first meta page is damaged \(it has no LMDB magic number\)/);
  });

  it("is refused when a meta page's root lies outside the file, even with its magic intact", async () => {
    const ids = await twoRuns();
    const data = readFileSync(file);
    // Meta page 0's main-DB root (page header 24 + 24 + 48 + 40 bytes in) points past the data.
    data.writeBigUInt64LE(1n << 40n, 24 + 24 + 48 + 40);
    writeFileSync(file, data);
    await refusedEverywhere(ids, /its first meta page is damaged \(a root page \(\d+\) lies outside the data/);
  });

  it("is refused when its second meta page is damaged", async () => {
    const ids = await twoRuns();
    const data = readFileSync(file);
    data.fill(0xff, 4096 + 24, 4096 + 64);
    writeFileSync(file, data);
    await refusedEverywhere(ids, /its second meta page is damaged/);
  });

  /** Where, in `data`, the live main DB's leaf record of sub-database `name` starts (after its key), and that DB's root page. */
  function subDatabase(data: Buffer, name: string): { record: number; root: number } {
    const meta = (page: number) => page * 4096 + 24;
    const live = data.readBigUInt64LE(meta(1) + 128) > data.readBigUInt64LE(meta(0) + 128) ? 1 : 0;
    const mainRoot = Number(data.readBigUInt64LE(meta(live) + 24 + 48 + 40));
    const page = mainRoot * 4096;
    for (let i = 0; i < data.readUInt16LE(page + 20) / 2; i++) {
      const node = page + 24 + data.readUInt16LE(page + 24 + 2 * i);
      const keySize = data.readUInt16LE(node + 6);
      if (data.toString("latin1", node + 8, node + 8 + keySize) === `${name}\0`) {
        const record = node + 8 + keySize;
        return { record, root: Number(data.readBigUInt64LE(record + 40)) };
      }
    }
    throw new Error(`no sub-database ${name}`);
  }

  it("is refused when a data page's node lies outside its page, which LMDB would follow off the map", async () => {
    const ids = await twoRuns();
    const data = readFileSync(file);
    const { root } = subDatabase(data, "runs");
    data.writeUInt16LE(0xfff0, root * 4096 + 24);
    writeFileSync(file, data);
    await refusedEverywhere(ids, new RegExp(`its data is damaged: page ${root} has a node outside its page`));
  });

  it("is refused when a database's root page lies outside the data", async () => {
    const ids = await twoRuns();
    const data = readFileSync(file);
    data.writeBigUInt64LE(1n << 36n, subDatabase(data, "journal").record + 40);
    writeFileSync(file, data);
    await refusedEverywhere(ids, /its data is damaged: a page number \(\d+\) lies outside the data/);
  });

  it("is refused, not started afresh, when it has been emptied (0 bytes) after runs", async () => {
    const ids = await twoRuns();
    truncateSync(file, 0);
    await refusedEverywhere(ids, /it is empty \(0 bytes\): the runs it held are gone/);
    expect(statSync(file).size).toBe(0);
  });
});

describe("damaged records", () => {
  /** Writes raw bytes over a record of the store's database `name` (or removes it). */
  async function damage(name: "runs" | "ir", id: string, bytes: Buffer | undefined): Promise<void> {
    const env = open({ path: path.dirname(file), overlappingSync: false });
    const db = env.openDB({ name, encoding: "binary" });
    if (bytes) await db.put(id, bytes);
    else await db.remove(id);
    await env.close();
  }

  it("keeps every other run readable when one run's record cannot be read, and names that run", async () => {
    const other = await twoRuns();
    const broken = ws.json(await ws.cmc(["run", "done.cm", "--json"])).run;
    await damage("runs", broken, Buffer.from([0x01, 0x02, 0x03]));

    const runs = await ws.cmc(["runs"]);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toContain(other.done);
    expect(runs.stdout).toContain(other.parked);
    expect(runs.stdout).not.toContain(broken);
    expect(runs.stderr).toContain(`warning: the record of run ${broken} in the store at ${path.join(ws.dir, ".cmc")} cannot be read`);
    expect(JSON.parse((await ws.cmc(["runs", "--json"])).stdout)).toHaveLength(2);

    expect((await ws.cmc(["status", other.done])).code).toBe(0);
    for (const args of [["status", broken], ["resume", broken], ["cancel", broken]]) {
      const r = await ws.cmc(args);
      expect(r.code, r.stderr).toBe(74);
      expect(r.stderr).toContain(`the record of run ${broken} in the store at ${path.join(ws.dir, ".cmc")} cannot be read`);
      expect(r.stderr).toContain("other runs are not affected");
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    expect((await ws.cmc(["approve", other.parked, "gate"])).code).toBe(0);
    expect((await ws.cmc(["resume", other.parked])).code).toBe(0);
    expect((await ws.cmc(["run", "gate.cm"])).code).toBe(3);
    const waiting = (JSON.parse((await ws.cmc(["runs", "--json"])).stdout) as { run: string; status: string }[]).find((r) => r.status === "waiting");
    expect((await ws.cmc(["cancel", waiting?.run as string])).code).toBe(0);
  });

  it("says a run without its stored program cannot go on, and shows it still", async () => {
    const { parked } = await twoRuns();
    await damage("ir", parked, undefined);
    const r = await ws.cmc(["resume", parked]);
    expect(r.code, r.stderr).toBe(74);
    expect(r.stderr).toContain(`no program (IR) is stored for run ${parked}`);
    expect(r.stderr).toContain("start the workflow again with `cmc run`");
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect((await ws.cmc(["status", parked])).code).toBe(0);
  });
});

describe("a store another process is writing", () => {
  it("is never taken for a damaged one: the file grows and its meta pages change while commands open it", async () => {
    const id = ws.json(await ws.cmc(["run", "done.cm", "--json"])).run;
    const { openStore } = await import("../../src/runtime/store/index.js");
    const store = openStore(path.join(ws.dir, ".cmc"));
    let writing = true;
    const writer = (async () => {
      // Events of a few KiB each: the data file keeps growing, one commit after another.
      for (let i = 0; writing; i++) await store.append(id, { type: "observed", key: `grow ${i}`, value: "x".repeat(4096) });
    })();
    try {
      const readers = await Promise.all(Array.from({ length: 12 }, () => ws.cmc(["status", id])));
      for (const r of readers) expect(r.code, r.stderr).toBe(0);
    } finally {
      writing = false;
      await writer;
      await store.close();
    }
  });
});

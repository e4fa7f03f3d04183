import { afterEach, beforeEach, describe, expect, it } from "vitest";
import path from "node:path";
import { compile } from "../../src/compiler/index.js";
import { createRun, driveRun } from "../../src/runtime/run.js";
import { RequestRefused, RunService } from "../../src/runtime/service/run-service.js";
import { openStore, type JournalEvent, type RunStore } from "../../src/runtime/store/index.js";
import { workspace, type Workspace } from "../runtime/workspace.js";
import { nodeHost } from "../../src/cli/node-host.js";
import { newRun } from "../store/helpers.js";

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

/** Parks a run at gate `review` (no terminal, so it waits) and returns its id. */
async function parkedAtGate(): Promise<string> {
  ws.write("gate.cm", `workflow main() -> bool {\n  step review = approve("Ship it?")\n  return review.approved\n}`);
  const first = await ws.cmc(["run", "gate.cm", "--json"]);
  expect(first.code, first.stderr).toBe(3);
  return ws.json(first).run;
}

describe("decisions on a gate", () => {
  it("takes one decision when approvers and rejecters race, and tells the others who decided first", async () => {
    const id = await parkedAtGate();
    const racers = Array.from({ length: 8 }, (_, i) =>
      ws.cmc(i % 2 === 0 ? ["approve", id, "review"] : ["reject", id, "review", "--reason", "not yet"], { env: { USER: `user${i}` } }),
    );
    const results = await Promise.all(racers);
    const winners = results.filter((r) => r.code === 0);
    expect(winners).toHaveLength(1);
    const winner = results.indexOf(winners[0]!);
    const verb = winner % 2 === 0 ? "approved" : "rejected";
    for (const r of results.filter((r) => r.code !== 0)) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`\`review\` of run ${id} was already ${verb} by user${winner} at \\d{4}-\\d\\d-\\d\\dT`));
    }
    const resumed = await ws.cmc(["resume", id, "--json"]);
    expect(ws.json(resumed).result).toBe(verb === "approved");
    const store = openStore(path.join(ws.dir, ".cmc"));
    try {
      expect(store.events(id).filter((e) => e.type === "decided")).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it("refuses a decision on a gate that nothing waits at, naming what does", async () => {
    const id = await parkedAtGate();
    const r = await ws.cmc(["approve", id, "ship"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`run ${id} has no gate \`ship\` waiting for a decision (waiting: \`review\`)`);
  });
});

describe("cancel", () => {
  it("lets one of many concurrent cancels win; the rest say the run has been cancelled", async () => {
    const id = await parkedAtGate();
    const results = await Promise.all(Array.from({ length: 6 }, () => ws.cmc(["cancel", id])));
    expect(results.filter((r) => r.code === 0)).toHaveLength(1);
    for (const r of results.filter((r) => r.code !== 0)) expect(r.stderr).toContain(`run ${id} has already been cancelled`);
    const status = ws.json(await ws.cmc(["status", id, "--json"]));
    expect(status.status).toBe("cancelled");
  });

  it("refuses to cancel a run that has succeeded", async () => {
    ws.write("ok.cm", `workflow main() {\n  step s = sh("true")\n}`);
    const id = ws.json(await ws.cmc(["run", "ok.cm", "--json"])).run;
    const r = await ws.cmc(["cancel", id]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`run ${id} has already succeeded`);
    expect(ws.json(await ws.cmc(["status", id, "--json"])).status).toBe("succeeded");
  });
});

describe("a live driver", () => {
  let store: RunStore;
  beforeEach(() => {
    store = openStore(path.join(ws.dir, ".cmc"));
  });
  afterEach(async () => {
    await store.close();
  });

  async function startInProcess(source: string): Promise<string> {
    const file = ws.write("w.cm", source);
    const host = nodeHost(ws.dir);
    const compiled = compile(host.keyOf(file), host);
    expect(compiled.diagnostics).toEqual([]);
    const run = await createRun(store, {
      ir: compiled.ir!,
      workflow: "w.cm:main",
      file: "w.cm",
      workspace: ws.dir,
      inputs: {},
      mode: "supervised",
      concurrency: 4,
      allowOutside: false,
    });
    return run.id;
  }

  it("stops its steps when another process cancels the run, learning it from the store (no signal reaches this process)", async () => {
    const id = await startInProcess(`workflow main() {\n  step s = sh("sleep 30")\n}`);
    const started = Date.now();
    const driving = driveRun(store, id, { activity: () => undefined, signal: new AbortController().signal });
    // The driver is this test process: a SIGTERM from `cmc cancel` would end the whole test run.
    while (!store.events(id).some((e) => e.type === "step-started")) await new Promise((r) => setTimeout(r, 20));
    const cancel = await ws.cmc(["cancel", id]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stderr).toContain("the process driving it stops its steps");
    const record = await driving;
    expect(record.status).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(20_000);
    const events = store.events(id).map((e) => e.type);
    expect(events.filter((t) => t === "run-finished")).toHaveLength(1);
    expect(events.at(-1)).toBe("run-finished");
  });

  it("goes on at a gate as soon as another process approves it", async () => {
    const id = await startInProcess(`workflow main() -> string {\n  step review = approve("Ship it?")\n  return review.by\n}`);
    const driving = driveRun(store, id, {
      activity: () => undefined,
      // A terminal that never answers: the driver waits for the journal.
      askHuman: (_q, signal) => new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
      signal: new AbortController().signal,
    });
    while (!store.events(id).some((e) => e.type === "waiting")) await new Promise((r) => setTimeout(r, 20));
    expect((await ws.cmc(["approve", id, "review"], { env: { USER: "grace" } })).code).toBe(0);
    const record = await driving;
    expect(record.status).toBe("succeeded");
    expect(record.result).toBe("grace");
  });

  it("takes at most one decision and one cancel when approvers, rejecters and cancellers race at its gate, and tells the rest why", async () => {
    const id = await startInProcess(`workflow main() -> string {\n  step review = approve("Ship it?")\n  step after = sh("sleep 2")\n  return review.by\n}`);
    const driving = driveRun(store, id, {
      activity: () => undefined,
      askHuman: (_q, signal) => new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
      signal: new AbortController().signal,
    });
    while (!store.events(id).some((e) => e.type === "waiting")) await new Promise((r) => setTimeout(r, 20));
    const verbs = ["approve", "reject", "approve", "cancel", "reject", "approve", "cancel", "reject", "cancel", "approve"];
    const results = await Promise.all(
      verbs.map((verb, i) => ws.cmc(verb === "cancel" ? ["cancel", id] : verb === "reject" ? ["reject", id, "review", "--reason", "not yet"] : ["approve", id, "review"], { env: { USER: `user${i}` } })),
    );
    const won = (verb: string) => results.filter((r, i) => verbs[i] !== "cancel" === (verb !== "cancel") && r.code === 0);
    // A decision wins, or a cancel came first and every decision was refused; never two of a kind.
    expect(won("decision").length).toBeLessThanOrEqual(1);
    expect(won("cancel").length).toBeLessThanOrEqual(1);
    expect(won("decision").length + won("cancel").length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((r) => r.code !== 0)) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/was already (approved|rejected) by user\d|has already been cancelled|has already succeeded|is cancelled|has been cancelled/);
    }
    const record = await driving;
    expect(record.status).toBe(won("cancel").length === 1 ? "cancelled" : "succeeded");
    const events = store.events(id);
    expect(events.filter((e) => e.type === "decided")).toHaveLength(won("decision").length);
    expect(events.filter((e) => e.type === "cancelled")).toHaveLength(won("cancel").length);
  });

  it("refuses the service's requests with RequestRefused, not a crash", async () => {
    const id = await startInProcess(`workflow main() {\n  step s = sh("true")\n}`);
    await driveRun(store, id, { activity: () => undefined, signal: new AbortController().signal });
    const service = new RunService(store);
    await expect(service.cancel(id, "me")).rejects.toBeInstanceOf(RequestRefused);
    await expect(service.decide(id, "s", { approved: true, reason: "", by: "me" })).rejects.toThrow(/has already succeeded/);
  });
});

describe("watch", () => {
  it("yields the journal of a run driven by another process once each, in commit order, ending with run-finished", async () => {
    ws.write("steps.cm", `workflow main() {\n  step a = sh("sleep 0.2")\n  step b = sh("sleep 0.2")\n  step c = sh("sleep 0.2")\n}`);
    const driver = ws.spawn(["run", "steps.cm"]);
    const storeDir = path.join(ws.dir, ".cmc");
    let store: RunStore | undefined;
    let id: string | undefined;
    const deadline = Date.now() + 15_000;
    while (id === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        store ??= openStore(storeDir);
        id = store.listRuns()[0]?.id;
      } catch {
        // the store is being created
      }
    }
    expect(id).toBeDefined();
    const seen: JournalEvent[] = [];
    for await (const e of new RunService(store!).watch(id!, 0)) seen.push(e);
    await driver;
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i));
    expect(seen.map((e) => e.type)).toEqual(store!.events(id!).map((e) => e.type));
    expect(seen.at(-1)?.type).toBe("run-finished");
    expect(seen.filter((e) => e.type === "step-finished").map((e) => (e as { key: string }).key)).toEqual(["a", "b", "c"]);
    await store!.close();
  });
});

describe("observe", () => {
  it("ends an attempt that started before fromSeq with its attempt, label and start learnt from the journal before it", async () => {
    const store = openStore(path.join(ws.dir, ".cmc"));
    const { id } = await store.createRun(newRun());
    await store.append(id, { type: "step-started", key: "build", attempt: 2, inputs: { command: "make" }, label: "Build it" });
    await store.append(id, { type: "step-started", key: "lint", attempt: 1, inputs: { command: "lint" } });
    const started = store.events(id).find((e) => e.type === "step-started" && e.key === "build")!;
    const fromSeq = store.lastSeq(id) + 1;
    const seen: unknown[] = [];
    const observing = (async () => {
      for await (const o of new RunService(store).observe(id, fromSeq)) seen.push(o);
    })();
    await store.append(id, { type: "step-finished", key: "build", result: { ok: true } });
    await store.append(id, { type: "run-finished", status: "succeeded", result: null, error: null });
    await observing;
    expect(seen).toMatchObject([
      { type: "step-finished", key: "build", attempt: 2, label: "Build it", startedAt: started.at, seq: fromSeq },
      { type: "run-finished", status: "succeeded" },
    ]);
    await store.close();
  });
});

describe("watchAll", () => {
  it("yields the events of every run, those started after it began included, each run's once and in commit order", async () => {
    ws.write("gate.cm", `workflow main() {\n  step review = approve("go?")\n}`);
    ws.write("steps.cm", `workflow main() {\n  step a = sh("sleep 0.1")\n  step b = sh("sleep 0.1")\n}`);
    const parked = ws.json(await ws.cmc(["run", "gate.cm", "--json"])).run;
    const store = openStore(path.join(ws.dir, ".cmc"));
    try {
      const stop = new AbortController();
      const seen: (JournalEvent & { run: string })[] = [];
      const watching = (async () => {
        for await (const e of new RunService(store).watchAll({ fromNow: true, signal: stop.signal })) {
          seen.push(e);
          const finished = seen.filter((s) => s.type === "run-finished").length;
          if (finished === 3) stop.abort();
        }
      })();
      // Two runs driven at once by other processes, and the parked one decided and resumed.
      const [one, two] = await Promise.all([ws.cmc(["run", "steps.cm", "--json"]), ws.cmc(["run", "steps.cm", "--json"])]);
      expect((await ws.cmc(["approve", parked, "review"])).code).toBe(0);
      expect((await ws.cmc(["resume", parked])).code).toBe(0);
      await watching;
      for (const id of [ws.json(one).run, ws.json(two).run]) {
        const ofRun = seen.filter((e) => e.run === id);
        expect(ofRun.map((e) => e.seq)).toEqual(store.events(id).map((e) => e.seq));
        expect(ofRun.at(-1)?.type).toBe("run-finished");
      }
      // The parked run from where the watch began: its decision and what followed, not its start.
      const ofParked = seen.filter((e) => e.run === parked).map((e) => e.type);
      expect(ofParked).toEqual(["decided", "resumed", "step-finished", "run-finished"]);
    } finally {
      await store.close();
    }
  });
});

/**
 * The driver against the in-memory executor and a fake clock (test/helpers/driver.ts): when a
 * step's timeout starts, retries and their backoff, gate deadlines, what a resume and a rerun run
 * again — read off the side-effect log, in fake milliseconds.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RunService } from "../../src/runtime/service/run-service.js";
import { Interrupted } from "../../src/runtime/scheduler/signals.js";
import { driverBench, type DriverBench } from "../helpers/driver.js";

let bench: DriverBench;
beforeEach(() => {
  bench = driverBench();
});
afterEach(() => bench.close());

const ran = (key: string) => bench.effects.filter((e) => e.key === key);

describe("a step's timeout", () => {
  it("starts when the step takes its slot, not while it waits for one", async () => {
    const id = await bench.start(
      `workflow main() {\n  parallel {\n    step a = sh("work 4000 a")\n    step b = sh("work 3000 b", timeout: 5s)\n  }\n}`,
      { concurrency: 1 },
    );
    const record = await bench.drive(id);
    expect(record.status, JSON.stringify(record.error)).toBe("succeeded");
    const [a, b] = [ran("a")[0]!, ran("b")[0]!];
    expect([a.start, a.end]).toEqual([a.start, a.start + 4000]);
    // b waited 4 s for the slot, then ran 3 s: 7 s after the run began, inside its 5 s timeout.
    expect(b.start - a.start).toBe(4000);
    expect(b.end! - b.start).toBe(3000);
    const types = bench.store.events(id).filter((e) => "key" in e && e.key === "b").map((e) => e.type);
    expect(types).toEqual(["step-queued", "step-started", "step-finished"]);
  });

  it("ends an attempt that outlives it, counted from its start", async () => {
    const id = await bench.start(
      `workflow main() {\n  parallel {\n    step a = sh("work 4000 a")\n    step b = sh("work 6000 b", timeout: 5s)\n  }\n}`,
      { concurrency: 1 },
    );
    const record = await bench.drive(id);
    expect(record.status).toBe("failed");
    expect(record.error).toMatchObject({ kind: "timeout", step: "b", message: "step `b` timed out after 5s" });
    const b = ran("b")[0]!;
    expect(b.outcome).toBe("stopped");
    expect(b.end! - b.start).toBe(5000);
  });
});

describe("retries", () => {
  it("wait the backoff, doubling, between attempts, and each attempt has its own idempotency key", async () => {
    const id = await bench.start(`workflow main() {\n  step flaky = sh("fail flaky", retry: 2, backoff: 1s)\n}`);
    const record = await bench.drive(id);
    expect(record.status).toBe("failed");
    const attempts = ran("flaky");
    expect(attempts.map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(attempts.map((e) => e.id)).toEqual([1, 2, 3].map((n) => `${id}/flaky/${n}`));
    expect([attempts[1]!.start - attempts[0]!.start, attempts[2]!.start - attempts[1]!.start]).toEqual([1000, 2000]);
    const failed = bench.store.events(id).filter((e) => e.type === "attempt-failed");
    expect(failed.map((e) => e.type === "attempt-failed" && e.retryInMs)).toEqual([1000, 2000]);
  });
});

describe("a gate's timeout", () => {
  it("decides by onTimeout once the deadline passes on the clock", async () => {
    const id = await bench.start(
      `workflow main() -> string {\n  step review = approve("Ship?", timeout: 2h, onTimeout: "reject")\n  return review.by\n}`,
    );
    const waitingForever = (_q: unknown, signal: AbortSignal) => new Promise<never>((_r, reject) => signal.addEventListener("abort", () => reject(new Error("stopped"))));
    const record = await bench.drive(id, { askHuman: waitingForever });
    expect(record.status).toBe("succeeded");
    expect(record.result).toBe("timeout");
    const decided = bench.store.events(id).find((e) => e.type === "decided");
    expect(decided).toMatchObject({ approved: false, by: "timeout", reason: "no decision within 2h" });
  });
});

describe("a resumed run", () => {
  it("runs each item of the loop it first saw exactly once, though a file was added before the resume", async () => {
    bench.write("a.txt", "a");
    bench.write("b.txt", "b");
    const id = await bench.start(`workflow main() {\n  for f in glob("*.txt") {\n    step each = sh("work 1000 \${f}")\n  }\n}`);
    // The driver dies while the second item runs: its attempt never finishes.
    const stop = new AbortController();
    const first = bench.drive(id, { signal: stop.signal });
    while (!bench.effects.some((e) => e.command === "work 1000 b.txt")) await new Promise((r) => setTimeout(r, 5));
    stop.abort(new Interrupted());
    expect((await first).status).toBe("running");
    bench.write("0.txt", "added");
    const record = await bench.drive(id);
    expect(record.status).toBe("succeeded");
    expect(bench.effects.map((e) => `${e.key} ${e.command} ${e.outcome}`)).toEqual([
      "each[0] work 1000 a.txt ok",
      "each[1] work 1000 b.txt stopped",
      "each[1] work 1000 b.txt ok",
    ]);
  });
});

describe("a rerun from a step", () => {
  it("reuses exactly the steps that do not depend on it and runs it and what follows", async () => {
    const id = await bench.start(
      `workflow main(tag: string = "v1") {\n  step setup = sh("setup")\n  step lint = sh("lint")\n  step build = sh("build \${trim(setup.stdout)}")\n  step test = sh("test \${trim(build.stdout)}")\n  step tagged = sh("tag \${tag}")\n}`,
    );
    expect((await bench.drive(id)).status).toBe("succeeded");
    const before = bench.effects.length;
    const { run, reused } = await new RunService(bench.store).rerun(id, "build", {});
    const record = await bench.drive(run.id);
    expect(record.status).toBe("succeeded");
    expect(reused.sort()).toEqual(["lint", "setup"]);
    expect(bench.effects.slice(before).map((e) => e.key)).toEqual(["build", "test", "tagged"]);
  });
});

describe("a finished step's inputs on resume", () => {
  it("are held to what it ran with: a difference is a nondeterminism error naming the step and what changed", async () => {
    const id = await bench.start(`workflow main() {\n  step a = sh("echo new")\n  step b = sh("work 10 b")\n}`);
    // A journal written by an evaluation that gave `a` other inputs (say, an older cmc's).
    await bench.store.append(id, { type: "step-started", key: "a", attempt: 1, inputs: { command: "echo old", check: true } });
    await bench.store.append(id, { type: "step-finished", key: "a", result: { ok: true, code: 0, stdout: "old\n", stderr: "", duration: 1 } });
    const record = await bench.drive(id);
    expect(record.status).toBe("failed");
    expect(record.error).toMatchObject({ kind: "nondeterminism", step: "a" });
    expect(record.error?.message).toContain('(`command` was "echo old", now "echo new")');
    expect(bench.effects).toEqual([]);
  });

  it("with --refresh, reads the world again and runs again exactly the finished steps whose inputs changed", async () => {
    bench.write("a.txt", "");
    bench.write("b.txt", "");
    bench.write("note.md", "first");
    const id = await bench.start(
      `workflow main() {\n  for f in glob("*.txt") {\n    step each = sh("work 10 \${f}")\n  }\n  step note = sh("note \${read("note.md")}")\n  step fixed = sh("fixed")\n  step last = sh("work 1000 last")\n}`,
    );
    const stop = new AbortController();
    const first = bench.drive(id, { signal: stop.signal });
    while (!bench.effects.some((e) => e.key === "last")) await new Promise((r) => setTimeout(r, 5));
    stop.abort(new Interrupted());
    await first;
    bench.write("c.txt", "");
    bench.write("note.md", "second");
    const before = bench.effects.length;
    const record = await bench.drive(id, { refresh: true });
    expect(record.status).toBe("succeeded");
    expect(bench.effects.slice(before).map((e) => `${e.key}#${e.attempt} ${e.command}`)).toEqual([
      "each[2]#1 work 10 c.txt",
      "note#2 note second",
      "last#2 work 1000 last",
    ]);
  });
});

/** `cmc status`, `cmc runs`, `cmc logs`, and the workspace boundary, through the real CLI. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { until, workspace, type Workspace } from "./workspace.js";

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

describe("inspecting runs", () => {
  it("keeps every line a step printed in its log, per step instance", async () => {
    ws.write(
      "logs.cm",
      `workflow main() {
        for n in ["a", "b"] {
          step say = sh("echo out-\${n}; echo err-\${n} >&2")
        }
      }`,
    );
    const id = ws.json(await ws.cmc(["run", "logs.cm", "--json"])).run;
    const all = await ws.cmc(["logs", id]);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("── say[0] ──");
    expect(all.stdout).toContain("out-a");
    expect(all.stdout).toContain("err-b");
    const one = await ws.cmc(["logs", id, "say[1]"]);
    expect(one.stdout).toContain("out-b");
    expect(one.stdout).not.toContain("out-a");
    const missing = await ws.cmc(["logs", id, "nope"]);
    expect(missing.code).toBe(2);
  });

  it("marks where each retry's output starts in a step's log", async () => {
    ws.write("flaky.cm", `workflow main() {\n  step s = sh("echo try; test -f twice || { touch twice; exit 1; }", retry: 1, backoff: 10ms)\n}`);
    const r = await ws.cmc(["run", "flaky.cm", "--json"]);
    expect(r.code).toBe(0);
    expect((await ws.cmc(["logs", ws.json(r).run, "s"])).stdout).toBe("try\n[cmc] attempt 2\ntry\n");
  });

  it("follows a log while the step runs and stops when the run ends", async () => {
    ws.write("follow.cm", `workflow main() {\n  step tick = sh("echo one; while [ ! -f go ]; do sleep 0.05; done; echo two")\n}`);
    const run = ws.spawn(["run", "follow.cm"]);
    await until(() => ws.has(".cmc"));
    let id = "";
    while (!id) {
      const runs = await ws.cmc(["runs", "--json"]);
      id = (JSON.parse(runs.stdout) as { run: string }[])[0]?.run ?? "";
    }
    const follow = ws.spawn(["logs", id, "tick", "--follow"]);
    setTimeout(() => writeFileSync(path.join(ws.dir, "go"), ""), 700);
    const [followed, ran] = await Promise.all([follow, run]);
    expect(ran.exitCode).toBe(0);
    expect(followed.exitCode).toBe(0);
    expect(followed.stdout).toContain("one");
    expect(followed.stdout).toContain("two");
  });

  it("follows a run driven by other processes through a kill -9 and a resume: every transition once, in order, with the output", async () => {
    ws.write(
      "killed.cm",
      `workflow main() {\n  step a = sh("echo a-out")\n  step b = sh("echo b-start; while [ ! -f go ]; do sleep 0.05; done; echo b-end")\n  step c = sh("echo c-out")\n}`,
    );
    const driver = ws.spawn(["run", "killed.cm"]);
    let id = "";
    while (!id) {
      await new Promise((r) => setTimeout(r, 50));
      if (ws.has(".cmc")) id = (JSON.parse((await ws.cmc(["runs", "--json"])).stdout) as { run: string }[])[0]?.run ?? "";
    }
    const follow = ws.spawn(["logs", id, "--follow"]);
    let seen = "";
    follow.stdout?.on("data", (chunk: Buffer) => (seen += chunk.toString()));
    await until(() => seen.includes("b-start"));
    driver.kill("SIGKILL");
    await driver;
    const resumed = ws.spawn(["resume", id]);
    await until(() => (seen.match(/b-start/g) ?? []).length === 2);
    writeFileSync(path.join(ws.dir, "go"), "");
    const [followed, done] = await Promise.all([follow, resumed]);
    expect(done.exitCode, done.stderr).toBe(0);
    expect(followed.exitCode, followed.stderr).toBe(0);
    const transitions = (text: string) => text.split("\n").filter((l) => l.startsWith("[cmc] ") && !l.startsWith("[cmc] attempt ")).map((l) => l.replace(/ in \S+$/, ""));
    expect(transitions(followed.stdout)).toEqual([
      `[cmc] run ${id} started`,
      "[cmc] a: started",
      "[cmc] a: succeeded",
      "[cmc] b: started",
      `[cmc] run ${id} resumed`,
      "[cmc] b: started (attempt 2)",
      "[cmc] b: succeeded",
      "[cmc] c: started",
      "[cmc] c: succeeded",
      `[cmc] run ${id} succeeded`,
    ]);
    for (const output of ["a-out", "b-end", "c-out", "[cmc] attempt 2"]) expect(followed.stdout.split(output)).toHaveLength(2);
    // Followed live or read back once the run has ended, the story is the same.
    const after = await ws.cmc(["logs", id, "--follow"]);
    expect(transitions(after.stdout)).toEqual(transitions(followed.stdout));
  });

  it("lists runs newest first and shows one run's steps, gates and commands", async () => {
    ws.write("a.cm", `workflow main() {\n  step s = sh("true")\n}`);
    ws.write("b.cm", `workflow main() {\n  step gate = approve("go?")\n}`);
    const first = ws.json(await ws.cmc(["run", "a.cm", "--json"])).run;
    const second = ws.json(await ws.cmc(["run", "b.cm", "--json"])).run;
    const runs = JSON.parse((await ws.cmc(["runs", "--json"])).stdout) as { run: string; workflow: string; status: string; started: string }[];
    expect(runs.map((r) => [r.run, r.status])).toEqual([
      [second, "waiting"],
      [first, "succeeded"],
    ]);
    expect(runs[0]?.workflow).toBe("b.cm:main");
    expect(Number.isNaN(Date.parse(runs[0]?.started ?? ""))).toBe(false);

    // Ids begin with a 10-second time tick, so two runs started together share their first five
    // characters, and then each further one with a chance of 1 in 36: take the shortest unique prefix.
    const unique = [...second].findIndex((c, i) => c !== first[i]) + 1;
    expect(unique).toBeGreaterThan(0);
    const status = await ws.cmc(["status", second.slice(0, unique)]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("status    waiting");
    expect(status.stdout).toContain(`cmc approve ${second} gate`);
    const json = ws.json(await ws.cmc(["status", second, "--json"]));
    expect(json).toMatchObject({ run: second, status: "waiting", result: null, error: null });
  });

  it("shows who decided a gate and why in status, status --json and logs", async () => {
    ws.write("gate.cm", `workflow main() {\n  step before = sh("echo before")\n  step gate = approve("go?")\n}`);
    const id = ws.json(await ws.cmc(["run", "gate.cm", "--json"])).run;
    expect((await ws.cmc(["reject", id, "gate", "--reason", "not on a Friday"])).code).toBe(0);
    const json = ws.json(await ws.cmc(["status", id, "--json"])) as unknown as { steps: { id: string; decision?: unknown }[] };
    const decision = json.steps.find((s) => s.id === "gate")?.decision as { approved: boolean; by: string; reason: string };
    expect(decision).toMatchObject({ approved: false, reason: "not on a Friday" });
    expect(decision.by).not.toBe("");
    expect((await ws.cmc(["status", id])).stdout).toContain(`rejected by ${decision.by}: not on a Friday`);
    const logs = await ws.cmc(["logs", id]);
    expect(logs.stdout).toBe(`── before ──\nbefore\n── gate ──\n[cmc] rejected by ${decision.by}: not on a Friday\n`);
    expect((await ws.cmc(["logs", id, "gate"])).stdout).toBe(`[cmc] rejected by ${decision.by}: not on a Friday\n`);
  });

  it("starts each step's header on a line of its own when the output before it had no newline", async () => {
    ws.write("bare.cm", `workflow main() {\n  step a = sh("printf one")\n  step b = sh("printf two")\n}`);
    const id = ws.json(await ws.cmc(["run", "bare.cm", "--json"])).run;
    expect((await ws.cmc(["logs", id])).stdout).toBe("── a ──\none\n── b ──\ntwo");
  });

  it("says there are no runs in a folder without a store, and leaves no store behind", async () => {
    expect((await ws.cmc(["runs"])).stdout).toBe("no runs yet\n");
    expect((await ws.cmc(["runs", "--json"])).stdout).toBe("[]\n");
    const r = await ws.cmc(["status", "zzzzzzzz"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no runs in ${path.join(ws.dir, ".cmc")}: it does not exist`);
    expect(ws.has(".cmc")).toBe(false);
  });

  it("names the run ids it knows when given one it does not", async () => {
    ws.write("one.cm", `workflow main() {\n  step s = sh("true")\n}`);
    expect((await ws.cmc(["run", "one.cm"])).code).toBe(0);
    const r = await ws.cmc(["status", "zzzzzzzz"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no run `zzzzzzzz`");
  });
});

describe("the workspace boundary", () => {
  it("fails a read outside the workspace unless the run allows it", async () => {
    const outside = path.join(tmpdir(), `cmc-outside-${process.pid}.txt`);
    writeFileSync(outside, "secret");
    ws.write("read.cm", `workflow main(p: path) -> string {\n  let text = read(p)\n  return text\n}`);
    const refused = await ws.cmc(["run", "read.cm", "--input", `p=${outside}`, "--json"]);
    expect(refused.code).toBe(1);
    expect(ws.json(refused).error?.kind).toBe("runtime");
    expect(ws.json(refused).error?.message).toContain("outside the workspace");
    const relative = await ws.cmc(["run", "read.cm", "--input", "p=../../etc/passwd", "--json"]);
    expect(relative.code).toBe(1);
    const allowed = await ws.cmc(["run", "read.cm", "--input", `p=${outside}`, "--allow-outside", "--json"]);
    expect(ws.json(allowed).result).toBe("secret");
  });

  it("keeps a step's working folder inside the workspace", async () => {
    ws.write("cwd.cm", `workflow main() {\n  step s = sh("pwd", cwd: "..")\n}`);
    const r = await ws.cmc(["run", "cwd.cm", "--json"]);
    expect(r.code).toBe(1);
    expect(ws.json(r).error?.message).toContain("outside the workspace");
  });
});

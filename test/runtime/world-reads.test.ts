/**
 * Built-ins that read the world (`glob`, `read`, `exists`, `env`) are journaled the first time a
 * run asks them, so a resume replays loops and conditions as they ran. Real store, real CLI.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workspace, type Workspace } from "./workspace.js";

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  mkdirSync(path.join(ws.dir, "in"));
});
afterEach(() => ws.remove());

const gatedLoop = `workflow main() -> string {
  for f in glob("in/*.txt") {
    step copy = sh("cat \${f} >> trace")
    step ok = approve("next?")
  }
  return read("trace")
}`;

describe("a resumed run", () => {
  it("iterates over the files its loop first saw, though a file was added meanwhile", async () => {
    writeFileSync(path.join(ws.dir, "in", "a.txt"), "a\n");
    writeFileSync(path.join(ws.dir, "in", "c.txt"), "c\n");
    ws.write("loop.cm", gatedLoop);
    const first = await ws.cmc(["run", "loop.cm", "--json"]);
    expect(first.code, first.stderr).toBe(3);
    const id = ws.json(first).run;
    // Sorted before c.txt: bound by position, item 1 would now be b.txt and c.txt never processed.
    writeFileSync(path.join(ws.dir, "in", "b.txt"), "b\n");
    expect((await ws.cmc(["approve", id, "ok[0]"])).code).toBe(0);
    expect((await ws.cmc(["resume", id, "--json"])).code).toBe(3);
    expect((await ws.cmc(["approve", id, "ok[1]"])).code).toBe(0);
    const done = await ws.cmc(["resume", id, "--json"]);
    expect(done.code, done.stderr).toBe(0);
    expect(ws.read("trace")).toBe("a\nc\n");
    expect(ws.json(done).steps.map((s) => s.id)).toEqual(["copy[0]", "ok[0]", "copy[1]", "ok[1]"]);
  });

  it("with --refresh, sees the file added meanwhile, and runs again the steps its new items change", async () => {
    writeFileSync(path.join(ws.dir, "in", "a.txt"), "a\n");
    writeFileSync(path.join(ws.dir, "in", "c.txt"), "c\n");
    ws.write("loop.cm", gatedLoop);
    const first = await ws.cmc(["run", "loop.cm", "--json"]);
    const id = ws.json(first).run;
    writeFileSync(path.join(ws.dir, "in", "b.txt"), "b\n");
    expect((await ws.cmc(["approve", id, "ok[0]"])).code).toBe(0);
    // Item 1 is now b.txt: `copy[1]` had not run, so it copies b; c.txt becomes item 2.
    const resumed = await ws.cmc(["resume", id, "--refresh", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(3);
    expect((await ws.cmc(["approve", id, "ok[1]"])).code).toBe(0);
    expect((await ws.cmc(["resume", id, "--json"])).code).toBe(3);
    expect((await ws.cmc(["approve", id, "ok[2]"])).code).toBe(0);
    const done = await ws.cmc(["resume", id, "--json"]);
    expect(done.code, done.stderr).toBe(0);
    expect(ws.read("trace")).toBe("a\nb\nc\n");
  });

  it("takes the branch it took before, though the file its condition read changed", async () => {
    ws.write("flag", "on");
    ws.write(
      "cond.cm",
      `workflow main() -> string {
  let on = exists("flag")
  step gate = approve("go?")
  if on {
    step yes = sh("echo yes >> trace")
  } else {
    step no = sh("echo no >> trace")
  }
  return read("trace")
}`,
    );
    const first = await ws.cmc(["run", "cond.cm", "--json"]);
    const id = ws.json(first).run;
    rmSync(path.join(ws.dir, "flag"));
    expect((await ws.cmc(["approve", id, "gate"])).code).toBe(0);
    const done = await ws.cmc(["resume", id, "--json"]);
    expect(done.code, done.stderr).toBe(0);
    expect(ws.read("trace")).toBe("yes\n");
  });

  it("stops with a nondeterminism error when a long file it read has changed", async () => {
    const long = "x".repeat(70 * 1024);
    ws.write("big.txt", long);
    ws.write(
      "big.cm",
      `workflow main() -> int {
  for round in [1, 2] {
    let size = len(read("big.txt"))
    step ok = approve("round \${round}: \${size}")
  }
  return 0
}`,
    );
    const first = await ws.cmc(["run", "big.cm", "--json"]);
    const id = ws.json(first).run;
    ws.write("big.txt", `${long}y`);
    expect((await ws.cmc(["approve", id, "ok[0]"])).code).toBe(0);
    const resumed = await ws.cmc(["resume", id, "--json"]);
    expect(resumed.code).toBe(1);
    const out = ws.json(resumed);
    expect(out.error?.kind).toBe("nondeterminism");
    expect(out.error?.message).toContain('read("big.txt") reads different text than when this run first read it');
  });
});

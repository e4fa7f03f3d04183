/**
 * What surrounds an action must not change its outcome: a progress observer that throws, a step
 * log that cannot be written. Real store, real `/bin/sh`.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { compile } from "../../src/compiler/index.js";
import { createRun, driveRun } from "../../src/runtime/run.js";
import { openStore } from "../../src/runtime/store/index.js";
import { workspace, type Workspace } from "./workspace.js";
import { useStandIns } from "../agents/helpers.js";

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

describe("a live activity display that throws", () => {
  it("is turned off with one warning; the steps and the run succeed, and nothing escapes uncaught", async () => {
    useStandIns();
    const file = ws.write(
      "obs.cm",
      `import { claude } from "std/agents"\nworkflow main() -> string {\n  agent writer = claude()\n  step a = writer.ask("say one")\n  step b = sh("echo two")\n  return trim(b.stdout)\n}`,
    );
    const host = nodeHost(ws.dir);
    const { ir, diagnostics } = compile(host.keyOf(file), host);
    expect(diagnostics).toEqual([]);
    const store = openStore(path.join(ws.dir, ".cmc"));
    try {
      const run = await createRun(store, {
        ir: ir!,
        workflow: "obs.cm:main",
        file: "obs.cm",
        workspace: ws.dir,
        inputs: {},
        mode: "supervised",
        concurrency: 4,
        allowOutside: false,
      });
      let calls = 0;
      const warnings: string[] = [];
      const record = await driveRun(store, run.id, {
        activity: () => {
          calls++;
          throw new Error("the terminal went away");
        },
        warn: (message) => warnings.push(message),
        signal: new AbortController().signal,
      });
      expect(record.status).toBe("succeeded");
      expect(record.result).toBe("two");
      expect(calls).toBe(1);
      expect(warnings).toEqual(["progress display failed and was turned off, the run goes on: the terminal went away"]);
    } finally {
      await store.close();
    }
  });
});

describe("a step log that cannot be written", () => {
  it("does not fail the step whose command succeeded: one warning, the result stands", async () => {
    ws.write(
      "log.cm",
      `workflow main() -> list<string> {
        // Each step's log path is taken by a folder, so appending to it fails (EISDIR).
        step block = sh("mkdir -p \\"$CMC_RUN_STORE/logs/$CMC_RUN_ID/s.log\\" \\"$CMC_RUN_STORE/logs/$CMC_RUN_ID/t.log\\"")
        step s = sh("echo out; echo err >&2", retry: 2)
        step t = sh("echo again")
        return [trim(s.stdout), trim(t.stdout)]
      }`,
    );
    const r = await ws.cmc(["run", "log.cm", "--json"]);
    const out = ws.json(r);
    expect(out.status).toBe("succeeded");
    expect(out.result).toEqual(["out", "again"]);
    expect(out.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
      ["block", "succeeded", 1],
      ["s", "succeeded", 1],
      ["t", "succeeded", 1],
    ]);
    expect(r.stderr.match(/warning: the log of step `s` could not be written \(EISDIR[^)]*\); its result stands/g)).toHaveLength(1);
    expect(r.stderr).not.toContain("`t` could not be written");
  });

  it("runs the step when its log cannot even be created (the logs folder is taken by a file)", async () => {
    mkdirSync(path.join(ws.dir, ".cmc"));
    ws.write(".cmc/logs", "");
    ws.write("nolog.cm", `workflow main() -> string {\n  step s = sh("echo hi")\n  return trim(s.stdout)\n}`);
    const r = await ws.cmc(["run", "nolog.cm", "--json"]);
    expect(ws.json(r).status).toBe("succeeded");
    expect(ws.json(r).result).toBe("hi");
    expect(r.stderr).toMatch(/warning: the log of step `s` could not be written \(ENOTDIR[^)]*\); its result stands/);
  });
});

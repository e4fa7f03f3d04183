/** `cmc rerun RUN --from STEP`: a new, linked run that reuses what came before STEP. Real CLI, real store. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workspace, type Workspace } from "../runtime/workspace.js";

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.write(
    "ship.cm",
    `workflow main(target: string = "a") -> string {
  step setup = sh("echo setup >> trace")
  step build = sh("echo build-\${target} >> trace")
  step test = sh("echo test >> trace; test -f ok")
  step report = sh("echo report >> trace")
  return "done"
}`,
  );
});
afterEach(() => ws.remove());

async function failedRun(): Promise<string> {
  const first = await ws.cmc(["run", "ship.cm", "--json"]);
  expect(first.code).toBe(1);
  expect(ws.read("trace")).toBe("setup\nbuild-a\ntest\n");
  return ws.json(first).run;
}

describe("cmc rerun", () => {
  it("reuses the steps before --from and runs it and what follows again, in a new run linked to the first", async () => {
    const id = await failedRun();
    ws.write("ok", "");
    const again = await ws.cmc(["rerun", id, "--from", "test", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`a rerun of ${id} from \`test\`, reusing 2 finished steps`);
    expect(ws.read("trace")).toBe("setup\nbuild-a\ntest\ntest\nreport\n");
    const out = ws.json(again) as unknown as { run: string; result: string; rerunOf: { run: string; from: string } };
    expect(out.run).not.toBe(id);
    expect(out.result).toBe("done");
    expect(out.rerunOf).toEqual({ run: id, from: "test" });
    const status = await ws.cmc(["status", out.run]);
    expect(status.stdout).toContain(`rerun of  ${id}, from step test`);
    const runs = await ws.cmc(["runs"]);
    expect(runs.stdout).toContain(`(rerun of ${id} from test)`);
    // The original is left as it was.
    expect(ws.json(await ws.cmc(["status", id, "--json"])).status).toBe("failed");
  });

  it("also runs again a step before --from that a changed --input reaches", async () => {
    const id = await failedRun();
    ws.write("ok", "");
    const again = await ws.cmc(["rerun", id, "--from", "test", "--input", "target=b", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(ws.read("trace")).toBe("setup\nbuild-a\ntest\nbuild-b\ntest\nreport\n");
  });

  it("goes over the same loop items as the original, though a file was added since", async () => {
    ws.write("a.txt", "");
    ws.write("c.txt", "");
    ws.write(
      "loop.cm",
      `workflow main() -> string {
  for f in glob("*.txt") {
    step seen = sh("echo \${f} >> trace")
  }
  step after = sh("echo after >> trace; test -f ok")
  return "done"
}`,
    );
    const first = await ws.cmc(["run", "loop.cm", "--json"]);
    expect(first.code).toBe(1);
    ws.write("b.txt", "");
    ws.write("ok", "");
    const again = await ws.cmc(["rerun", ws.json(first).run, "--from", "after", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(ws.read("trace")).toBe("a.txt\nc.txt\nafter\nafter\n");
  });

  it("refuses a step the workflow does not have, naming those it has", async () => {
    const id = await failedRun();
    const r = await ws.cmc(["rerun", id, "--from", "tset"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("workflow `main` has no step `tset`; its steps are `setup`, `build`, `test`, `report`");
    const missing = await ws.cmc(["rerun", id]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--from");
  });
});

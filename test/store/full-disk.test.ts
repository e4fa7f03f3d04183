/**
 * A store whose disk fills up, end to end through the real CLI: the store on a 2 MiB tmpfs with a
 * ballast file, a run that fills it (its journal, or its step logs), a clear error naming the store
 * (exit 74, no stack trace), a resume while still full that says the same, and once the ballast is
 * removed a resume that finishes the run without running a finished step again.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import { workspace, type Workspace } from "../runtime/workspace.js";

const mountPoint = mkdtempSync(path.join(tmpdir(), "cmc-full-"));
/** Why the scenario cannot run here, or undefined once the tmpfs is mounted. */
const unavailable = (() => {
  if (process.platform !== "linux") return "tmpfs needs Linux";
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint], { stdio: "pipe" });
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs (needs root): ${(error as Error).message.split("\n")[0]}`;
  }
})();
if (unavailable) console.warn(`skipping the full-disk tests: ${unavailable}`);

afterAll(() => {
  if (!unavailable) execFileSync("umount", [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

let ws: Workspace;
let store: string;
beforeEach(() => {
  ws = workspace();
  store = path.join(mountPoint, "store");
  mkdirSync(store);
});
afterEach(() => {
  ws.remove();
  rmSync(store, { recursive: true, force: true });
});

/** Each step's payload: a logged step's output is also in its journaled result, so twice on disk. */
const PAD = { journal: 100_000, logs: 50_000 };

/** Twelve steps, each journaling (in its command) or logging (its output) `PAD` bytes, and noting its index in `trace`. */
function workflow(fill: "journal" | "logs"): string {
  writeFileSync(path.join(ws.dir, "pad.txt"), "p".repeat(PAD[fill]));
  const command = fill === "journal" ? "printf '%s' ${pad} > /dev/null; echo ${i} >> trace" : "cat pad.txt; echo ${i} >> trace";
  return `workflow main() {\n  let pad = read("pad.txt")\n  for i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] {\n    step s = sh("${command}")\n  }\n}\n`;
}

describe.skipIf(unavailable !== undefined)("a full disk under the store", () => {
  it("says the disk is full when a new store cannot even be created, and to try again", async () => {
    ws.write("one.cm", `workflow main() {\n  step s = sh("true")\n}`);
    // Fill the whole tmpfs: writing stops with ENOSPC at its size.
    try {
      writeFileSync(path.join(store, "ballast"), Buffer.alloc(4 * 1024 * 1024));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
    }
    const r = await ws.cmc(["--store", path.join(store, "new"), "run", "one.cm"]);
    expect(r.code, r.stderr).toBe(74);
    expect(r.stderr).toMatch(/error: the disk holding the store at .*new.* is full: free some space there, then try again/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  for (const fill of ["journal", "logs"] as const) {
    it(`stops the run with a clear error when the ${fill} fill the disk, and resumes it once space is freed`, async () => {
      ws.write("fill.cm", workflow(fill));
      // About 1.2 MB of the 2 MiB taken: the run needs more than the rest, and fits once it is gone.
      writeFileSync(path.join(store, "ballast"), Buffer.alloc(1_200_000));
      const cmc = (...args: string[]) => ws.cmc(["--store", store, ...args]);

      const first = await cmc("run", "fill.cm");
      expect(first.code, first.stderr).toBe(74);
      expect(first.stderr).toMatch(/error: the disk holding the (store at |step log )/);
      expect(first.stderr).toContain(store);
      expect(first.stderr).toMatch(/is full: free some space there/);
      expect(first.stderr).not.toMatch(/internal error|\n\s+at |Commit failed/);
      const id = /run (\w+) started/.exec(first.stderr)?.[1] as string;
      expect(first.stderr).toContain(`continue it with: cmc --store ${store} resume ${id}`);

      const status = ws.json(await cmc("status", id, "--json"));
      expect(status.status).toBe("interrupted");
      const finished = status.steps.filter((s) => s.status === "succeeded").map((s) => Number(/\[(\d+)\]/.exec(s.id)?.[1]));
      expect(finished.length).toBeGreaterThan(0);
      expect(status.steps.some((s) => s.status === "failed")).toBe(false);

      const stillFull = await cmc("resume", id);
      expect(stillFull.code, stillFull.stderr).toBe(74);
      expect(stillFull.stderr).toMatch(/is full: free some space there/);
      expect(stillFull.stderr).not.toMatch(/internal error|\n\s+at /);

      rmSync(path.join(store, "ballast"));
      const resumed = await cmc("resume", id, "--json");
      expect(resumed.code, resumed.stderr).toBe(0);
      const done = ws.json(resumed);
      expect(done.status).toBe("succeeded");
      expect(done.steps.map((s) => s.status)).toEqual(Array(12).fill("succeeded"));
      // Every step ran; one that had finished before the disk filled never ran again.
      const runs = readFileSync(path.join(ws.dir, "trace"), "utf8").trim().split("\n").map(Number);
      for (let i = 0; i < 12; i++) expect(runs).toContain(i);
      for (const i of finished) expect(runs.filter((r) => r === i)).toHaveLength(1);
      if (fill === "logs") expect(readFileSync(path.join(store, "logs", id, "s%5B11%5D.log"), "utf8")).toBe("p".repeat(PAD.logs));
    }, 120_000);
  }
});

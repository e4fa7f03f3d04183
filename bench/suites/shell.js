/**
 * Benchmark 2 — a shell chain: 200 sequential `sh("true")` steps through `cmc run` (durable journal
 * on, fresh store per run), against GNU make running the same chain and a bare Node.js loop of 200
 * spawns of `/bin/sh -c true` (the floor for any Node runner). Each is also timed with one step,
 * so the per-step cost beyond start-up can be read off.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { shellChain, shellChainMakefile } from "../lib/programs.js";
import { benchDir, cmcBin, fmtMs, interleave, measure, ratio, scratch } from "../lib/util.js";

/** @param {{ runs: number, steps?: number }} o */
export async function shellBench({ runs, steps = 200 }) {
  const dir = scratch("shell");
  const chain = shellChain(dir, steps);
  const one = shellChain(dir, 1);
  const mk = shellChainMakefile(dir, steps);
  const mk1 = shellChainMakefile(dir, 1);
  const floor = path.join(benchDir, "peers", "node-floor.js");
  const store = path.join(dir, ".cmc");
  const cmc = (file, ...flags) => () => {
    rmSync(store, { recursive: true, force: true });
    return measure([process.execPath, cmcBin, "run", file, ...flags], { cwd: dir });
  };
  const make = (file, n) => () => measure(["make", "-s", "-f", file, `s${n - 1}`], { cwd: dir });
  const node = (n) => () => measure([process.execPath, floor, String(n)], { cwd: dir });
  const durableFloor = path.join(benchDir, "peers", "durable-floor.js");
  const durable = (n, ...flags) => () => measure([process.execPath, durableFloor, String(n), path.join(dir, "floor-db"), ...flags], { cwd: dir });
  const r = await interleave(
    {
      cmc1: cmc(one),
      cmc: cmc(chain),
      batch1: cmc(one, "--durability", "batch"),
      batch: cmc(chain, "--durability", "batch"),
      make1: make(mk1, 1), make: make(mk, steps), node1: node(1), node: node(steps), durable1: durable(1), durable: durable(steps),
      execa1: durable(1, "--execa"), execa: durable(steps, "--execa") },
    runs,
  );
  const per = (a, b) => (r[a].ms - r[b].ms) / (steps - 1);
  const cmcStep = per("cmc", "cmc1");
  const batchStep = per("batch", "batch1");
  const nodeStep = per("node", "node1");
  const makeStep = per("make", "make1");
  const durableStep = per("durable", "durable1");
  const execaStep = per("execa", "execa1");
  const row = (name, all, first, step) => [name, fmtMs(r[first].ms), fmtMs(r[all].ms), `${step.toFixed(2)} ms`, ratio(r[all].ms, r.node.ms), ratio(step, nodeStep)];
  return {
    id: "shell",
    title: `2. A chain of ${steps} shell steps`,
    commands: [
      `node bin/cmc.js run chain-${steps}.cm [--durability batch]   # ${steps} × step sN = sh("true"), fresh .cmc store each run`,
      `make -s -f chain-${steps}.mk s${steps - 1}   # phony targets s0 ← s1 ← …, each recipe \`true\``,
      `node bench/peers/node-floor.js ${steps}   # ${steps} sequential spawn("/bin/sh", ["-c", "true"])`,
      `node bench/peers/durable-floor.js ${steps} floor-db   # the same, each followed by one fsynced LMDB commit`,
      `node bench/peers/durable-floor.js ${steps} floor-db --execa   # the same through execa, with cmc's options (process group, output piped and read)`,
    ],
    head: ["runner", "1 step", `${steps} steps`, "per step beyond start-up", "whole run vs Node floor", "per step vs Node floor"],
    rows: [
      row("cmc run (journal on)", "cmc", "cmc1", cmcStep),
      row("cmc run --durability batch", "batch", "batch1", batchStep),
      row("GNU make", "make", "make1", makeStep),
      row("Node.js spawn loop (floor)", "node", "node1", nodeStep),
      row("the same + one fsynced LMDB commit a step (durable floor)", "durable", "durable1", durableStep),
      row("the durable floor through execa with cmc's options (the floor under the project's rules)", "execa", "execa1", execaStep),
    ],
    targets: [
      {
        what: "shell chain, per step vs the Node spawn floor",
        value: `${ratio(cmcStep, nodeStep)} (${cmcStep.toFixed(2)} vs ${nodeStep.toFixed(2)} ms); whole run ${ratio(r.cmc.ms, r.node.ms)}`,
        goal: "≤ 1.3×",
        met: cmcStep <= 1.3 * nodeStep,
      },
      {
        what: "shell chain, per step vs the durable floor (spawn + one fsynced commit)",
        value: `${ratio(cmcStep, durableStep)} (${cmcStep.toFixed(2)} vs ${durableStep.toFixed(2)} ms); whole run ${ratio(r.cmc.ms, r.durable.ms)}`,
        goal: "≤ 1.2×",
        met: cmcStep <= 1.2 * durableStep,
      },
    ],
    notes: [
      `--durability batch resolves each commit before its disk flush: ${(cmcStep - batchStep).toFixed(2)} ms a step less than the default, which waits for the flush.`,
      `Beyond the floor under the project's rules (execa, output read, one fsynced commit a step), cmc spends ${(cmcStep - execaStep).toFixed(2)} ms a step (${ratio(cmcStep, execaStep)}): execa alone costs ${(execaStep - durableStep).toFixed(2)} ms a step over a bare spawn.`,
      "GNU make runs a recipe without metacharacters by exec'ing it directly (no /bin/sh), so it is below the floor of anything that runs `sh -c`.",
    ],
    raw: r,
  };
}

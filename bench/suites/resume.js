/**
 * Benchmark 4 — resume: a run finishes N scripted steps, parks at an `approve` gate (exit 3), is
 * approved with `cmc approve`; then `cmc resume` is timed until the step after the gate starts (it
 * writes `date +%s%N` to a file) and until the process ends. Each sample resumes a fresh copy of
 * the parked store. The same with one finished step gives the start-up to subtract.
 */
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { resumeProgram } from "../lib/programs.js";
import { cmcBin, fmtInt, fmtMs, interleave, measure, scratch } from "../lib/util.js";

/** Parks a run of `n` finished steps at the gate, approved; returns its store folder and run id. */
async function parked(dir, n) {
  const { file, inputs } = resumeProgram(dir, n);
  const store = path.join(dir, `parked-${n}`);
  const ran = await measure([process.execPath, cmcBin, "run", file, "--inputs", inputs, "--store", store, "--json"], { cwd: dir, okCodes: [3] });
  // Only the id is read: the `--json` summary lists every step, and is big at 10,000 steps.
  const run = /"run"\s*:\s*"([^"]+)"/.exec(ran.stdout)?.[1];
  if (!run) throw new Error(`no run id in the output of cmc run: ${ran.stdout.slice(0, 200)}`);
  await measure([process.execPath, cmcBin, "approve", run, "gate", "--store", store], { cwd: dir });
  return { store, run, setupMs: ran.ms };
}

/** @param {{ runs: number, steps?: number }} o */
export async function resumeBench({ runs, steps = 10_000 }) {
  const dir = scratch("resume");
  const marker = path.join(dir, "next-started.txt");
  const sizes = [1, steps];
  const setups = {};
  for (const n of sizes) setups[n] = await parked(dir, n);
  const nextStart = {};
  const cases = {};
  for (const n of sizes) {
    nextStart[n] = [];
    cases[`r${n}`] = async () => {
      const live = path.join(dir, `live-${n}`);
      rmSync(live, { recursive: true, force: true });
      cpSync(setups[n].store, live, { recursive: true });
      rmSync(marker, { force: true });
      const t0 = Date.now();
      const m = await measure([process.execPath, cmcBin, "resume", setups[n].run, "--store", live], { cwd: dir });
      if (!existsSync(marker)) throw new Error("the step after the gate did not run");
      nextStart[n].push(Number(BigInt(readFileSync(marker, "utf8").trim()) / 1_000_000n) - t0);
      return m;
    };
  }
  const r = await interleave(cases, runs);
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // The warm-up sample is the first one pushed; drop it as interleave does.
  const start = Object.fromEntries(sizes.map((n) => [n, med(nextStart[n].slice(1))]));
  const beyond = start[steps] - start[1];
  return {
    id: "resume",
    runs,
    title: `4. Resuming a run with ${fmtInt(steps)} finished steps`,
    commands: [
      `node bin/cmc.js run resume.cm --inputs items-${steps}.json --json   # ${fmtInt(steps)} scripted steps, then approve(…): parks, exit 3 (took ${fmtMs(setups[steps].setupMs)})`,
      `node bin/cmc.js approve RUN gate`,
      `node bin/cmc.js resume RUN   # timed: until the next step (sh("date +%s%N > next-started.txt")) starts, and until exit`,
    ],
    head: ["finished steps", "resume → next step starts", "whole `cmc resume`"],
    rows: sizes.map((n) => [fmtInt(n), fmtMs(start[n]), fmtMs(r[`r${n}`].ms)]),
    targets: [
      {
        what: `resume of ${fmtInt(steps)} finished steps, beyond start-up (the 1-step run)`,
        value: fmtMs(beyond),
        goal: "< 300 ms",
        met: beyond < 300,
      },
    ],
    notes: [`Start-up here is the same resume with 1 finished step: ${fmtMs(start[1])} to the next step.`],
    raw: { ...r, nextStart: start },
  };
}

/**
 * Benchmark 3 — fan-out: N scripted-agent steps in one `for … parallel 64`, every transition
 * journaled (fresh store per run), against LangGraph.js doing the same with a `Send` per item and
 * its SQLite checkpointer. Whole-process wall time and peak resident memory (GNU time), at 1,000,
 * 5,000 and 20,000 items; a one-item run of each gives the start-up to count steps/s beyond.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { fanout } from "../lib/programs.js";
import { benchDir, cmcBin, fmtInt, fmtMs, interleave, measure, scratch } from "../lib/util.js";

/** @param {{ runs: number, sizes?: number[] }} o */
export async function fanoutBench({ runs, sizes = [1000, 5000, 20000] }) {
  const dir = scratch("fanout");
  const store = path.join(dir, ".cmc");
  const db = path.join(dir, "langgraph.db");
  const peer = path.join(benchDir, "peers", "langgraph-fanout.js");
  const all = [1, ...sizes];
  const cases = {};
  for (const n of all) {
    const { file, inputs } = fanout(dir, n);
    cases[`cmc${n}`] = () => {
      rmSync(store, { recursive: true, force: true });
      return measure([process.execPath, cmcBin, "run", file, "--inputs", inputs, "--concurrency", "64"], { cwd: dir });
    };
    cases[`lg${n}`] = () => {
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
      return measure([process.execPath, peer, String(n), db], { cwd: dir });
    };
  }
  // The largest size runs fewer times: it is there to show growth, not to be precise.
  const big = Math.max(...sizes);
  const small = Object.fromEntries(Object.entries(cases).filter(([k]) => !k.endsWith(String(big)) || big === 1));
  const large = Object.fromEntries(Object.entries(cases).filter(([k]) => k.endsWith(String(big))));
  const r = { ...(await interleave(small, runs)), ...(await interleave(large, Math.max(1, Math.min(runs, 3)), { warmup: 0 })) };
  const rows = [];
  const rate = (tool, n) => n / ((r[`${tool}${n}`].ms - r[`${tool}1`].ms) / 1000);
  for (const n of sizes) {
    for (const [tool, name] of [["cmc", "cmc run"], ["lg", "LangGraph.js + SqliteSaver"]]) {
      const m = r[`${tool}${n}`];
      rows.push([
        fmtInt(n),
        name,
        fmtMs(m.ms),
        fmtInt(n / (m.ms / 1000)),
        fmtInt(rate(tool, n)),
        m.rssMb === undefined ? "–" : `${m.rssMb.toFixed(0)} MB`,
      ]);
    }
  }
  const mid = sizes.includes(5000) ? 5000 : sizes[Math.floor(sizes.length / 2)];
  const beyond = (tool, n) => r[`${tool}${n}`].ms - r[`${tool}1`].ms;
  const growth = beyond("cmc", big) / beyond("cmc", mid);
  const cmcRate = rate("cmc", mid);
  const peak = Math.max(...sizes.filter((n) => n <= mid).map((n) => r[`cmc${n}`].rssMb ?? 0));
  return {
    id: "fanout",
    title: "3. Fan-out: scripted-agent steps in one `for … parallel 64`",
    commands: [
      `node bin/cmc.js run fanout.cm --inputs items-N.json --concurrency 64   # for item in items parallel 64 { step work = bot.ask(…) }, bot = scripted(…)`,
      `node bench/peers/langgraph-fanout.js N langgraph.db   # Send("work", { item }) per item, maxConcurrency 64, SqliteSaver`,
    ],
    head: ["items", "runner", "wall time", "steps/s (whole run)", "steps/s beyond start-up", "peak memory"],
    rows,
    targets: [
      { what: `fan-out, steps/s beyond start-up at ${fmtInt(mid)} items`, value: fmtInt(cmcRate), goal: "≥ 10,000", met: cmcRate >= 10_000 },
      {
        what: `fan-out growth, ${fmtInt(big)} vs ${fmtInt(mid)} items (beyond start-up)`,
        value: `${growth.toFixed(2)}×`,
        goal: `≤ ${((4.5 * big) / 20000).toFixed(1)}×`,
        met: growth <= (4.5 * big) / 20000,
      },
      { what: `fan-out peak memory at ${fmtInt(mid)} items`, value: `${peak.toFixed(0)} MB`, goal: "< 200 MB", met: peak > 0 && peak < 200 },
    ],
    notes: [
      `Start-up (one item): cmc ${fmtMs(r.cmc1.ms)}, LangGraph ${fmtMs(r.lg1.ms)}. ${fmtInt(big)} items: median of ${Math.max(1, Math.min(runs, 3))} runs without warm-up.`,
    ],
    raw: r,
  };
}

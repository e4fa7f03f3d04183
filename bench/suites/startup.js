/**
 * Benchmark 5 — start-up: `cmc --version` and `cmc check` of a one-line file, beside `node -e 0`
 * (the floor of any Node.js CLI).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { cmcBin, fmtMs, interleave, measure, ratio, scratch } from "../lib/util.js";

/** @param {{ runs: number }} o */
export async function startupBench({ runs }) {
  const dir = scratch("startup");
  const one = path.join(dir, "one.cm");
  writeFileSync(one, `workflow main() { step hello = sh("echo hi") }\n`);
  const r = await interleave(
    {
      node: () => measure([process.execPath, "-e", "0"], { cwd: dir }),
      version: () => measure([process.execPath, cmcBin, "--version"], { cwd: dir }),
      check: () => measure([process.execPath, cmcBin, "check", one], { cwd: dir }),
    },
    runs * 2,
  );
  return {
    id: "startup",
    title: "5. Start-up",
    commands: ["node -e 0", "node bin/cmc.js --version", "node bin/cmc.js check one.cm   # workflow main() { step hello = sh(\"echo hi\") }"],
    head: ["command", "wall time", "vs node -e 0", "peak memory"],
    rows: [
      ["node -e 0 (floor)", fmtMs(r.node.ms), "1.00×", `${r.node.rssMb?.toFixed(0)} MB`],
      ["cmc --version", fmtMs(r.version.ms), ratio(r.version.ms, r.node.ms), `${r.version.rssMb?.toFixed(0)} MB`],
      ["cmc check (one line)", fmtMs(r.check.ms), ratio(r.check.ms, r.node.ms), `${r.check.rssMb?.toFixed(0)} MB`],
    ],
    targets: [{ what: "`cmc --version`", value: fmtMs(r.version.ms), goal: "< 150 ms", met: r.version.ms < 150 }],
    notes: [],
    raw: r,
  };
}

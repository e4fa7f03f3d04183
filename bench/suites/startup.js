/**
 * Benchmark 5 — start-up: `cmc --version`, `cmc check` of a one-line file and of a one-screen
 * program (examples/hello.cm, copied), and `cmc status` of a finished one-step run, beside
 * `node -e 0` (the floor of any Node.js CLI), with issue 13's targets against that floor.
 */
import { copyFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cmcBin, fmtMs, interleave, measure, ratio, root, scratch } from "../lib/util.js";

/** @param {{ runs: number }} o */
export async function startupBench({ runs }) {
  const dir = scratch("startup");
  const one = path.join(dir, "one.cm");
  writeFileSync(one, `workflow main() { step hello = sh("echo hi") }\n`);
  const screen = path.join(dir, "hello.cm");
  copyFileSync(path.join(root, "examples", "hello.cm"), screen);
  const started = await measure([process.execPath, cmcBin, "run", one, "--json"], { cwd: dir });
  const run = JSON.parse(started.stdout).run;
  const r = await interleave(
    {
      node: () => measure([process.execPath, "-e", "0"], { cwd: dir }),
      version: () => measure([process.execPath, cmcBin, "--version"], { cwd: dir }),
      check: () => measure([process.execPath, cmcBin, "check", one], { cwd: dir }),
      screen: () => measure([process.execPath, cmcBin, "check", screen], { cwd: dir }),
      status: () => measure([process.execPath, cmcBin, "status", run], { cwd: dir }),
    },
    runs * 2,
  );
  const vsNode = (ms) => ms / r.node.ms;
  const target = (what, ms, most) => ({ what, value: `${ratio(ms, r.node.ms)} (${fmtMs(ms)})`, goal: `≤ ${most}× node -e 0`, met: vsNode(ms) <= most });
  const row = (what, m) => [what, fmtMs(m.ms), ratio(m.ms, r.node.ms), `${m.rssMb?.toFixed(0)} MB`];
  return {
    id: "startup",
    title: "5. Start-up",
    commands: [
      "node -e 0",
      "node bin/cmc.js --version",
      'node bin/cmc.js check one.cm   # workflow main() { step hello = sh("echo hi") }',
      "node bin/cmc.js check hello.cm   # examples/hello.cm, 41 lines",
      "node bin/cmc.js status RUN   # a finished run of one.cm, made before timing",
    ],
    head: ["command", "wall time", "vs node -e 0", "peak memory"],
    rows: [
      ["node -e 0 (floor)", fmtMs(r.node.ms), "1.00×", `${r.node.rssMb?.toFixed(0)} MB`],
      row("cmc --version", r.version),
      row("cmc check (one line)", r.check),
      row("cmc check (one screen, hello.cm)", r.screen),
      row("cmc status RUN (one finished step)", r.status),
    ],
    targets: [
      target("`cmc check` of a one-screen file", r.screen.ms, 1.3),
      target("`cmc --version`", r.version.ms, 1.15),
      target("`cmc status RUN`", r.status.ms, 1.15),
    ],
    notes: [],
    raw: r,
  };
}

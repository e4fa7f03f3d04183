/**
 * Benchmark 6 — against the seeds' own tool: 200 sequential agent steps through the OpenCode
 * adapter. cmc (`a0.ask("p1")` … as 200 steps) and CodeMachine 0.8 (`codemachine run "a0 'p1' && …"`)
 * both drive the same stand-in `opencode` (bench/stand-ins/opencode, first on PATH), beside a shell
 * loop invoking that stand-in 200 times (the floor) and a bare Node.js loop spawning it 200 times
 * (the floor for any Node runner). One-step runs give each tool's start-up.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { setupCodemachine } from "../peers/codemachine.js";
import { agentChain } from "../lib/programs.js";
import { benchDir, cmcBin, fmtMs, interleave, measure, ratio, scratch } from "../lib/util.js";

/** @param {{ runs: number, steps?: number }} o */
export async function agentsBench({ runs, steps = 200 }) {
  const dir = scratch("agents");
  const standIns = path.join(benchDir, "stand-ins");
  const env = { PATH: `${standIns}:${process.env.PATH}` };
  const chain = agentChain(dir, steps);
  const one = agentChain(dir, 1);
  const store = path.join(dir, ".cmc");
  const cm = setupCodemachine(standIns);
  const loop = (n) => `for i in $(seq ${n}); do echo "p$i" | opencode run --format json > /dev/null; done`;
  const cmc = (file) => () => {
    rmSync(store, { recursive: true, force: true });
    return measure([process.execPath, cmcBin, "run", file], { cwd: dir, env });
  };
  const codemachine = (n) => () => measure(cm.argv(n), { cwd: cm.cwd, env: cm.env });
  const floor = (n) => () => measure(["/bin/sh", "-c", loop(n)], { cwd: dir, env });
  const nodeFloor = (n) => () =>
    measure([process.execPath, path.join(benchDir, "peers", "node-floor.js"), String(n), "--", "opencode", "run", "--format", "json"], { cwd: dir, env });
  const r = await interleave(
    {
      cmc1: cmc(one),
      cmc: cmc(chain),
      cm1: codemachine(1),
      cm: codemachine(steps),
      node1: nodeFloor(1),
      node: nodeFloor(steps),
      floor1: floor(1),
      floor: floor(steps),
    },
    runs,
  );
  const per = (all, first) => (r[all].ms - r[first].ms) / (steps - 1);
  const step = { cmc: per("cmc", "cmc1"), cm: per("cm", "cm1"), node: per("node", "node1"), floor: per("floor", "floor1") };
  const row = (name, key) => [
    name,
    fmtMs(r[`${key}1`].ms),
    fmtMs(r[key].ms),
    `${(r[key].ms / steps).toFixed(2)} ms`,
    `${step[key].toFixed(2)} ms`,
    ratio(step[key], step.floor),
    r[key].rssMb === undefined ? "–" : `${r[key].rssMb.toFixed(0)} MB`,
  ];
  return {
    id: "agents",
    title: `6. ${steps} sequential OpenCode agent steps: cmc against CodeMachine 0.8`,
    commands: [
      `node bin/cmc.js run agents-${steps}.cm   # agent a0 = opencode(); step s0 = a0.ask("p1") … (fresh store each run)`,
      `CODEMACHINE_RESOURCES_DIR=bench/.work/codemachine/resources codemachine run "a0 'p1' && a0 'p2' && …"   # a0: engine "opencode" in config/main.agents.js`,
      `sh -c '${loop(steps)}'   # the floor`,
      `node bench/peers/node-floor.js ${steps} -- opencode run --format json   # the floor for a Node.js runner: ${steps} sequential spawns, prompt on stdin, output read`,
      `PATH=bench/stand-ins:$PATH for all three: bench/stand-ins/opencode prints a one-turn OpenCode JSON reply using shell built-ins only`,
    ],
    head: ["runner", "1 step", `${steps} steps`, "per step (whole run)", "per step beyond start-up", "per step vs floor", "peak memory"],
    rows: [
      row("cmc run", "cmc"),
      row("CodeMachine 0.8.0", "cm"),
      row("Node.js spawn loop (no runner)", "node"),
      row("shell loop (floor)", "floor"),
    ],
    targets: [
      {
        what: `${steps} agent steps, whole run vs CodeMachine 0.8 in the same run (issue 13)`,
        value: `${ratio(r.cmc.ms, r.cm.ms)} (${fmtMs(r.cmc.ms)} vs ${fmtMs(r.cm.ms)}; per step beyond start-up ${ratio(step.cmc, step.cm)})`,
        goal: "≤ 0.8×",
        met: r.cmc.ms <= 0.8 * r.cm.ms,
      },
      {
        what: `${steps} agent steps, per step vs the stand-in floor`,
        value: `${ratio(step.cmc, step.floor)} (${step.cmc.toFixed(2)} vs ${step.floor.toFixed(2)} ms; CodeMachine ${step.cm.toFixed(2)} ms, ${ratio(step.cm, step.cmc)} cmc; a bare Node.js spawn loop alone ${ratio(step.node, step.floor)})`,
        goal: "≤ 1.3×",
        met: step.cmc <= 1.3 * step.floor,
      },
    ],
    notes: [
      `A bare Node.js loop that only spawns the stand-in and reads its output costs ${step.node.toFixed(2)} ms a step, ${ratio(step.node, step.floor)} the shell loop: forking a Node.js process costs more than forking /bin/sh, before any runner does anything.`,
    ],
    raw: r,
  };
}

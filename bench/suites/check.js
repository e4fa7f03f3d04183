/**
 * Benchmark 1 — checking: `cmc check` of a generated ~20,000-line program (bench/gen-program.js)
 * against the same workflows written as YAML, parsed with `yaml` and validated with zod
 * (bench/peers/yaml-check.js). Both are timed as whole processes; start-up is each tool's time on a
 * one-workflow file, and throughput is counted beyond it.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { generateProgram } from "../gen-program.js";
import { generateYaml } from "../peers/gen-yaml.js";
import { benchDir, cmcBin, fmtInt, fmtMs, interleave, measure, ratio, scratch } from "../lib/util.js";

/** @param {{ runs: number, lines?: number }} o */
export async function checkBench({ runs, lines = 20_000 }) {
  const dir = scratch("check");
  const program = generateProgram(lines);
  const cmLines = program.split("\n").length - 1;
  const workflows = (program.match(/^export workflow /gm) ?? []).length;
  const yaml = generateYaml(workflows);
  const yamlLines = yaml.split("\n").length - 1;
  const files = {
    cmBig: path.join(dir, "big.cm"),
    cmTiny: path.join(dir, "tiny.cm"),
    yamlBig: path.join(dir, "big.yaml"),
    yamlTiny: path.join(dir, "tiny.yaml"),
  };
  writeFileSync(files.cmBig, program);
  writeFileSync(files.cmTiny, `workflow main() { step hello = sh("echo hi") }\n`);
  writeFileSync(files.yamlBig, yaml);
  writeFileSync(files.yamlTiny, `workflows:\n  main:\n    steps:\n      - { id: hello, sh: echo hi }\n`);
  const yamlCheck = path.join(benchDir, "peers", "yaml-check.js");
  const cmc = (f) => () => measure([process.execPath, cmcBin, "check", f], { cwd: dir });
  const peer = (f) => () => measure([process.execPath, yamlCheck, f], { cwd: dir });
  const r = await interleave(
    { cmTiny: cmc(files.cmTiny), cmBig: cmc(files.cmBig), yamlTiny: peer(files.yamlTiny), yamlBig: peer(files.yamlBig) },
    runs,
  );
  const cmBeyond = Math.max(r.cmBig.ms - r.cmTiny.ms, 0.001);
  const yamlBeyond = Math.max(r.yamlBig.ms - r.yamlTiny.ms, 0.001);
  const cmRate = cmLines / (cmBeyond / 1000);
  const yamlRate = yamlLines / (yamlBeyond / 1000);
  return {
    id: "check",
    title: "1. Checking a ~20,000-line program",
    commands: [
      `node bin/cmc.js check big.cm   # ${fmtInt(cmLines)} lines, ${workflows} workflows (bench/gen-program.js)`,
      `node bench/peers/yaml-check.js big.yaml   # the same ${workflows} workflows as YAML, ${fmtInt(yamlLines)} lines: yaml.parse + zod`,
    ],
    head: ["tool", "one-workflow file (start-up)", "big file", "beyond start-up", "lines/s beyond start-up", "vs cmc (time for the same workflows)"],
    rows: [
      ["cmc check (parse + type-check)", fmtMs(r.cmTiny.ms), fmtMs(r.cmBig.ms), fmtMs(cmBeyond), fmtInt(cmRate), "1.00×"],
      ["YAML + zod (parse + validate)", fmtMs(r.yamlTiny.ms), fmtMs(r.yamlBig.ms), fmtMs(yamlBeyond), fmtInt(yamlRate), ratio(yamlBeyond, cmBeyond)],
    ],
    targets: [{ what: "checking, lines per second beyond start-up", value: `${fmtInt(cmRate)} lines/s`, goal: "≥ 200,000 lines/s", met: cmRate >= 200_000 }],
    notes: [
      "The YAML peer only parses and validates the document's shape (and that called workflows exist); `cmc check` also resolves names, types every expression and interpolation, and checks definite assignment.",
    ],
    raw: r,
  };
}

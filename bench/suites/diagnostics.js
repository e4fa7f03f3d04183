/**
 * Benchmark 7 — rendering diagnostics: 10,000 real warnings (an unused `let` a line) rendered by
 * `renderDiagnostics`, which finds positions through one line index per file, against the same
 * diagnostics rendered with a rescan of the text for every position (what the renderer did before:
 * `positionAt`, linear in the offset), in the same process and run. The whole `cmc check` of the
 * file is timed too, as a user runs it.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { cmcBin, fmtInt, fmtMs, interleave, measure, median, ratio, root, scratch } from "../lib/util.js";

const dist = (p) => import(path.join(root, "dist", p));

/** @param {{ runs: number, count?: number }} o */
export async function diagnosticsBench({ runs, count = 10_000 }) {
  const dir = scratch("diagnostics");
  const file = path.join(dir, "warnings.cm");
  const body = Array.from({ length: count }, (_, i) => `  let unused${i} = ${i}`).join("\n");
  writeFileSync(file, `workflow main() {\n${body}\n  step hello = sh("echo hi")\n}\n`);

  const { check } = await dist("compiler/index.js");
  const { nodeHost } = await dist("cli/node-host.js");
  const { renderDiagnostics, ordered } = await dist("cli/render-diagnostics.js");
  const { positionAt } = await dist("compiler/span.js");
  const host = nodeHost(dir);
  const result = check(host.keyOf(file), host);
  const diagnostics = ordered(result.diagnostics);
  const sources = result.sources;
  const text = sources.get(host.keyOf(file));

  const time = (fn) => {
    const started = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  // The old renderer's cost beyond today's: three positions per diagnostic, each a rescan.
  const rescans = () => {
    for (const d of diagnostics) {
      positionAt(text, d.span.start);
      positionAt(text, d.span.end);
      positionAt(text, d.span.end - 1);
    }
  };
  const indexed = [];
  const rescanned = [];
  for (let i = 0; i < runs; i++) {
    indexed.push(time(() => renderDiagnostics(diagnostics, sources, { color: false })));
    rescanned.push(time(() => renderDiagnostics(diagnostics, sources, { color: false })) + time(rescans));
  }
  const r = await interleave({ check: () => measure([process.execPath, cmcBin, "check", file], { cwd: dir, okCodes: [0] }) }, runs);
  const ms = median(indexed);
  return {
    id: "diagnostics",
    title: `7. Rendering ${fmtInt(diagnostics.length)} diagnostics`,
    commands: [
      `renderDiagnostics(…) of the ${fmtInt(diagnostics.length)} warnings of warnings.cm (${fmtInt(count)} unused lets), in one process (bench/suites/diagnostics.js)`,
      "node bin/cmc.js check warnings.cm",
    ],
    head: ["what", "median", "vs line index"],
    rows: [
      ["render, positions from a line index (cmc today)", fmtMs(ms), "1.00×"],
      ["render + a rescan per position (before)", fmtMs(median(rescanned)), ratio(median(rescanned), ms)],
      ["`cmc check warnings.cm`, whole process", fmtMs(r.check.ms), ""],
    ],
    targets: [{ what: `${fmtInt(diagnostics.length)} diagnostics rendered`, value: fmtMs(ms), goal: "≤ 200 ms", met: ms <= 200 }],
    notes: [],
    raw: { indexed, rescanned, check: r.check },
  };
}

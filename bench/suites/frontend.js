/**
 * Benchmark 8 — the front end: what each way of parsing the ~20,000-line program of benchmark 1
 * costs, in fresh processes (bench/lib/frontend-part.js), cold (the first parse, as `cmc check`
 * runs it) and warm: the hand-written scanner and parser against chevrotain used the fast way (its
 * lexer with every option of its performance guide; the grammar on an `EmbeddedActionsParser`
 * without CST, recovery or validations) and the whole chevrotain path; and a file with one syntax
 * error, read by `parse()` (the fast path, chevrotain only for the failing items) against the whole
 * file through chevrotain (what `parse()` did before), and as `cmc check` runs it.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { generateProgram } from "../gen-program.js";
import { benchDir, cmcBin, fmtInt, fmtMs, interleave, measure, median, ratio, scratch } from "../lib/util.js";

/** The program with one syntax error halfway: a stray `(` in a `sh(` call. */
function withOneError(program) {
  const lines = program.split("\n");
  let i = Math.floor(lines.length / 2);
  while (!lines[i].includes("sh(")) i++;
  lines[i] = lines[i].replace("sh(", "sh((");
  return lines.join("\n");
}

/** @param {{ runs: number, lines?: number }} o */
export async function frontendBench({ runs, lines = 20_000 }) {
  const dir = scratch("frontend");
  const program = generateProgram(lines);
  const cmLines = program.split("\n").length - 1;
  const clean = path.join(dir, "big.cm");
  const broken = path.join(dir, "one-error.cm");
  writeFileSync(clean, program);
  writeFileSync(broken, withOneError(program));
  const partScript = path.join(benchDir, "lib", "frontend-part.js");
  const part = (what, file) => async () => {
    const r = await measure([process.execPath, partScript, what, file], { cwd: dir });
    return { ...JSON.parse(r.stdout), ms: r.ms };
  };
  const cmc = (file, okCodes) => () => measure([process.execPath, cmcBin, "check", file], { cwd: dir, okCodes });
  const cases = {
    fast: part("fast", clean),
    lexRaw: part("lex-raw", clean),
    lex: part("lex", clean),
    embedded: part("embedded", clean),
    chevrotain: part("chevrotain", clean),
    errorParse: part("parse", broken),
    errorWhole: part("chevrotain", broken),
    checkClean: cmc(clean, [0]),
    checkError: cmc(broken, [1]),
  };
  // interleave keeps medians of `ms` only: collect the in-process figures alongside.
  const inner = Object.fromEntries(Object.keys(cases).map((k) => [k, { cold: [], warm: [] }]));
  const wrapped = Object.fromEntries(
    Object.entries(cases).map(([k, run]) => [
      k,
      async () => {
        const m = await run();
        inner[k].cold.push(m.cold);
        inner[k].warm.push(m.warm);
        return m;
      },
    ]),
  );
  const r = await interleave(wrapped, runs, { warmup: 1 });
  // Drop the warm-up round's figures.
  const cold = (k) => median(inner[k].cold.slice(1));
  const warm = (k) => median(inner[k].warm.slice(1));
  const row = (what, k) => [what, fmtMs(cold(k)), fmtMs(warm(k)), fmtInt(cmLines / (cold(k) / 1000)), ratio(cold(k), cold("fast"))];
  const errorRatio = cold("errorParse") / cold("fast");
  const checkRatio = r.checkError.ms / r.checkClean.ms;
  return {
    id: "frontend",
    title: "8. The front end: hand-written against chevrotain used the fast way",
    commands: [
      `node bench/lib/frontend-part.js fast|lex-raw|lex|embedded|chevrotain big.cm   # ${fmtInt(cmLines)} lines (bench/gen-program.js); one part, in a fresh process`,
      "node bench/lib/frontend-part.js parse|chevrotain one-error.cm   # the same with a stray `(` halfway",
      "node bin/cmc.js check big.cm; node bin/cmc.js check one-error.cm",
    ],
    head: ["front end (big.cm unless said)", "cold", "warm", "lines/s cold", "cold vs hand-written"],
    rows: [
      row("hand-written scanner + parser, AST built (`fastParse`, cmc today)", "fast"),
      row("chevrotain `Lexer.tokenize` alone (onlyOffset, ensureOptimizations, skipValidations)", "lexRaw"),
      row("chevrotain lexer + terminator pass (`lex`)", "lex"),
      row("`lex` + the grammar on an `EmbeddedActionsParser`, no CST, no recovery, no actions (a lower bound)", "embedded"),
      row("the chevrotain path: lexer, `CstParser` with recovery, CST → AST", "chevrotain"),
      row("one-error.cm: `parse()` (fast path, chevrotain for the failing items)", "errorParse"),
      row("one-error.cm: the whole file through chevrotain (before)", "errorWhole"),
      ["`cmc check big.cm`, whole process", fmtMs(r.checkClean.ms), "", "", ""],
      ["`cmc check one-error.cm`, whole process", fmtMs(r.checkError.ms), "", "", ratio(r.checkError.ms, r.checkClean.ms) + " the clean file"],
    ],
    targets: [
      { what: "a file with one syntax error vs the clean file (parse, cold)", value: `${errorRatio.toFixed(2)}×`, goal: "≤ 1.5×", met: errorRatio <= 1.5 },
      { what: "`cmc check` of a file with one syntax error vs the clean file", value: `${checkRatio.toFixed(2)}×`, goal: "≤ 1.5×", met: checkRatio <= 1.5 },
    ],
    notes: [
      "The embedded-actions figure builds nothing: any chevrotain parser that builds the AST pays it and more, so when it is above the hand-written parser (which builds the AST), chevrotain alone cannot reach the hand-written path's speed.",
    ],
    raw: { ...r, inner },
  };
}

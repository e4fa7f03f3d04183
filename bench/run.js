#!/usr/bin/env node
/**
 * `npm run bench`: runs the benchmarks of docs/performance.md (checking, shell chain, fan-out,
 * resume, start-up, agent chain against CodeMachine, rendering diagnostics, the front end, the
 * event feed, the language server), each against its peers in the same run, prints
 * their tables, and rewrites the generated part of docs/performance.md (between the `bench:begin`
 * and `bench:end` markers; the text around them is kept).
 *
 *   npm run build && (cd bench && npm run setup) && npm run bench [-- --only shell,fanout] [--runs 5] [--no-write]
 *
 * The results behind the generated part are kept in bench/results.json (committed with the page), so
 * `--only` updates its sections and keeps the others, on any clone.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { agentsBench } from "./suites/agents.js";
import { checkBench } from "./suites/check.js";
import { diagnosticsBench } from "./suites/diagnostics.js";
import { fanoutBench } from "./suites/fanout.js";
import { feedBench } from "./suites/feed.js";
import { frontendBench } from "./suites/frontend.js";
import { lspBench } from "./suites/lsp.js";
import { resumeBench } from "./suites/resume.js";
import { shellBench } from "./suites/shell.js";
import { startupBench } from "./suites/startup.js";
import { benchDir, machine, root, workDir } from "./lib/util.js";

const suites = {
  check: (o) => checkBench(o),
  shell: (o) => shellBench(o),
  fanout: (o) => fanoutBench(o),
  resume: (o) => resumeBench({ ...o, runs: Math.max(3, Math.min(o.runs, 5)) }),
  startup: (o) => startupBench(o),
  agents: (o) => agentsBench(o),
  diagnostics: (o) => diagnosticsBench(o),
  frontend: (o) => frontendBench(o),
  feed: (o) => feedBench(o),
  lsp: (o) => lspBench(o),
};

const usage = "usage: node bench/run.js [--only SUITE,…] [--runs N] [--no-write]";
/** Exits with the usage for a bad command line. */
function refuse(why) {
  console.error(`bench: ${why}\n${usage}`);
  process.exit(2);
}
for (let i = 2; i < process.argv.length; i++) {
  const flag = process.argv[i];
  if (flag === "--only" || flag === "--runs") {
    if (process.argv[++i] === undefined) refuse(`${flag} needs a value`);
  } else if (flag !== "--no-write") refuse(`unexpected argument \`${flag}\``);
}

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const only = (arg("only") ?? Object.keys(suites).join(",")).split(",").filter(Boolean);
const runs = Number(arg("runs") ?? 5);
const write = !process.argv.includes("--no-write");
for (const id of only) if (!(id in suites)) refuse(`unknown benchmark \`${id}\` (one of ${Object.keys(suites).join(", ")})`);
if (!(runs >= 1)) refuse("--runs needs a number of at least 1");

if (!existsSync(path.join(root, "dist", "cli", "main.js"))) {
  console.error("bench: dist/ is missing; run `npm run build` first");
  process.exit(2);
}
if (only.some((id) => id === "fanout" || id === "agents" || id === "check") && !existsSync(path.join(benchDir, "node_modules", "yaml"))) {
  console.error("bench: the peers are not installed; run `cd bench && npm run setup`");
  process.exit(2);
}

const table = (head, rows) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

/** One benchmark's Markdown section. */
function section(res) {
  const m = res.machine;
  return [
    `### ${res.title}`,
    "",
    "```sh",
    ...res.commands,
    "```",
    "",
    table(res.head, res.rows),
    "",
    ...res.notes.map((n) => `${n}\n`),
    `<sub>Medians of ${res.runs} runs after a warm-up, peers interleaved with cmc in the same run; commit ${m.commit}${m.dirty ? " (with uncommitted changes in src/)" : ""}, ${m.date}, load average ${m.load}.</sub>`,
    "",
  ].join("\n");
}

const resultsFile = path.join(benchDir, "results.json");
mkdirSync(workDir, { recursive: true });
const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : {};

for (const id of only) {
  console.error(`bench: ${id} …`);
  const started = Date.now();
  let res;
  try {
    res = { runs, ...(await suites[id]({ runs })), machine: machine() };
  } catch (error) {
    // One broken benchmark (say, a half-built compiler) must not lose the others' numbers.
    console.error(`bench: ${id} FAILED: ${error instanceof Error ? error.message.slice(0, 2000) : String(error)}`);
    process.exitCode = 1;
    continue;
  }
  results[id] = res;
  writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  console.log(`\n${section(res)}`);
  console.error(`bench: ${id} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const order = Object.keys(suites).filter((id) => results[id]);
const targets = order.flatMap((id) => results[id].targets);
console.log(`\n${table(["target", "goal", "measured", "met"], targets.map((t) => [t.what, t.goal, t.value, t.met ? "yes" : "**no**"]))}`);

if (write) {
  const m = machine();
  const generated = [
    "<!-- bench:begin — generated by `npm run bench` (bench/run.js); edit outside these markers -->",
    `Machine: ${m.cpu}, ${m.memGb} GB, Linux, Node.js ${m.node}. Every figure is a whole-process wall time (what a user waits for), and "beyond start-up" subtracts the same tool's time on a one-step version of the same job.`,
    "",
    "#### Targets",
    "",
    table(["target", "goal", "measured", "met"], targets.map((t) => [t.what, t.goal, t.value, t.met ? "yes" : "**no**"])),
    "",
    ...order.map((id) => section(results[id])),
    "<!-- bench:end -->",
  ].join("\n");
  const doc = path.join(root, "docs", "performance.md");
  const old = existsSync(doc) ? readFileSync(doc, "utf8") : "# Performance\n\n<!-- bench:begin -->\n<!-- bench:end -->\n";
  const begin = old.indexOf("<!-- bench:begin");
  const end = old.indexOf("<!-- bench:end -->");
  const next = begin >= 0 && end > begin ? old.slice(0, begin) + generated + old.slice(end + "<!-- bench:end -->".length) : `${old.trimEnd()}\n\n${generated}\n`;
  writeFileSync(doc, next);
  console.error(`bench: wrote ${path.relative(root, doc)}`);
}

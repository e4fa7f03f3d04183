/**
 * The `.cm` programs, inputs and peer files the benchmarks run: a chain of shell steps and its
 * Makefile, a scripted-agent fan-out, a resume run that parks at a gate after many steps, and a
 * chain of OpenCode agent steps.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

/** `n` sequential `sh("true")` steps, as a `.cm` file, in `dir`; returns its path. */
export function shellChain(dir, n) {
  const steps = Array.from({ length: n }, (_, i) => `  step s${i} = sh("true")`);
  const file = path.join(dir, `chain-${n}.cm`);
  writeFileSync(file, `// ${n} sequential shell steps\nworkflow main() {\n${steps.join("\n")}\n}\n`);
  return file;
}

/**
 * The same chain for GNU make: target `s<i>` depends on `s<i-1>` and runs `true`; all phony, so
 * `make -f FILE s<n-1>` runs the n recipes one after another.
 */
export function shellChainMakefile(dir, n) {
  const rules = [".PHONY: " + Array.from({ length: n }, (_, i) => `s${i}`).join(" ")];
  for (let i = 0; i < n; i++) rules.push(`s${i}:${i > 0 ? ` s${i - 1}` : ""}\n\ttrue`);
  const file = path.join(dir, `chain-${n}.mk`);
  writeFileSync(file, rules.join("\n") + "\n");
  return file;
}

/** The scripted agent's replies for the fan-out: one entry answering any prompt, with output. */
export function fanoutReplies(dir) {
  const file = path.join(dir, "replies.json");
  writeFileSync(file, JSON.stringify([{ text: "done", output: { ok: true } }]));
  return file;
}

/**
 * One `for … parallel 64` over `items` (an input), each item one scripted-agent step; the items
 * file holds `n` item names. Returns `{ file, inputs }`.
 */
export function fanout(dir, n, width = 64) {
  fanoutReplies(dir);
  const file = path.join(dir, "fanout.cm");
  writeFileSync(
    file,
    `import { scripted } from "std/agents"

workflow main(items: list<string>) -> { done: int } {
  agent bot = scripted(file: "replies.json")
  for item in items parallel ${width} {
    step work = bot.ask("Handle \${item}")
  }
  return { done: len(work) }
}
`,
  );
  const inputs = path.join(dir, `items-${n}.json`);
  writeFileSync(inputs, JSON.stringify({ items: Array.from({ length: n }, (_, i) => `item-${i}`) }));
  return { file, inputs };
}

/**
 * `n` scripted steps, then an approve gate, then one shell step that writes the time it started
 * (nanoseconds since the epoch) to `next-started.txt`. Returns `{ file, inputs }`.
 */
export function resumeProgram(dir, n) {
  fanoutReplies(dir);
  const file = path.join(dir, "resume.cm");
  writeFileSync(
    file,
    `import { scripted } from "std/agents"

workflow main(items: list<string>) {
  agent bot = scripted(file: "replies.json")
  for item in items parallel 64 {
    step work = bot.ask("Handle \${item}")
  }
  step gate = approve("Go on after \${len(work)} steps?")
  step next = sh("date +%s%N > next-started.txt")
}
`,
  );
  const inputs = path.join(dir, `items-${n}.json`);
  writeFileSync(inputs, JSON.stringify({ items: Array.from({ length: n }, (_, i) => `item-${i}`) }));
  return { file, inputs };
}

/** `n` sequential OpenCode asks `p1 … pn`, as a `.cm` file in `dir`. */
export function agentChain(dir, n) {
  const steps = Array.from({ length: n }, (_, i) => `  step s${i} = a0.ask("p${i + 1}")`);
  const file = path.join(dir, `agents-${n}.cm`);
  writeFileSync(file, `import { opencode } from "std/agents"\n\nworkflow main() {\n  agent a0 = opencode()\n${steps.join("\n")}\n}\n`);
  return file;
}

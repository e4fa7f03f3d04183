/**
 * Sets up CodeMachine 0.8 (the published linux-x64 binary, installed in bench/node_modules) for the
 * agent-chain benchmark: its resources extracted into a scratch folder (CODEMACHINE_RESOURCES_DIR),
 * one agent `a0` with `engine: "opencode"` added to its `config/main.agents.js`, a workspace, and the
 * `codemachine run "a0 'p1' && a0 'p2' && …"` command line.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { benchDir, workDir } from "../lib/util.js";

export const codemachineBin = path.join(benchDir, "node_modules", "codemachine-linux-x64", "codemachine");

/**
 * Prepares CodeMachine to drive the `opencode` found first on `pathPrefix`.
 * @returns {{ env: Record<string, string>, cwd: string, argv: (n: number) => string[] }}
 */
export function setupCodemachine(pathPrefix) {
  if (!existsSync(codemachineBin)) throw new Error(`CodeMachine is not installed: run \`cd bench && npm run setup\``);
  const base = path.join(workDir, "codemachine");
  const resources = path.join(base, "resources");
  const cwd = path.join(base, "workspace");
  const prompt = path.join(base, "a0.md");
  mkdirSync(cwd, { recursive: true });
  writeFileSync(prompt, "You are a0, a benchmark agent. Do the task you are given.\n");
  const env = { CODEMACHINE_RESOURCES_DIR: resources, PATH: `${pathPrefix}:${process.env.PATH}` };
  // Any command makes the binary extract its resources (config/, prompts/ …) on first use.
  execFileSync(codemachineBin, ["run", "--help"], { cwd, env: { ...process.env, ...env }, stdio: "ignore" });
  const version = readdirSync(resources).find((d) => existsSync(path.join(resources, d, "config", "main.agents.js")));
  if (!version) throw new Error(`CodeMachine did not extract its resources into ${resources}`);
  const agents = path.join(resources, version, "config", "main.agents.js");
  const source = readFileSync(agents, "utf8");
  if (!source.includes(`id: "a0"`)) {
    const entry = `  { id: "a0", name: "a0", description: "benchmark agent", promptPath: ${JSON.stringify(prompt)}, engine: "opencode" },\n`;
    const at = source.lastIndexOf("];");
    writeFileSync(agents, source.slice(0, at) + entry + source.slice(at));
  }
  return {
    env,
    cwd,
    argv: (n) => [codemachineBin, "run", Array.from({ length: n }, (_, i) => `a0 'p${i + 1}'`).join(" && ")],
  };
}

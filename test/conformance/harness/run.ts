/**
 * Runs a `.cm` workflow for real: written into a private workspace, run by `node bin/cmc.js run
 * … --json` through execa with a clean environment, then read back with `cmc status RUN --json`.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, type CliResult } from "../../helpers/cli.js";
import type { PrivateHome } from "./env.js";

export interface WorkflowRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The run's id, from the `--json` line `cmc run` prints (`""` when it printed none). */
  readonly run: string;
  /** `cmc run --json`'s result line. */
  readonly result: RunResultJson | undefined;
  /** `cmc status RUN --json`, when there is a run. */
  readonly status: StatusJson | undefined;
}

export interface RunResultJson {
  readonly run: string;
  readonly status: string;
  readonly result: unknown;
  readonly error: { readonly kind: string; readonly step: string | null; readonly message: string } | null;
  readonly cost?: number;
  readonly tokens?: { readonly input: number; readonly output: number };
  readonly steps: readonly { readonly id: string; readonly status: string; readonly attempts: number; readonly cost?: number }[];
}

export type StatusJson = RunResultJson & Record<string, unknown>;

export interface RunOptions {
  /** The workflow's source, written to `workflow.cm` in the workspace. */
  readonly source: string;
  /** The environment (from `PrivateHome.env`), with `CMC_<CLI>_BIN` set. */
  readonly env: Readonly<Record<string, string>>;
  /** More arguments of `cmc run` (inputs, `--budget`, …). */
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
}

/** `node bin/cmc.js …` in the workspace with `env` alone, never rejecting on a non-zero exit. */
export function cmc(home: PrivateHome, args: readonly string[], env: Readonly<Record<string, string>>, timeoutMs = 120_000): Promise<CliResult> {
  return runCli(args, { cwd: home.workspace, env: { ...env }, cleanEnv: true, timeoutMs });
}

export async function runWorkflow(home: PrivateHome, opts: RunOptions): Promise<WorkflowRun> {
  writeFileSync(path.join(home.workspace, "workflow.cm"), opts.source);
  const r = await cmc(home, ["run", "workflow.cm", "--json", ...(opts.args ?? [])], opts.env, opts.timeoutMs);
  const result = lastJsonLine(r.stdout) as RunResultJson | undefined;
  const run = result?.run ?? "";
  let status: StatusJson | undefined;
  if (run) {
    const s = await cmc(home, ["status", run, "--json"], opts.env);
    status = lastJsonLine(s.stdout) as StatusJson | undefined;
  }
  return { ...r, run, result, status };
}

function lastJsonLine(stdout: string): unknown {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

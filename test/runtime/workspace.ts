/** A temporary workspace with `.cm` files in it, and the real CLI run inside it. */
import { mkdtempSync, realpathSync, rmSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { cmcBin, runCli, type CliResult } from "../helpers/cli.js";

export interface Workspace {
  readonly dir: string;
  write(name: string, text: string): string;
  read(name: string): string;
  has(name: string): boolean;
  cmc(args: readonly string[], opts?: { env?: Record<string, string | undefined>; input?: string }): Promise<CliResult>;
  /** `cmc …` as a background process (for kill and concurrency tests). */
  spawn(args: readonly string[]): ResultPromise;
  /** Parses the JSON printed on stdout by `--json`. */
  json(result: CliResult): RunJson;
  remove(): void;
}

export interface RunJson {
  run: string;
  status: string;
  result: unknown;
  error: { kind: string; step: string | null; message: string } | null;
  steps: { id: string; status: string; attempts: number }[];
}

export function workspace(): Workspace {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), "cmc-run-")));
  const env = { CMC_STORE: undefined, CI: "1" };
  return {
    dir,
    write(name, text) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    read: (name) => readFileSync(path.join(dir, name), "utf8"),
    has: (name) => existsSync(path.join(dir, name)),
    cmc: (args, opts = {}) => runCli(args, { cwd: dir, env: { ...env, ...opts.env }, ...(opts.input !== undefined ? { input: opts.input } : {}) }),
    spawn: (args) =>
      execa(process.execPath, [cmcBin, ...args], { cwd: dir, env: { NO_COLOR: "1", ...env }, reject: false, stdin: "ignore" }),
    json(result) {
      const line = result.stdout.trim().split("\n").pop() ?? "";
      try {
        return JSON.parse(line) as RunJson;
      } catch {
        throw new Error(`no JSON on stdout.\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Polls until `check` holds (or fails after `ms`). */
export async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the built `cmc` CLI as a real process, for tests of user-facing behaviour. */
import { execa } from "execa";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** `bin/cmc.js`, which imports `dist/` (built by the global setup in `test/helpers/build.ts`). */
export const cmcBin = fileURLToPath(new URL("../../bin/cmc.js", import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node bin/cmc.js ...args` and resolves to its exit code and output; never rejects on a
 * non-zero exit. Colours are off (NO_COLOR set, FORCE_COLOR removed) unless `opts.env` says otherwise;
 * with `cleanEnv`, the process gets `opts.env` alone (nothing of this process's environment).
 * `cwd` defaults to the repository root.
 */
export async function runCli(
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; cleanEnv?: boolean; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [cmcBin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    ...(opts.cleanEnv ? { env: opts.env, extendEnv: false } : { env: { NO_COLOR: "1", FORCE_COLOR: undefined, ...opts.env } }),
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: "ignore" as const }),
    reject: false,
    timeout: opts.timeoutMs ?? 60_000,
    stripFinalNewline: false,
  });
  return { code: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

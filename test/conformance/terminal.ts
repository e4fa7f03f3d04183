/**
 * Runs `cmc run` on a pseudo-terminal (util-linux `script`), for interactive asks of CLIs that
 * refuse their interactive mode without one (Gemini CLI, OpenCode's TUI). Their interactive
 * session never ends by itself: the run is stopped (its whole process group) once `done()` holds.
 */
import { execa, execaSync } from "execa";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PrivateHome } from "./harness/index.js";

const cmcBin = fileURLToPath(new URL("../../bin/cmc.js", import.meta.url));

/** Whether `script` can give a terminal here (Linux's util-linux). */
export function hasScript(): boolean {
  return execaSync("script", ["--version"], { reject: false }).exitCode === 0;
}

/** Runs the workflow on a terminal until `done()` or `timeoutMs`; resolves to what the terminal showed. */
export async function runOnTerminal(
  home: PrivateHome,
  source: string,
  env: Readonly<Record<string, string>>,
  done: () => boolean,
  timeoutMs = 40_000,
): Promise<{ screen: string; done: boolean }> {
  writeFileSync(path.join(home.workspace, "workflow.cm"), source);
  const command = `'${process.execPath}' '${cmcBin}' run workflow.cm`;
  const child = execa("script", ["-qec", command, "/dev/null"], {
    cwd: home.workspace,
    env: { ...env, TERM: "xterm-256color", COLUMNS: "120", LINES: "40" },
    extendEnv: false,
    stdin: "ignore",
    reject: false,
    detached: true,
  });
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.finally(() => (exited = true));
  while (!done() && !exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const reached = done();
  // SIGTERM first: cmc then stops the CLI's own process group, which a kill of this group would miss.
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    if (exited || child.pid === undefined) break;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
    const until = Date.now() + 5000;
    while (!exited && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  }
  const r = await child;
  return { screen: String(r.stdout ?? ""), done: reached };
}

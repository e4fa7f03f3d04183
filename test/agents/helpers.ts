/** Test helpers for the agent adapters: a temporary workspace, an ActionContext, the stand-ins on PATH. */
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import type { ActionContext } from "../../src/runtime/actions/types.js";
import type { AgentValue, AskRequest } from "../../src/runtime/agents/types.js";

export const STAND_INS = resolve(import.meta.dirname, "../stand-ins");

/** Puts the stand-in CLIs first on PATH for this test file's process (and the children it starts). */
export function useStandIns(): void {
  if (!(process.env.PATH ?? "").startsWith(STAND_INS)) process.env.PATH = `${STAND_INS}${delimiter}${process.env.PATH ?? ""}`;
}

export interface TestContext extends ActionContext {
  readonly logged: () => string;
  readonly messages: string[];
  readonly costs: number[];
  readonly controller: AbortController;
}

/** A context over a fresh temporary workspace, collecting log output and progress. */
export function makeContext(workspace = mkdtempSync(join(tmpdir(), "cmc-agents-"))): TestContext {
  const chunks: string[] = [];
  const messages: string[] = [];
  const costs: number[] = [];
  const controller = new AbortController();
  return {
    signal: controller.signal,
    controller,
    workspace,
    allowOutside: false,
    log: {
      path: join(workspace, "step.log"),
      write: (chunk) => chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")),
    },
    progress: (u) => {
      if (u.message !== undefined) messages.push(u.message);
      if (u.cost !== undefined) costs.push(u.cost);
    },
    logged: () => chunks.join(""),
    messages,
    costs,
  };
}

export function agent($agent: string, options: Record<string, unknown> = {}): AgentValue {
  return { $agent, options };
}

export function request(prompt: string, more: Partial<AskRequest> = {}): AskRequest {
  return { prompt, interactive: false, ...more };
}

/** Sets $STANDIN_ARGV_LOG to a fresh file; `read()` returns the recorded invocations. */
export function argvLog(): { read(): { cli: string; argv: string[]; schema?: unknown }[]; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "cmc-argv-"));
  const file = join(dir, "argv.jsonl");
  process.env.STANDIN_ARGV_LOG = file;
  return {
    read: () =>
      existsSync(file)
        ? readFileSync(file, "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as { cli: string; argv: string[]; schema?: unknown })
        : [],
    cleanup: () => {
      delete process.env.STANDIN_ARGV_LOG;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

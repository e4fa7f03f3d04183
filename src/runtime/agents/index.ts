/**
 * The agent adapters' entry point: `ask` runs one `agent.ask(…)` through the constructor's CLI
 * (or program, or scripted file); `commandLine` shows what it would run.
 */
import { StepError } from "../errors.js";
import type { ActionContext } from "../actions/types.js";
import { askCli, cliCommandLine, type CliSpec } from "./cli.js";
import { claudeSpec } from "./claude.js";
import { codexSpec } from "./codex.js";
import { askCommand, commandArgv } from "./command.js";
import { cursorSpec } from "./cursor.js";
import { geminiSpec } from "./gemini.js";
import { opencodeSpec } from "./opencode.js";
import { askScripted, scriptedFile } from "./scripted.js";
import type { AgentValue, AskRequest, Reply } from "./types.js";

/** The constructors `std/agents` exports, in the order LANGUAGE.md §6.2 lists them. */
export const AGENT_CONSTRUCTORS: readonly string[] = ["claude", "codex", "gemini", "opencode", "cursor", "command", "scripted", "role"];

const CLI_SPECS: Readonly<Record<string, CliSpec>> = {
  claude: claudeSpec,
  codex: codexSpec,
  gemini: geminiSpec,
  opencode: opencodeSpec,
  cursor: cursorSpec,
};

/** The adapter spec of a coding-agent CLI's constructor (`claude`, …), or undefined for any other name. */
export function cliSpec(name: string): CliSpec | undefined {
  return Object.hasOwn(CLI_SPECS, name) ? CLI_SPECS[name] : undefined;
}

function unknownAgent(agent: AgentValue): never {
  throw new StepError("runtime", `unknown agent constructor \`${agent.$agent}\`; known: ${AGENT_CONSTRUCTORS.join(", ")}`, false);
}

/**
 * Runs one ask. Resolves with the reply; rejects with a `StepError` — `failed` with the agent's
 * own message, `invalid_output` when the structured output does not match `req.output`,
 * `runtime` for a bad option — or with `ctx.signal.reason` when aborted (the process group killed).
 */
export async function ask(agent: AgentValue, req: AskRequest, ctx: ActionContext): Promise<Reply> {
  const spec = CLI_SPECS[agent.$agent];
  if (spec) {
    const reply = await askCli(spec, agent, req, ctx);
    return { ...reply, duration: Math.round(reply.duration) };
  }
  switch (agent.$agent) {
    case "command":
      return askCommand(agent, req, ctx);
    case "scripted":
      return askScripted(agent, req, ctx);
    default:
      return unknownAgent(agent);
  }
}

/**
 * The program and arguments `ask` runs for this request (the prompt goes on stdin unless
 * interactive). Codex's temporary schema file shows as `<output-schema.json>`; `scripted` runs no
 * program and shows as `scripted <file>`.
 */
export function commandLine(agent: AgentValue, req: AskRequest): { file: string; args: string[] } {
  const spec = CLI_SPECS[agent.$agent];
  if (spec) return cliCommandLine(spec, agent, req);
  switch (agent.$agent) {
    case "command": {
      const [file, ...args] = commandArgv(agent);
      return { file, args };
    }
    case "scripted":
      return { file: "scripted", args: [scriptedFile(agent)] };
    default:
      return unknownAgent(agent);
  }
}

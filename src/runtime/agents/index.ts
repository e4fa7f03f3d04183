/**
 * The agent adapters' entry point: `ask` runs one `agent.ask(…)` through the constructor's CLI
 * (or program, or scripted file); `commandLine` shows what it would run. The adapters are
 * registered by the one list of constructors, `compiler/agent-names.ts`.
 */
import {
  AGENT_CONSTRUCTORS,
  type AgentConstructorName,
  type CliAgentName,
  isAgentConstructor,
  isCliAgent,
} from "../../compiler/agent-names.js";
import { StepError } from "../errors.js";
import type { ActionContext } from "../actions/types.js";
import { askCli, cliCommandLine, type CliSpec } from "./cli.js";
import { claudeSpec } from "./claude.js";
import { codexSpec } from "./codex.js";
import { askCommand, commandArgv } from "./command.js";
import { cursorSpec } from "./cursor.js";
import { geminiSpec } from "./gemini.js";
import { opencodeSpec } from "./opencode.js";
import { numberOption } from "./options.js";
import { askScripted, scriptedFile } from "./scripted.js";
import type { AgentValue, AskRequest, Reply } from "./types.js";

export { AGENT_CONSTRUCTORS } from "../../compiler/agent-names.js";

/** How an agent that is not a CLI (`command`, `scripted`) answers and shows its command line. */
interface OtherAdapter {
  ask(agent: AgentValue, req: AskRequest, ctx: ActionContext): Promise<Reply>;
  commandLine(agent: AgentValue): { file: string; args: string[] };
}

/**
 * One adapter for each constructor of `AGENT_CONSTRUCTORS`: the types make a missing or an extra
 * one a compile error, and `adapterNameMismatches` (checked by a test) a misfiled one.
 */
const CLI_SPECS: { readonly [name in CliAgentName]: CliSpec } = {
  claude: claudeSpec,
  codex: codexSpec,
  gemini: geminiSpec,
  opencode: opencodeSpec,
  cursor: cursorSpec,
};

/** `role(…)` has no adapter: the run's settings choose the agent that plays it before it asks (`runtime/config`). */
type AdaptedName = Exclude<AgentConstructorName, "role">;

const OTHER_ADAPTERS: { readonly [name in Exclude<AdaptedName, CliAgentName>]: OtherAdapter } = {
  command: {
    ask: askCommand,
    commandLine(agent) {
      const [file, ...args] = commandArgv(agent);
      return { file, args };
    },
  },
  scripted: {
    ask: askScripted,
    commandLine: (agent) => ({ file: "scripted", args: [scriptedFile(agent)] }),
  },
};

/** CLI adapters registered under a name other than their own (none, unless a registration is wrong). */
export function adapterNameMismatches(): string[] {
  return Object.entries(CLI_SPECS)
    .filter(([name, spec]) => spec.name !== name)
    .map(([name, spec]) => `${name} → ${spec.name}`);
}

/** The adapter spec of a coding-agent CLI's constructor (`claude`, …), or undefined for any other name. */
export function cliSpec(name: string): CliSpec | undefined {
  return isCliAgent(name) ? CLI_SPECS[name] : undefined;
}

type Adapter = { readonly cli: CliSpec } | { readonly other: OtherAdapter };

function adapterOf(agent: AgentValue): Adapter {
  const name = agent.$agent;
  if (isCliAgent(name)) return { cli: CLI_SPECS[name] };
  if (name === "role") throw new StepError("runtime", "a role asks only through the agent chosen to play it (cmc.json, --agent or its default)", false);
  if (isAgentConstructor(name)) return { other: OTHER_ADAPTERS[name as Exclude<AdaptedName, CliAgentName>] };
  throw new StepError("runtime", `unknown agent constructor \`${name}\`; known: ${AGENT_CONSTRUCTORS.join(", ")}`, false);
}

/**
 * Runs one ask. Resolves with the reply; rejects with a `StepError` — `failed` with the agent's
 * own message, `invalid_output` when the structured output does not match `req.output`,
 * `runtime` for a bad option — or with `ctx.signal.reason` when aborted (the process group killed).
 */
export async function ask(agent: AgentValue, req: AskRequest, ctx: ActionContext): Promise<Reply> {
  const adapter = adapterOf(agent);
  if ("other" in adapter) return adapter.other.ask(agent, req, ctx);
  const reply = await askCli(adapter.cli, agent, req, ctx);
  return { ...reply, duration: Math.round(reply.duration) };
}

/**
 * The program and arguments `ask` runs for this request (the prompt goes on stdin unless
 * interactive). Codex's temporary schema file shows as `<output-schema.json>`; `scripted` runs no
 * program and shows as `scripted <file>`.
 */
export function commandLine(agent: AgentValue, req: AskRequest): { file: string; args: string[] } {
  const adapter = adapterOf(agent);
  return "other" in adapter ? adapter.other.commandLine(agent) : cliCommandLine(adapter.cli, agent, req);
}

/** The spending cap an agent's options set for one ask, in USD (`claude(budget:)`), if any. */
export function spendingCap(agent: AgentValue): number | undefined {
  return agent.$agent === "claude" ? numberOption(agent, "budget") : undefined;
}

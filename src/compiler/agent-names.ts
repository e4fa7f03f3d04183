/**
 * The agent constructors of `std/agents`, named once: the checker accepts only these in
 * `agent name(…)` declarations, `cmc run --input` accepts the headless CLIs among them, and the
 * runtime registers one adapter for each (`runtime/agents/index.ts`). Pure data, so both the
 * compiler and the runtime may import it.
 */

/** The coding-agent CLIs, each run by a `CliSpec` adapter; every option of theirs has a default. */
export const CLI_AGENTS = ["claude", "codex", "gemini", "opencode", "cursor"] as const;

export type CliAgentName = (typeof CLI_AGENTS)[number];

/** Every constructor `std/agents` exports, in the order LANGUAGE.md §6.2 lists them. */
export const AGENT_CONSTRUCTORS = [...CLI_AGENTS, "command", "scripted", "role"] as const;

export type AgentConstructorName = (typeof AGENT_CONSTRUCTORS)[number];

/** Whether `name` is one of `AGENT_CONSTRUCTORS`. */
export function isAgentConstructor(name: string): name is AgentConstructorName {
  return (AGENT_CONSTRUCTORS as readonly string[]).includes(name);
}

/** Whether `name` is one of `CLI_AGENTS`. */
export function isCliAgent(name: string): name is CliAgentName {
  return (CLI_AGENTS as readonly string[]).includes(name);
}

/**
 * Roles mapped to agents: reading a role's entry (`"codex:gpt-5"`, `{ "agent": "claude", … }`, or a
 * list of them tried in order), merging the config with `--agent role=spec` flags, and choosing the
 * agent that plays a role when a step asks it.
 */
import { ROLE_NAME } from "../../compiler/check/roles.js";
import { StepError } from "../errors.js";
import { agentAvailable } from "../agents/available.js";
import type { AgentValue } from "../agents/types.js";
import { ConfigError } from "./errors.js";
import { AGENT_OPTIONS, CLI_AGENTS, ROLE_AGENTS, type AgentSettings, type CliAgent } from "./schema.js";
import { zodProblem } from "./zod-problem.js";

/** A role's name: what `role("…")` takes and a config key may be. */
export { ROLE_NAME };
export { agentLabel } from "./agent-label.js";

const EXAMPLE = `"codex:gpt-5", "claude", or { "agent": "claude", "model": "opus" }`;

/** One agent from `agent[:model]` text; for `scripted` the part after the colon is its replies file. */
function agentFromText(text: string, file: string, key: string): AgentValue {
  const colon = text.indexOf(":");
  const name = (colon < 0 ? text : text.slice(0, colon)).trim();
  const rest = colon < 0 ? undefined : text.slice(colon + 1).trim();
  if (!(ROLE_AGENTS as readonly string[]).includes(name)) {
    throw new ConfigError(file, key, `unknown agent \`${name}\``, `use one of ${ROLE_AGENTS.join(", ")}: ${EXAMPLE}`);
  }
  if (name === "command") {
    throw new ConfigError(file, key, "`command` needs its program's arguments", `write { "agent": "command", "argv": ["my-agent", "--flag"] }`);
  }
  if (name === "scripted") {
    if (!rest) throw new ConfigError(file, key, "`scripted` needs its replies file", `write "scripted:replies.json"`);
    return { $agent: "scripted", options: { file: rest } };
  }
  if (rest === "") throw new ConfigError(file, key, `no model after \`${name}:\``, `write "${name}" for its default model, or "${name}:<model>"`);
  return { $agent: name, options: rest !== undefined ? { model: rest } : {} };
}

/** One agent from an object entry: `{ "agent": "claude", "model": "opus", "permission": "plan" }`. */
function agentFromObject(value: Record<string, unknown>, file: string, key: string): AgentValue {
  const { agent, ...options } = value;
  if (typeof agent !== "string") {
    throw new ConfigError(file, `${key}.agent`, agent === undefined ? "missing" : "must be a string", `name the agent: ${EXAMPLE}`);
  }
  if (!(ROLE_AGENTS as readonly string[]).includes(agent)) {
    throw new ConfigError(file, `${key}.agent`, `unknown agent \`${agent}\``, `use one of ${ROLE_AGENTS.join(", ")}`);
  }
  const parsed = AGENT_OPTIONS[agent as keyof typeof AGENT_OPTIONS].safeParse(options);
  if (!parsed.success) throw zodProblem(parsed.error, AGENT_OPTIONS[agent as keyof typeof AGENT_OPTIONS], file, key);
  return { $agent: agent, options: parsed.data as Record<string, unknown> };
}

/** One role's entry: an agent, or a list of them tried in order. */
export function parseRoleEntry(value: unknown, file: string, key: string): AgentValue[] {
  const one = (v: unknown, k: string): AgentValue => {
    if (typeof v === "string") return agentFromText(v, file, k);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return agentFromObject(v as Record<string, unknown>, file, k);
    throw new ConfigError(file, k, `expected an agent, got ${describe(v)}`, `write ${EXAMPLE}`);
  };
  if (Array.isArray(value)) {
    if (value.length === 0) throw new ConfigError(file, key, "an empty list of agents", `list at least one: ["codex:gpt-5", "claude"]`);
    return value.map((v, i) => one(v, `${key}.${i}`));
  }
  return [one(value, key)];
}

/** A value's kind as a message says it. */
function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}

/** Checks a role's name (a config key or a flag's left side). */
export function checkRoleName(name: string, file: string, key: string): void {
  if (!ROLE_NAME.test(name)) {
    throw new ConfigError(file, key, `\`${name}\` is not a role name`, "a role name starts with a letter and has letters, digits, `_` or `-`");
  }
}

/**
 * `--agent role=spec` flags over the config's roles: each flag replaces its role's whole entry.
 * A spec may list fallbacks separated by commas: `--agent coder=codex:gpt-5,claude`.
 */
export function withAgentFlags(settings: AgentSettings, flags: readonly string[]): AgentSettings {
  if (flags.length === 0) return settings;
  const roles: Record<string, readonly AgentValue[]> = { ...settings.roles };
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq <= 0) throw new ConfigError("--agent", "", `expected role=agent, got ${JSON.stringify(flag)}`, "write --agent architect=codex:gpt-5");
    const role = flag.slice(0, eq).trim();
    checkRoleName(role, "--agent", role);
    const specs = flag.slice(eq + 1).split(",").map((s) => s.trim());
    roles[role] = specs.map((s) => agentFromText(s, "--agent", role));
  }
  return { ...settings, roles };
}

/** The agent a step gets, and the role it plays, when the step's agent is a role. */
export interface Played {
  readonly agent: AgentValue;
  readonly role?: string;
}

/** Whether `v` is the value of `role(…)`. */
function isRole(v: AgentValue): boolean {
  return v.$agent === "role";
}

/**
 * Who plays `agent` in a run: a role becomes the first of its mapped agents whose program is
 * installed (the last one when none is, so that its own "not installed" failure says what to
 * install), else its `default:`; a role with neither fails with kind `runtime`. The config's
 * defaults for that CLI fill the options the workflow left out.
 */
export function playAgent(agent: AgentValue, settings: AgentSettings): Played {
  if (!isRole(agent)) return { agent: withDefaults(agent, settings) };
  const role = String(agent.options.name);
  const mapped = settings.roles[role];
  let chosen: AgentValue | undefined;
  if (mapped && mapped.length > 0) chosen = mapped.find(agentAvailable) ?? mapped[mapped.length - 1];
  else if (isAgent(agent.options.default)) chosen = agent.options.default;
  if (!chosen) {
    throw new StepError(
      "runtime",
      `role \`${role}\` has no agent: map it in cmc.json ("roles": { "${role}": "claude" }), with --agent ${role}=claude, or give it a default: role("${role}", default: claude())`,
      false,
    );
  }
  if (isRole(chosen)) throw new StepError("runtime", `role \`${role}\`: its default is another role; give it an agent`, false);
  return { agent: withDefaults(chosen, settings), role };
}

function isAgent(v: unknown): v is AgentValue {
  return typeof v === "object" && v !== null && typeof (v as AgentValue).$agent === "string";
}

/** `agent` with the config's defaults for its CLI under the options it gives. */
function withDefaults(agent: AgentValue, settings: AgentSettings): AgentValue {
  const defaults = (CLI_AGENTS as readonly string[]).includes(agent.$agent) ? settings.defaults[agent.$agent as CliAgent] : undefined;
  if (!defaults) return agent;
  const options: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(agent.options)) if (v !== undefined && v !== null) options[k] = v;
  return { $agent: agent.$agent, options };
}

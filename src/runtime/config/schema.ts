/**
 * The project config, `cmc.json`: which agent plays each role a workflow declares, and defaults
 * per agent CLI. This file holds its shape (zod) and the data it turns into; `load.ts` reads it.
 */
import * as z from "zod";
import type { AgentValue } from "../agents/types.js";

/** The CLIs whose constructors take only optional options, so a config can name them alone. */
export const CLI_AGENTS = ["claude", "codex", "gemini", "opencode", "cursor"] as const;

/** Every agent a role may be mapped to. */
export const ROLE_AGENTS = [...CLI_AGENTS, "scripted", "command"] as const;

export type CliAgent = (typeof CLI_AGENTS)[number];

/**
 * Each agent's options, as `std/agents` declares its constructor's parameters (a test holds the
 * two to the same names). Unknown options are refused.
 */
export const AGENT_OPTIONS = {
  claude: z.strictObject({
    model: z.string().optional(),
    system: z.string().optional(),
    tools: z.array(z.string()).optional(),
    permission: z.enum(["default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions"]).optional(),
    maxTurns: z.int().min(1).optional(),
    budget: z.number().nonnegative().optional(),
  }),
  codex: z.strictObject({
    model: z.string().optional(),
    sandbox: z.enum(["read-only", "workspace-write", "danger-full-access"]).optional(),
    effort: z.enum(["minimal", "low", "medium", "high", "xhigh"]).optional(),
  }),
  gemini: z.strictObject({
    model: z.string().optional(),
    approval: z.enum(["default", "auto_edit", "yolo", "plan"]).optional(),
    trust: z.boolean().optional(),
  }),
  opencode: z.strictObject({ model: z.string().optional(), agent: z.string().optional() }),
  cursor: z.strictObject({ model: z.string().optional(), force: z.boolean().optional() }),
  scripted: z.strictObject({ file: z.string().min(1) }),
  command: z.strictObject({ argv: z.array(z.string()).min(1) }),
} as const;

/** The top level of `cmc.json`. Role entries are read by hand (`roles.ts`) for precise messages. */
export const CONFIG_SCHEMA = z.strictObject({
  $schema: z.string().optional(),
  roles: z.record(z.string(), z.unknown()).optional(),
  agents: z
    .strictObject({
      claude: AGENT_OPTIONS.claude.optional(),
      codex: AGENT_OPTIONS.codex.optional(),
      gemini: AGENT_OPTIONS.gemini.optional(),
      opencode: AGENT_OPTIONS.opencode.optional(),
      cursor: AGENT_OPTIONS.cursor.optional(),
    })
    .optional(),
});

/**
 * What a run needs from the config and the `--agent` flags, stored with the run so that a resume
 * plays every role the same way: for each role, the agents to try in order (the first one
 * available plays it), and per CLI the options an agent gets where the workflow gives none.
 */
export interface AgentSettings {
  readonly roles: Readonly<Record<string, readonly AgentValue[]>>;
  readonly defaults: Readonly<Partial<Record<CliAgent, Readonly<Record<string, unknown>>>>>;
}

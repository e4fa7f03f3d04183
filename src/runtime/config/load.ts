/**
 * Reading the project config that `find.ts` finds. A bad file is a `ConfigError` naming the file,
 * the key and the fix; nothing is written.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "./errors.js";
import { CONFIG_FILE, findConfig, NO_AGENT_SETTINGS } from "./find.js";
import { checkRoleName, parseRoleEntry } from "./roles.js";
import { CONFIG_SCHEMA, type AgentSettings } from "./schema.js";
import { zodProblem } from "./zod-problem.js";

export interface ProjectConfig {
  /** The file read, absolute; undefined when the project has none. */
  readonly file?: string;
  readonly settings: AgentSettings;
}

/** The project config that applies in `cwd` (none is no error: no roles mapped, no defaults). */
export function loadConfig(cwd: string): ProjectConfig {
  const file = findConfig(cwd);
  if (file === undefined) return { settings: NO_AGENT_SETTINGS };
  const shown = path.relative(cwd, file) || CONFIG_FILE;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(shown, "", `cannot be read: ${(error as Error).message}`, "make it readable, or remove it");
  }
  return { file, settings: parseConfig(text, shown) };
}

/** The settings a config file's text gives; `shown` is the file as messages name it. */
export function parseConfig(text: string, shown: string): AgentSettings {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(shown, "", `is not valid JSON: ${jsonErrorAt(text, (error as Error).message)}`, "fix the JSON syntax (cmc.json takes no comments or trailing commas)");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError(shown, "", "must hold a JSON object", `write { "roles": { "architect": "claude:opus" } }`);
  }
  const parsed = CONFIG_SCHEMA.safeParse(data);
  if (!parsed.success) throw zodProblem(parsed.error, CONFIG_SCHEMA, shown, "");
  const roles: Record<string, ReturnType<typeof parseRoleEntry>> = {};
  for (const [role, entry] of Object.entries(parsed.data.roles ?? {})) {
    checkRoleName(role, shown, `roles.${role}`);
    roles[role] = parseRoleEntry(entry, shown, `roles.${role}`);
  }
  return { roles, defaults: parsed.data.agents ?? {} };
}

/** JSON.parse's message with the position it names as a line and column. */
function jsonErrorAt(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${message.replace(/ in JSON at position \d+.*$/, "")} at line ${line}, column ${column}`;
}

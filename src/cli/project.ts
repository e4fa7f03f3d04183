/**
 * The project's config as the commands use it: `cmc.json` (and `--agent` flags) read once, a bad
 * one reported as a usage error naming the file, the key and the fix, and the compiler host that
 * knows which roles the project maps.
 */
import { ConfigError, loadConfig, withAgentFlags, type AgentSettings } from "../runtime/config/index.js";
import { UsageError } from "./exit.js";
import { nodeHost, type NodeHost } from "./node-host.js";

/** The agent settings of the project in `cwd`, with `--agent role=spec` flags over its roles. */
export function projectSettings(cwd: string, agentFlags: readonly string[] = []): AgentSettings {
  try {
    return withAgentFlags(loadConfig(cwd).settings, agentFlags);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** A compiler host over `cwd` that checks `role(…)` calls against the roles `settings` maps. */
export function projectHost(cwd: string, settings: AgentSettings): NodeHost {
  return nodeHost(cwd, { roles: new Set(Object.keys(settings.roles)) });
}

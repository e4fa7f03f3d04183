/** `cmc doctor`: is this machine ready to run workflows? Every check, with the fix for each problem. */
import path from "node:path";
import { ConfigError } from "../config/errors.js";
import { loadConfig } from "../config/load.js";
import { NO_AGENT_SETTINGS } from "../config/find.js";
import type { AgentSettings } from "../config/schema.js";
import { checkAgents } from "./agents.js";
import { checkDisk, checkNode, checkStore } from "./system.js";
import type { Check, DoctorReport } from "./types.js";

export type { AgentCheck, Check, CheckStatus, DoctorReport } from "./types.js";

/**
 * Runs every check for the project in `cwd`: its `cmc.json` first (a bad one is a failed check, and
 * the agents are then checked as if it were absent). `storeDir` is the store `cmc` would use here
 * (shown as `storeShown`). Fails
 * when a check fails, and also when no agent CLI at all is ready (there is nothing to run with).
 */
export async function doctor(cwd: string, storeDir: string, storeShown: string): Promise<DoctorReport> {
  const { settings, check: config } = checkConfig(cwd);
  const [agents, store] = await Promise.all([checkAgents(settings), checkStore(storeDir, storeShown)]);
  const ready = agents.some((a) => a.status === "ok" || a.status === "warn");
  const none: Check[] = ready
    ? []
    : [{ name: "agents", status: "fail", summary: "no agent CLI is installed and logged in", fix: "install one and log in, e.g. `npm install -g @anthropic-ai/claude-code`, then `claude auth login`" }];
  const system = [...none, config, checkNode(), ...store, checkDisk(storeDir)];
  const ok = [...agents, ...system].every((c) => c.status !== "fail");
  return { ok, agents, system };
}

/** The project config's check, and the settings to check the agents with. */
function checkConfig(cwd: string): { settings: AgentSettings; check: Check } {
  try {
    const config = loadConfig(cwd);
    if (config.file === undefined) {
      return { settings: config.settings, check: { name: "cmc.json", status: "ok", summary: "none here (`cmc init` writes one; roles then play their defaults)" } };
    }
    const roles = Object.keys(config.settings.roles).length;
    const shown = path.relative(cwd, config.file) || config.file;
    return { settings: config.settings, check: { name: "cmc.json", status: "ok", summary: `${shown}: ${roles} role${roles === 1 ? "" : "s"} mapped` } };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const key = error.key !== "" ? `\`${error.key}\`: ` : "";
    return { settings: NO_AGENT_SETTINGS, check: { name: "cmc.json", status: "fail", summary: `${error.file}: ${key}${error.problem}`, fix: error.fix } };
  }
}

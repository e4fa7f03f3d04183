/** `cmc doctor`: is this machine ready to run workflows? Every check, with the fix for each problem. */
import type { AgentSettings } from "../config/schema.js";
import { checkAgents } from "./agents.js";
import { checkDisk, checkNode, checkStore } from "./system.js";
import type { Check, DoctorReport } from "./types.js";

export type { AgentCheck, Check, CheckStatus, DoctorReport } from "./types.js";
export { formatBytes } from "./system.js";

/**
 * Runs every check. `storeDir` is the store `cmc` would use here (shown as `storeShown`). Fails
 * when a check fails, and also when no agent CLI at all is ready (there is nothing to run with).
 */
export async function doctor(settings: AgentSettings, storeDir: string, storeShown: string): Promise<DoctorReport> {
  const [agents, store] = await Promise.all([checkAgents(settings), checkStore(storeDir, storeShown)]);
  const ready = agents.some((a) => a.status === "ok" || a.status === "warn");
  const none: Check[] = ready
    ? []
    : [{ name: "agents", status: "fail", summary: "no agent CLI is installed and logged in", fix: "install one and log in, e.g. `npm install -g @anthropic-ai/claude-code`, then `claude auth login`" }];
  const system = [...none, checkNode(), ...store, checkDisk(storeDir)];
  const ok = [...agents, ...system].every((c) => c.status !== "fail");
  return { ok, agents, system };
}

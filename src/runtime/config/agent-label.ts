/** An agent as people read it, apart from `roles.ts` so that showing a run loads no config validation. */
import type { AgentValue } from "../agents/types.js";

/** An agent as people read it: `claude (model opus)`, `scripted (file replies.json)`. */
export function agentLabel(agent: AgentValue): string {
  const shown = Object.entries(agent.options).filter(([, v]) => v !== undefined && v !== null && typeof v !== "object");
  return shown.length === 0 ? agent.$agent : `${agent.$agent} (${shown.map(([k, v]) => `${k} ${String(v)}`).join(", ")})`;
}

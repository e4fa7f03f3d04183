/** The project config (`cmc.json`) and roles: reading, validating, and who plays which role. */
export { ConfigError } from "./errors.js";
export { CONFIG_FILE, findConfig, NO_AGENT_SETTINGS } from "./find.js";
export { loadConfig, parseConfig, type ProjectConfig } from "./load.js";
export { rolesIn, type DeclaredRole } from "./roles-in.js";
export { agentLabel, playAgent, withAgentFlags, ROLE_NAME, type Played } from "./roles.js";
export { AGENT_OPTIONS, CLI_AGENTS, ROLE_AGENTS, type AgentSettings } from "./schema.js";

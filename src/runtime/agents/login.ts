/**
 * Whether an agent CLI is logged in, as far as can be told without running a model: the
 * environment variables each CLI reads a key from, and the file each one keeps its login in.
 * Locations as the CLIs' own packages and docs give them (docs/agents.md, "cmc doctor"); on
 * macOS Claude Code keeps its login in the Keychain, which is not read, so there it cannot tell.
 */
import { statSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

export interface LoginFacts {
  /** Variables that, set and non-empty, give the CLI a key or select a cloud provider. */
  readonly env: readonly string[];
  /** The file holding a login, for this environment. */
  credentials(env: NodeJS.ProcessEnv): string;
  /** How to log in. */
  readonly fix: string;
}

function home(env: NodeJS.ProcessEnv): string {
  return env.HOME && env.HOME !== "" ? env.HOME : homedir();
}

function under(env: NodeJS.ProcessEnv, variable: string, fallback: string): string {
  const set = env[variable];
  return set !== undefined && set !== "" ? set : path.join(home(env), fallback);
}

export const LOGIN: Readonly<Record<"claude" | "codex" | "gemini" | "opencode" | "cursor", LoginFacts>> = {
  claude: {
    env: ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX"],
    credentials: (env) => path.join(under(env, "CLAUDE_CONFIG_DIR", ".claude"), ".credentials.json"),
    fix: "run `claude auth login` (or `claude` and /login), or set ANTHROPIC_API_KEY",
  },
  codex: {
    env: ["OPENAI_API_KEY", "CODEX_API_KEY"],
    credentials: (env) => path.join(under(env, "CODEX_HOME", ".codex"), "auth.json"),
    fix: "run `codex login`, or set OPENAI_API_KEY",
  },
  gemini: {
    env: ["GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_APPLICATION_CREDENTIALS"],
    credentials: (env) => path.join(home(env), ".gemini", "oauth_creds.json"),
    fix: "run `gemini` once and choose \"Login with Google\", or set GEMINI_API_KEY",
  },
  opencode: {
    env: ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY"],
    credentials: (env) => path.join(under(env, "XDG_DATA_HOME", path.join(".local", "share")), "opencode", "auth.json"),
    fix: "run `opencode auth login`, or set the API key of its provider (ANTHROPIC_API_KEY, OPENAI_API_KEY, …)",
  },
  cursor: {
    env: ["CURSOR_API_KEY"],
    credentials: (env) => path.join(under(env, "XDG_CONFIG_HOME", ".config"), "cursor", "auth.json"),
    fix: "run `cursor-agent login`, or set CURSOR_API_KEY",
  },
};

/** What is known about a CLI's login: `yes` (and how), `no`, or `unknown` (kept where cmc cannot look). */
export type LoginState = { readonly state: "yes"; readonly how: string } | { readonly state: "no" | "unknown" };

/** Whether the CLI `name` is logged in, read from `env` and the disk. */
export function loginState(name: keyof typeof LOGIN, env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): LoginState {
  const facts = LOGIN[name];
  const variable = facts.env.find((v) => (env[v] ?? "") !== "");
  if (variable) return { state: "yes", how: `${variable} is set` };
  const file = facts.credentials(env);
  try {
    if (statSync(file).size > 0) return { state: "yes", how: `credentials in ${file}` };
  } catch {
    // no such file
  }
  return name === "claude" && platform === "darwin" ? { state: "unknown" } : { state: "no" };
}

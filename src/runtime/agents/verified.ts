/**
 * The agent CLI versions cmc's adapters were verified with (run against each real CLI, see
 * docs/agents.md, whose table a test holds to this one), and how each is installed at that version.
 * The one place these versions are written in code.
 */

export interface Verified {
  /** The product as its vendor names it. */
  readonly product: string;
  /** Versions the adapter was run against; empty when none could be (Cursor's CLI is not on npm). */
  readonly versions: readonly string[];
  /** The npm package it installs from, when it does. */
  readonly npm?: string;
}

/** By constructor name. */
export const VERIFIED: Readonly<Record<"claude" | "codex" | "gemini" | "opencode" | "cursor", Verified>> = {
  claude: { product: "Claude Code", versions: ["2.1.197"], npm: "@anthropic-ai/claude-code" },
  codex: { product: "codex-cli", versions: ["0.171.0"], npm: "@openai/codex" },
  gemini: { product: "Gemini CLI", versions: ["0.61.0"], npm: "@google/gemini-cli" },
  opencode: { product: "OpenCode", versions: ["1.18.33"], npm: "opencode-ai" },
  cursor: { product: "Cursor Agent", versions: [] },
};

/** The first `x.y.z` in a CLI's `--version` output (`2.1.197 (Claude Code)`, `codex-cli 0.171.0`). */
export function parseVersion(output: string): string | undefined {
  return /\b(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)\b/.exec(output)?.[1];
}

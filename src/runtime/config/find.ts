/**
 * Where the project config is: the nearest `cmc.json` in the working folder or a folder above it,
 * up to the repository's root (the first folder with a `.git`). Apart from `load.ts`, which reads
 * and validates the file, so that a command can tell a project without one from the folders alone.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { AgentSettings } from "./schema.js";

/** The config file's name. */
export const CONFIG_FILE = "cmc.json";

/** Settings that map no role and change no agent: a project's without a config. */
export const NO_AGENT_SETTINGS: AgentSettings = { roles: {}, defaults: {} };

/** The nearest `cmc.json` from `cwd` up to the repository root (or the file system's root). */
export function findConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const file = path.join(dir, CONFIG_FILE);
    if (existsSync(file)) return file;
    const parent = path.dirname(dir);
    if (existsSync(path.join(dir, ".git")) || parent === dir) return undefined;
    dir = parent;
  }
}

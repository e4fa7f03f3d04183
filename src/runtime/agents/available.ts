/**
 * Where an agent's program is: `$CMC_<NAME>_BIN` when set, else its name (or alias) found on
 * `PATH`. Used to pick the first installed agent among a role's fallbacks, and by `cmc doctor`.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { cliSpec } from "./index.js";
import type { AgentValue } from "./types.js";

/** The program an agent CLI runs and where it was found (`path` undefined: not found). */
export interface Located {
  readonly program: string;
  readonly path?: string;
  /** The environment variable that named the program, when one did. */
  readonly via?: string;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The full path of `name` as the shell would find it: a path as given, else the first `PATH` folder holding it. */
export function which(name: string): string | undefined {
  if (name.includes("/")) {
    const file = isAbsolute(name) ? name : resolve(name);
    return executable(file) ? file : undefined;
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Where the CLI behind constructor `name` is (undefined for a name that is no CLI). */
export function locateCli(name: string): Located | undefined {
  const spec = cliSpec(name);
  if (!spec) return undefined;
  const override = process.env[spec.envVar];
  if (override !== undefined && override.trim() !== "") {
    const found = which(override);
    return { program: override, via: spec.envVar, ...(found ? { path: found } : {}) };
  }
  const main = which(spec.program);
  if (main) return { program: spec.program, path: main };
  const alias = spec.alias !== undefined ? which(spec.alias) : undefined;
  return alias ? { program: spec.alias!, path: alias } : { program: spec.program };
}

/** Whether `agent` can run here: its CLI is installed (a `command` or `scripted` agent always can). */
export function agentAvailable(agent: AgentValue): boolean {
  const located = locateCli(agent.$agent);
  return located === undefined || located.path !== undefined;
}

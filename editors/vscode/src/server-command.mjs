/**
 * Which command starts the language server: the `cmc.path` setting when given, else `cmc` when it
 * is on the PATH, else `npx cmc` (the workspace's own cmc). Kept free of the `vscode` module so a
 * test can run it.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";

/**
 * @param {string | undefined} configured the `cmc.path` setting
 * @param {NodeJS.ProcessEnv} env the environment whose PATH is searched
 * @param {NodeJS.Platform} platform
 * @returns {{ command: string, args: string[] }}
 */
export function serverCommand(configured, env = process.env, platform = process.platform) {
  if (configured && configured.trim() !== "") return { command: configured.trim(), args: ["lsp"] };
  if (onPath("cmc", env, platform)) return { command: "cmc", args: ["lsp"] };
  return { command: platform === "win32" ? "npx.cmd" : "npx", args: ["--no-install", "cmc", "lsp"] };
}

/** Whether an executable called `name` is in one of the PATH's folders. */
function onPath(name, env, platform) {
  const dirs = (env.PATH ?? env.Path ?? "").split(platform === "win32" ? ";" : ":").filter(Boolean);
  const suffixes = platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  return dirs.some((dir) =>
    suffixes.some((suffix) => {
      const candidate = path.join(dir, name + suffix);
      return existsSync(candidate) && statSync(candidate).isFile();
    }),
  );
}

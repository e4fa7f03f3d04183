/**
 * The files `cmc init` writes: the project config, the template's modules under `workflows/`, and
 * `.cmc/` in `.gitignore`. Every file is planned first, so that existing ones can be found (and
 * kept, unless a person said to overwrite them) before anything is written.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILE } from "../config/find.js";
import type { Template } from "./template.js";

/** Where the template's modules go, relative to the project. */
export const WORKFLOWS_DIR = "workflows";

/** One file to write; `append` adds to an existing file instead of replacing it. */
export interface PlannedFile {
  /** Relative to the project, posix separators. */
  readonly path: string;
  readonly content: string;
  readonly append?: boolean;
}

/** What a role's entry in cmc.json is: `"claude"`, `"claude:opus"`, an object of options, or a list of those (fallbacks). */
export type RoleEntry = AgentEntry | readonly AgentEntry[];

/** One agent in cmc.json: `"claude"`, `"claude:opus"`, or `{ "agent": "claude", … }`. */
export type AgentEntry = string | Readonly<Record<string, unknown>>;

/** The config text for these roles (JSON, two-space indented, with a final newline). */
export function configText(roles: Readonly<Record<string, RoleEntry>>): string {
  return `${JSON.stringify({ roles, agents: {} }, null, 2)}\n`;
}

/** Whether a `.gitignore`'s lines already keep `.cmc/` out. */
function ignoresStore(text: string): boolean {
  return text.split(/\r?\n/).some((l) => ["/.cmc", "/.cmc/", ".cmc", ".cmc/"].includes(l.trim()));
}

/** Every file `cmc init` writes in `project` for `template` and `config`. */
export function planProject(project: string, template: Template, config: string): PlannedFile[] {
  const files: PlannedFile[] = [{ path: CONFIG_FILE, content: config }];
  for (const file of template.files) {
    files.push({ path: `${WORKFLOWS_DIR}/${file}`, content: readFileSync(path.join(template.dir, file), "utf8") });
  }
  const ignore = path.join(project, ".gitignore");
  if (!existsSync(ignore)) files.push({ path: ".gitignore", content: ".cmc/\n" });
  else {
    const text = readFileSync(ignore, "utf8");
    if (!ignoresStore(text)) files.push({ path: ".gitignore", content: `${text.endsWith("\n") || text === "" ? "" : "\n"}.cmc/\n`, append: true });
  }
  return files;
}

/** The planned files that would replace an existing one. */
export function existing(project: string, files: readonly PlannedFile[]): PlannedFile[] {
  return files.filter((f) => !f.append && existsSync(path.join(project, f.path)));
}

/** Writes the planned files. */
export function writePlanned(project: string, files: readonly PlannedFile[]): void {
  for (const f of files) {
    const full = path.join(project, f.path);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, f.append ? readFileSync(full, "utf8") + f.content : f.content);
  }
}

/**
 * Paths confined to the workspace (LANGUAGE.md §7), and the expression builtins that touch the
 * disk: `read`, `exists`, `glob`. Symlinks are followed before the confinement check, so a link
 * inside the workspace that points outside it counts as outside.
 */

import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { StepError } from "./errors.js";

/** Folders a glob never descends into. */
const SKIPPED_FOLDERS = new Set([".git", "node_modules", ".cmc"]);

/**
 * Resolves `p` against the workspace (absolute `p` stays absolute) and returns the absolute,
 * normalised path. Throws `StepError("runtime")` when the path — after following symlinks of its
 * longest existing prefix — lies outside the workspace, unless `allowOutside`.
 */
export function resolveInside(workspace: string, p: string, allowOutside: boolean): string {
  const resolved = path.resolve(workspace, p);
  if (allowOutside) return resolved;
  const realWorkspace = realWorkspaceOf(path.resolve(workspace));
  if (!isWithin(realWorkspace, realPathOfExistingPrefix(resolved))) {
    throw new StepError(
      "runtime",
      `path \`${p}\` is outside the workspace ${workspace}; pass --allow-outside to allow it`,
    );
  }
  return resolved;
}

/** Real paths of workspaces, by their resolved path: a run asks for its workspace's on every path it touches. */
const realWorkspaces = new Map<string, string>();

function realWorkspaceOf(workspace: string): string {
  let real = realWorkspaces.get(workspace);
  if (real === undefined) {
    real = realPathOfExistingPrefix(workspace);
    // Only an existing workspace is remembered: a missing one may be created later.
    if (existsSync(workspace)) realWorkspaces.set(workspace, real);
  }
  return real;
}

/** The real path of the longest existing prefix of an absolute path, with the rest appended. */
function realPathOfExistingPrefix(absolute: string): string {
  let prefix = absolute;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync.native(prefix), ...rest);
    } catch {
      const parent = path.dirname(prefix);
      if (parent === prefix) return absolute;
      rest.unshift(path.basename(prefix));
      prefix = parent;
    }
  }
}

function isWithin(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** `read(path)`: the file's text (UTF-8). Throws `StepError("runtime")` if it cannot be read. */
export function readText(workspace: string, p: string, allowOutside: boolean): string {
  const file = resolveInside(workspace, p, allowOutside);
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new StepError("runtime", `cannot read \`${p}\`: ${reason}`);
  }
}

/** `exists(path)`: whether a file or folder is there (a dangling symlink is not). */
export function pathExists(workspace: string, p: string, allowOutside: boolean): boolean {
  return existsSync(resolveInside(workspace, p, allowOutside));
}

/**
 * `glob(pattern)`: the files and folders matching a pattern, relative to the workspace (absolute
 * when outside it), sorted. Supports `*` and `?` within one name, `**` for any number of folders,
 * and `{a,b}` alternatives; wildcards do not match a leading `.`. Never lists or enters `.git`,
 * `node_modules` or `.cmc` below the pattern's fixed folders, nor follows symlinked folders. A pattern whose fixed leading folders
 * lie outside the workspace throws `StepError("runtime")` unless `allowOutside`.
 */
export function globPaths(workspace: string, pattern: string, allowOutside: boolean): string[] {
  const found = new Set<string>();
  for (const alternative of expandBraces(pattern)) {
    const segments = alternative.split("/").filter((segment, i) => segment !== "" || i === 0);
    const firstWild = segments.findIndex(isWild);
    if (firstWild === -1) {
      if (pathExists(workspace, alternative, allowOutside)) found.add(display(workspace, path.resolve(workspace, alternative)));
      continue;
    }
    const baseText = segments.slice(0, firstWild).join("/") || (alternative.startsWith("/") ? "/" : ".");
    const base = resolveInside(workspace, baseText, allowOutside);
    const rest = segments.slice(firstWild);
    const matcher = new RegExp(`^${patternToRegex(rest)}$`);
    const maxDepth = rest.includes("**") ? Infinity : rest.length;
    walk(base, "", maxDepth, (relative) => {
      if (matcher.test(relative)) found.add(display(workspace, path.join(base, relative)));
    });
  }
  return [...found].sort();
}

function display(workspace: string, absolute: string): string {
  const relative = path.relative(path.resolve(workspace), absolute);
  return isWithin(path.resolve(workspace), absolute) ? relative || "." : absolute;
}

function isWild(segment: string): boolean {
  return /[*?]/.test(segment);
}

/** Visits every entry under `folder` as a `/`-separated path relative to it. */
function walk(folder: string, prefix: string, depthLeft: number, visit: (relative: string) => void): void {
  if (depthLeft <= 0) return;
  let names: string[];
  try {
    names = readdirSync(path.join(folder, prefix));
  } catch {
    return; // missing or not a folder: nothing matches
  }
  for (const name of names) {
    if (SKIPPED_FOLDERS.has(name)) continue;
    const relative = prefix === "" ? name : `${prefix}/${name}`;
    visit(relative);
    let isFolder = false;
    try {
      isFolder = lstatSync(path.join(folder, relative)).isDirectory();
    } catch {
      continue;
    }
    if (isFolder) walk(folder, relative, depthLeft - 1, visit);
  }
}

/** `a{b,c{d,e}}f` → `abf acdf acef`; an unmatched `{` stays literal. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf("{");
  if (open === -1) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) {
      const before = pattern.slice(0, open);
      const after = pattern.slice(i + 1);
      const bounds = [open, ...commas, i];
      const options = bounds.slice(1).map((end, k) => pattern.slice(bounds[k]! + 1, end));
      return options.flatMap((option) => expandBraces(before + option + after));
    } else if (c === "," && depth === 1) commas.push(i);
  }
  return [pattern];
}

/** Translates glob segments (`**`, `*`, `?`, literals) into a regex over a `/`-joined path. */
function patternToRegex(segments: readonly string[]): string {
  let out = "";
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "**") {
      out += last ? "(?!\\.)[^/]+(?:/(?!\\.)[^/]+)*" : "(?:(?!\\.)[^/]+/)*";
      return;
    }
    let regex = /^[*?]/.test(segment) ? "(?!\\.)" : "";
    for (const c of segment) {
      regex += c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    out += regex + (last ? "" : "/");
  });
  return out;
}

/**
 * Workflow templates: a folder of `.cm` modules that `cmc init --template` copies into a project.
 * A template is one of cmc's own (`feature`, `bugfix`, `review`), a local folder, a package
 * tarball, or an npm package (used from `node_modules` when installed there, else fetched with
 * `npm pack`). In a package, `package.json`'s `"cmc": { "template": "dir" }` names the folder
 * holding the modules; without it, the package's own folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";

/** The templates cmc ships, in the order `cmc init` offers them. */
export const BUILTIN_TEMPLATES = ["feature", "bugfix", "review"] as const;

/** A template that cannot be used: no such folder or package, or no `.cm` module in it. */
export class TemplateError extends Error {
  override name = "TemplateError";
}

export interface Template {
  /** As the user named it. */
  readonly spec: string;
  /** The folder holding its modules. */
  readonly dir: string;
  /** Its `.cm` modules, relative to `dir` (posix separators), sorted. */
  readonly files: readonly string[];
  /** Removes what fetching it left on disk (an unpacked tarball). */
  dispose(): void;
}

const SKIPPED = new Set(["node_modules", ".git", ".cmc"]);

function cmFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory() && !SKIPPED.has(entry.name)) out.push(...cmFiles(dir, rel));
    else if (entry.isFile() && entry.name.endsWith(".cm")) out.push(rel);
  }
  return out;
}

/** The modules folder of a package folder (its `cmc.template`), or the folder itself. */
function modulesDir(dir: string, spec: string): string {
  const pkg = path.join(dir, "package.json");
  if (!existsSync(pkg)) return dir;
  let sub: unknown;
  try {
    sub = (JSON.parse(readFileSync(pkg, "utf8")) as { cmc?: { template?: unknown } }).cmc?.template;
  } catch (error) {
    throw new TemplateError(`template ${spec}: its package.json is not valid JSON (${(error as Error).message})`);
  }
  if (sub === undefined) return dir;
  if (typeof sub !== "string") throw new TemplateError(`template ${spec}: package.json's "cmc.template" must be a folder name`);
  return path.resolve(dir, sub);
}

function fromFolder(spec: string, folder: string, dispose: () => void = () => {}): Template {
  const dir = modulesDir(folder, spec);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    dispose();
    throw new TemplateError(`template ${spec}: ${dir} is not a folder`);
  }
  const files = cmFiles(dir);
  if (files.length === 0) {
    dispose();
    throw new TemplateError(`template ${spec} has no .cm modules (in ${dir})`);
  }
  return { spec, dir, files, dispose };
}

/** Unpacks a package tarball (what `npm pack` writes) into a temporary folder. */
async function unpack(spec: string, tarball: string, scratch: string): Promise<Template> {
  const into = path.join(scratch, "unpacked");
  mkdirSync(into, { recursive: true });
  const r = await execa("tar", ["-xzf", tarball, "-C", into], { reject: false });
  const dispose = () => rmSync(scratch, { recursive: true, force: true });
  if (r.exitCode !== 0) {
    dispose();
    throw new TemplateError(`template ${spec}: cannot unpack ${tarball}: ${r.stderr.trim()}`);
  }
  return fromFolder(spec, path.join(into, "package"), dispose);
}

/** Finds the template `spec` names, from `cwd`; `builtins` is the folder of cmc's own templates. */
export async function resolveTemplate(spec: string, cwd: string, builtins: string): Promise<Template> {
  if ((BUILTIN_TEMPLATES as readonly string[]).includes(spec)) return fromFolder(spec, path.join(builtins, spec));
  const local = path.resolve(cwd, spec);
  const looksLikePath = spec.startsWith(".") || spec.startsWith("/") || spec.endsWith(".tgz");
  if (existsSync(local)) {
    if (statSync(local).isDirectory()) return fromFolder(spec, local);
    return unpack(spec, local, mkdtempSync(path.join(tmpdir(), "cmc-template-")));
  }
  if (looksLikePath) throw new TemplateError(`template ${spec}: no such file or folder`);
  try {
    const pkg = createRequire(path.join(cwd, "noop.js")).resolve(`${spec}/package.json`);
    return fromFolder(spec, path.dirname(pkg));
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    // not installed here: fetch it
  }
  const scratch = mkdtempSync(path.join(tmpdir(), "cmc-template-"));
  const packed = await execa("npm", ["pack", spec, "--pack-destination", scratch, "--silent"], { reject: false, cwd });
  const tarball = packed.stdout.trim().split("\n").pop() ?? "";
  if (packed.exitCode !== 0 || tarball === "") {
    rmSync(scratch, { recursive: true, force: true });
    const builtin = BUILTIN_TEMPLATES.map((t) => `\`${t}\``).join(", ");
    throw new TemplateError(`template ${spec}: not one of cmc's (${builtin}), a folder, or an npm package npm could fetch${packed.stderr ? `: ${packed.stderr.trim().split("\n").pop()}` : ""}`);
  }
  return unpack(spec, path.join(scratch, tarball), scratch);
}

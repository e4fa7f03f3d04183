/**
 * The compiler host over the real file system: turns import specifiers into module keys and reads
 * module text. User modules are keyed by their path relative to the working folder (posix
 * separators; absolute when outside it); the standard library is `std/<name>`, read from the
 * package's `stdlib/<name>.cm`.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CompilerHost } from "../compiler/host.js";

const STD_PREFIX = "std/";

/**
 * The folder holding the standard library's `.cm` files. Located from this module: both
 * `dist/cli/node-host.js`, `src/cli/node-host.ts` and the chunks in `dist/bundle/` are all two levels
 * below the package root.
 */
export function stdlibDir(): string {
  return fileURLToPath(new URL("../../stdlib", import.meta.url));
}

/** A compiler host that can also name files given on the command line. */
export interface NodeHost extends CompilerHost {
  /** The working folder keys are relative to. */
  readonly cwd: string;
  /** The module key of a file path (relative to `cwd`, or absolute). */
  keyOf(file: string): string;
  /** The absolute path a module key stands for. */
  pathOf(key: string): string;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * A host over the disk rooted at `cwd`; `opts.stdlib` replaces the standard library folder (tests),
 * `opts.roles` are the roles the project maps (checked by `role(…)` calls).
 *
 * Resolution: `std/<name>` (a trailing `.cm` is allowed) names `stdlib/<name>.cm`; `./…` and `../…`
 * are relative to the importing module (also inside the standard library, where they stay `std/…`
 * keys). A relative specifier is tried as written, then with `.cm` appended when it has no `.cm`
 * ending, so `"./util"` finds `util.cm`. Anything else, or a file that does not exist, resolves to
 * undefined.
 */
export function nodeHost(cwd: string, opts: { stdlib?: string; roles?: ReadonlySet<string> } = {}): NodeHost {
  const root = path.resolve(cwd);
  const std = path.resolve(opts.stdlib ?? stdlibDir());

  const keyOf = (file: string): string => {
    const abs = path.resolve(root, file);
    const stdRel = path.relative(std, abs);
    if (!stdRel.startsWith("..") && !path.isAbsolute(stdRel) && stdRel.endsWith(".cm") && !stdRel.includes(path.sep)) {
      return STD_PREFIX + stdRel.slice(0, -".cm".length);
    }
    const rel = path.relative(root, abs);
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return abs.split(path.sep).join("/");
    return rel.split(path.sep).join("/");
  };

  const pathOf = (key: string): string => {
    if (key.startsWith(STD_PREFIX)) return path.join(std, `${key.slice(STD_PREFIX.length)}.cm`);
    return path.resolve(root, key);
  };

  return {
    ...(opts.roles ? { roles: opts.roles } : {}),
    cwd: root,
    keyOf,
    pathOf,
    resolve(fromFile, specifier) {
      if (specifier.startsWith(STD_PREFIX)) {
        const name = specifier.slice(STD_PREFIX.length).replace(/\.cm$/, "");
        if (name === "" || name.includes("/") || name.includes("\\")) return undefined;
        return isFile(path.join(std, `${name}.cm`)) ? STD_PREFIX + name : undefined;
      }
      if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
      const target = path.resolve(path.dirname(pathOf(fromFile)), specifier);
      if (isFile(target)) return keyOf(target);
      if (!target.endsWith(".cm") && isFile(`${target}.cm`)) return keyOf(`${target}.cm`);
      return undefined;
    },
    read(file) {
      try {
        return readFileSync(pathOf(file), "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * How the pure compiler reaches other modules: the CLI (or a test) supplies a host; the compiler
 * itself never touches the disk.
 */

export interface CompilerHost {
  /**
   * Resolves an import specifier written in module `fromFile`: `std/x` to the standard library,
   * `./x.cm` / `../x.cm` relative to `fromFile`. Returns the imported module's key (the name used in
   * diagnostics and IR ids: a path relative to the working folder, or `std/x`), or undefined when
   * there is no such module.
   */
  resolve(fromFile: string, specifier: string): string | undefined;
  /** The text of a module by key, or undefined when it cannot be read. */
  read(file: string): string | undefined;
  /**
   * The roles the project maps to agents (its `cmc.json` and `--agent` flags). When given, a
   * `role(…)` without `default:` whose name is not among them is error E0240; when absent, roles
   * are not checked against a project.
   */
  readonly roles?: ReadonlySet<string>;
}

/** A host over an in-memory map of files, for tests: keys are module keys, `std/…` included. */
export function memoryHost(files: Readonly<Record<string, string>>): CompilerHost {
  return {
    resolve(fromFile, specifier) {
      let key: string;
      if (specifier.startsWith("std/")) key = specifier;
      else if (specifier.startsWith("./") || specifier.startsWith("../")) {
        const parts = fromFile.split("/").slice(0, -1);
        for (const seg of specifier.split("/")) {
          if (seg === ".") continue;
          if (seg === "..") parts.pop();
          else parts.push(seg);
        }
        key = parts.join("/");
      } else return undefined;
      return key in files ? key : undefined;
    },
    read: (file) => files[file],
  };
}

/** The one error of the project config: a bad `cmc.json` or `--agent` flag, located by file and key. */

export class ConfigError extends Error {
  constructor(
    /** The config file (as shown), or `--agent` for a flag. */
    readonly file: string,
    /** The key in dotted form (`roles.architect`, `agents.claude.model`); empty for the whole file. */
    readonly key: string,
    /** What is wrong. */
    readonly problem: string,
    /** What to write instead. */
    readonly fix: string,
  ) {
    super(`${file}${key !== "" ? `: \`${key}\`` : ""}: ${problem}\n  fix: ${fix}`);
    this.name = "ConfigError";
  }
}

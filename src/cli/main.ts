/**
 * The `cmc` command line's entry point. `cmc --version` (alone) is answered here from package.json;
 * every other command line goes to the commander program (`program.ts`), loaded only then, so that
 * the version costs no more than reading one file.
 */
import { EXIT } from "./exit.js";
import { version } from "./version.js";

/**
 * A reader that went away (`cmc run … | head -1`) must not kill a run half-way: writes to a closed
 * stdout or stderr are dropped, and the run goes on to its end. Another write error is said once
 * on the other stream (a throw here would be an uncaught exception and its stack trace).
 */
function ignoreClosedOutput(): void {
  const said = new Set<string>();
  for (const [name, stream, other] of [
    ["stdout", process.stdout, process.stderr],
    ["stderr", process.stderr, process.stdout],
  ] as const) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE" || said.has(name)) return;
      said.add(name);
      if (!other.destroyed) other.write(`cmc: cannot write to ${name}: ${error.message}\n`);
    });
  }
}

/** Whether the arguments ask for the version and nothing else (`-V`/`--version` with anything more goes to commander). */
function onlyVersion(args: readonly string[]): boolean {
  return args.length === 1 && (args[0] === "--version" || args[0] === "-V");
}

/** Runs the CLI with `argv` (as `process.argv`); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  ignoreClosedOutput();
  if (onlyVersion(argv.slice(2))) {
    process.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const { runProgram } = await import("./program.js");
  return runProgram(argv);
}

/**
 * The `cmc` command line's entry point (`bin/cmc.js` answers a lone `--version` before it): the
 * commander program (`program.ts`) runs every command line.
 */

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

/** Runs the CLI with `argv` (as `process.argv`); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  ignoreClosedOutput();
  const { runProgram } = await import("./program.js");
  return runProgram(argv);
}

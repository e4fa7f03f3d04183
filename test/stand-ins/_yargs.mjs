// How yargs, the argument parser of Gemini CLI and OpenCode, reads a string option, for their
// stand-ins: `--name=value` is one argument whose value may be anything; a separate value that
// starts with `-` is taken for an option instead, so yargs stops with "Not enough arguments
// following: <name>" and exit code 1 (both CLIs print their help with it).

/** The value of string option `names` in argv, or undefined; exits 1 as yargs does when the value is missing. */
export function yargsString(argv, shown, ...names) {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const joined = names.find((n) => n.startsWith("--") && arg.startsWith(`${n}=`));
    if (joined) return arg.slice(joined.length + 1);
    if (!names.includes(arg)) continue;
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("-")) {
      process.stderr.write(`Not enough arguments following: ${shown}\n`);
      process.exit(1);
    }
    return value;
  }
  return undefined;
}

/**
 * The `cmc` command line's commands and flags (commander), and usage only. Each command's work lives
 * in `commands/<name>.ts`, loaded when that command runs. Exit codes: `exit.ts`.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { EXIT, type GlobalOptions, UsageError } from "./exit.js";
import { version } from "./version.js";

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a number of at least 0");
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parses `argv` (as `process.argv`) and runs the command it names; resolves to the exit code. */
export async function runProgram(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const done = (code: number) => {
    exitCode = code;
  };
  const program = new Command();
  program
    .name("cmc")
    .description("Compile and run .cm workflows that drive coding agents")
    .version(version(), "-V, --version")
    .option("--store <dir>", "where runs are stored (default: .cmc/ in the working folder, or $CMC_STORE)")
    .showHelpAfterError("(run `cmc help` for usage)")
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .command("check")
    .description("parse and type-check .cm files (files or folders)")
    .argument("[paths...]", "files or folders to check", ["."])
    .addOption(new Option("--format <format>", "output format").choices(["pretty", "json"]).default("pretty"))
    .option("--strict", "warnings fail the check too", false)
    .action(async (paths: string[], opts) => done(await (await import("./commands/check.js")).check(paths, opts)));

  program
    .command("fmt")
    .description("lay out .cm files in the canonical format, in place (files or folders; default: every .cm file here)")
    .argument("[paths...]", "files or folders to format")
    .option("--check", "write nothing; list the files that would change and exit 1 if any would", false)
    .action(async (paths: string[], opts: { check: boolean }) => done(await (await import("./commands/fmt.js")).fmt(paths, opts)));

  program
    .command("compile")
    .description("print a file's IR as JSON")
    .argument("<file>", "the .cm file")
    .option("-o, --output <file>", "write the IR to this file instead of stdout")
    .action(async (file: string, opts) => done(await (await import("./commands/compile.js")).compile(file, opts)));

  program
    .command("graph")
    .description("draw a workflow's graph")
    .argument("<file>", "the .cm file")
    .option("-w, --workflow <name>", "the workflow to draw")
    .addOption(new Option("--format <format>", "diagram language").choices(["mermaid", "dot"]).default("mermaid"))
    .option("--run <run>", "colour the graph with this run's state")
    .action(async (file: string, opts) =>
      done(await (await import("./commands/graph.js")).graph(file, { ...opts, ...globals() })),
    );

  program
    .command("run")
    .description("start a run of a workflow")
    .argument("<file>", "the .cm file")
    .option("-w, --workflow <name>", "the workflow to run (default: the file's only workflow, or main)")
    .option("-i, --input <key=value>", "an input, parsed by its declared type (repeatable)", collect, [])
    .option("--inputs <file>", "inputs from a JSON object file")
    .addOption(
      new Option("--mode <mode>", "who decides gates").choices(["supervised", "interactive", "autonomous"]).default("supervised"),
    )
    .addOption(
      new Option("--durability <mode>", "sync: a finished step never runs again; batch: faster, the last steps may run again after a machine crash")
        .choices(["sync", "batch"])
        .default("sync"),
    )
    .option("--concurrency <n>", "steps running at once, at most", positiveInt, 4)
    .option("--budget <usd>", "stop starting agent steps once the run has spent this much", nonNegativeNumber)
    .option("--allow-outside", "let read/glob/exists/cwd reach outside the workspace", false)
    .option("--agent <role=agent>", "who plays a role in this run, over cmc.json: architect=codex:gpt-5 (repeatable)", collect, [])
    .option("--json", "print the run's result as one JSON object on stdout", false)
    .action(async (file: string, opts) => done(await (await import("./commands/run.js")).run(file, { ...opts, ...globals() })));

  program
    .command("resume")
    .description("continue a run that is not finished")
    .argument("<run>", "run id (or a unique prefix)")
    .option("--refresh", "read files and the environment again, and run again the finished steps whose inputs that changes", false)
    .option("--json", "print the run's result as one JSON object on stdout", false)
    .action(async (id: string, opts) => done(await (await import("./commands/run.js")).resume(id, { ...opts, ...globals() })));

  program
    .command("rerun")
    .description("start a new run of a run's program that reuses its results before a step and runs that step and what follows again")
    .argument("<run>", "run id (or a unique prefix)")
    .requiredOption("--from <step>", "the step to run again, with what follows it")
    .option("-i, --input <key=value>", "an input changed for the new run (repeatable); steps it reaches run again", collect, [])
    .option("--json", "print the run's result as one JSON object on stdout", false)
    .action(async (id: string, opts) => done(await (await import("./commands/run.js")).rerun(id, { ...opts, ...globals() })));

  program
    .command("cancel")
    .description("end a run that is not finished")
    .argument("<run>", "run id (or a unique prefix)")
    .action(async (id: string) => done(await (await import("./commands/decide.js")).cancel(id, globals())));

  program
    .command("approve")
    .description("approve a waiting gate")
    .argument("<run>", "run id (or a unique prefix)")
    .argument("<step>", "the approve step")
    .option("--reason <text>", "why", "")
    .action(async (id: string, step: string, opts: { reason: string }) =>
      done(await (await import("./commands/decide.js")).decide(id, step, true, opts.reason, globals())),
    );

  program
    .command("reject")
    .description("reject a waiting gate")
    .argument("<run>", "run id (or a unique prefix)")
    .argument("<step>", "the approve step")
    .requiredOption("--reason <text>", "why (the workflow can read it)")
    .action(async (id: string, step: string, opts: { reason: string }) =>
      done(await (await import("./commands/decide.js")).decide(id, step, false, opts.reason, globals())),
    );

  program
    .command("status")
    .description("show a run, or every run")
    .argument("[run]", "run id (or a unique prefix)")
    .option("--json", "print JSON", false)
    .action(async (id: string | undefined, opts) =>
      done(await (await import("./commands/inspect.js")).status(id, { ...opts, ...globals() })),
    );

  program
    .command("runs")
    .description("list runs, newest first")
    .option("--json", "print JSON", false)
    .action(async (opts) => done(await (await import("./commands/inspect.js")).runs({ ...opts, ...globals() })));

  program
    .command("logs")
    .description("print a run's log, or one step's")
    .argument("<run>", "run id (or a unique prefix)")
    .argument("[step]", "a step (its instances' logs are printed in order)")
    .option("-f, --follow", "print the run's transitions too, from its start, and follow them and the output until the run ends (through a resume)", false)
    .action(async (id: string, step: string | undefined, opts) =>
      done(await (await import("./commands/inspect.js")).logs(id, step, { ...opts, ...globals() })),
    );

  program
    .command("init")
    .description("set up a project: cmc.json, a first workflow from a template, .cmc/ in .gitignore")
    .option("-t, --template <template>", "a template: feature, bugfix, review, a folder, a package tarball or an npm package")
    .option("--agents <list>", "the agent CLIs to use, comma-separated (default: asked; those installed)")
    .option("--agent <role=agent>", "who plays a role: architect=claude:opus (repeatable)", collect, [])
    .option("-y, --yes", "ask nothing: take every default and overwrite nothing", false)
    .option("--force", "overwrite existing files without asking", false)
    .action(async (opts) => done(await (await import("./commands/init.js")).init(opts)));

  program
    .command("lsp")
    .description("run the language server for editors (LSP over stdin and stdout)")
    .option("--stdio", "talk over stdin and stdout (the default and only transport; editors pass it)")
    .action(async () => done(await (await import("./commands/lsp.js")).lsp()));

  program
    .command("doctor")
    .description("check the agent CLIs (installed, version, logged in), Node.js, the run store and the disk")
    .option("--json", "print JSON", false)
    .action(async (opts) => done(await (await import("./commands/doctor.js")).doctor({ ...opts, ...globals() })));

  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n(run \`cmc help\` for usage)\n`);
      return EXIT.usage;
    }
    // By name: importing the store here would load lmdb for `cmc --version` too.
    if (error instanceof Error && error.name === "StoreError") {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT.store;
    }
    throw error;
  }
  return exitCode;
}

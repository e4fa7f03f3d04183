/**
 * `command(argv: list<string>)` — any program as an agent: argv run without a shell, the prompt on
 * stdin, the reply its stdout (trimmed). A non-zero exit fails the ask with the tail of stderr.
 * A reply longer than the runner's capture (1 MiB) keeps its head and tail, and says so.
 */
import { StepError } from "../errors.js";
import type { ActionContext } from "../actions/types.js";
import { CommandNotFoundError, DEFAULT_MAX_CAPTURE, runProcess } from "../actions/process.js";
import { composePrompt } from "./cli.js";
import { stderrTail } from "./json-lines.js";
import { stringListOption } from "./options.js";
import { extractJson, validateOutput } from "./output.js";
import type { AgentValue, AskRequest, Reply } from "./types.js";

/** The program and its arguments: `command(argv: [...])` (or the constructor's only positional argument). */
export function commandArgv(agent: AgentValue): [string, ...string[]] {
  const key = agent.options["argv"] !== undefined ? "argv" : "0";
  const argv = stringListOption(agent, key);
  if (!argv || argv.length === 0 || argv[0] === "") {
    throw new StepError("runtime", "command(): `argv` must name a program: command(argv: [\"program\", \"arg\", …])", false);
  }
  return argv as [string, ...string[]];
}

/** Runs the program once for an ask. */
export async function askCommand(agent: AgentValue, req: AskRequest, ctx: ActionContext): Promise<Reply> {
  const [file, ...args] = commandArgv(agent);
  if (req.interactive && req.output) {
    throw new StepError("runtime", "command: an interactive ask gives no structured output (drop `output:`)", false);
  }
  let result;
  try {
    result = await runProcess({
      file,
      args,
      cwd: ctx.workspace,
      marks: ctx.processEnv,
      signal: ctx.signal,
      log: ctx.log,
      ...(req.interactive ? { inheritStdio: true } : { stdin: composePrompt(req, true) }),
    });
  } catch (err) {
    if (err instanceof CommandNotFoundError) {
      throw new StepError("failed", `command: program \`${file}\` was not found (is it installed and on PATH?)`, false);
    }
    throw err;
  }
  const base = {
    session: req.session ?? "",
    cost: 0,
    tokens: { input: 0, output: 0 },
    duration: Math.round(result.duration),
  };
  if (req.interactive) return { ok: result.code === 0, text: "", ...base };
  if (result.code !== 0) {
    const tail = stderrTail(result.stderr);
    throw new StepError("failed", `command: \`${file}\` exited with code ${result.code}${tail ? `: ${tail}` : ""}`);
  }
  const text = result.stdout.trim();
  if (text) ctx.progress?.({ message: text });
  const cut = result.stdoutOmitted > 0 ? cutNote(result.stdoutOmitted) : undefined;
  if (cut) {
    ctx.log.write(`\n[cmc] command: ${cut}\n`);
    ctx.progress?.({ message: cut });
  }
  const reply: Reply = { ok: true, text, ...base };
  if (!req.output) return reply;
  try {
    return { ...reply, output: validateOutput(req.output, extractJson(text)) };
  } catch (err) {
    if (cut && err instanceof StepError) throw new StepError(err.kind, `${err.message} (${cut})`, err.retryable);
    throw err;
  }
}

/** What a reply cut to the runner's capture says about it. */
function cutNote(omitted: number): string {
  const half = `${DEFAULT_MAX_CAPTURE / 2 / 1024} KiB`;
  return (
    `the reply is cut: stdout had ${omitted + DEFAULT_MAX_CAPTURE} bytes, the reply keeps its first and last ${half}, ` +
    `with a marker line where ${omitted} bytes were left out; the step log has all of it`
  );
}

/**
 * `command(argv: list<string>)` — any program as an agent: argv run without a shell, the prompt on
 * stdin, the reply its stdout (trimmed). A non-zero exit fails the ask with the tail of stderr.
 */
import { StepError } from "../errors.js";
import type { ActionContext } from "../actions/types.js";
import { CommandNotFoundError, runProcess } from "../actions/process.js";
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
  const reply: Reply = { ok: true, text, ...base };
  return req.output ? { ...reply, output: validateOutput(req.output, extractJson(text)) } : reply;
}

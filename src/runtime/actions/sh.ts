/**
 * The `sh` action (LANGUAGE.md §6.1): a command string through `/bin/sh -c`, or an argv run
 * directly, in a folder confined to the workspace.
 */

import { StepError } from "../errors.js";
import { resolveInside } from "../workspace.js";
import { CommandNotFoundError, runProcess, shorten } from "./process.js";
import { shellQuote } from "../../compiler/shell-context.js";
import type { ActionContext, ShellRequest, ShellResult } from "./types.js";

/** Longest command text quoted in a failure message. */
const COMMAND_HEAD_LENGTH = 60;

/**
 * Runs the command to completion. Rejects with `StepError("failed")` when `check` is set and the
 * exit code is not 0, or when an argv program does not exist; with `StepError("runtime")` when
 * `cwd` is outside the workspace or not a folder; with `ctx.signal.reason` when aborted (after
 * killing the whole process group). Otherwise resolves, `ok` telling whether the code was 0.
 */
export async function runShell(req: ShellRequest, ctx: ActionContext): Promise<ShellResult> {
  const argv = typeof req.command === "string" ? ["/bin/sh", "-c", req.command] : [...req.command];
  const [file, ...args] = argv;
  if (file === undefined || file === "") throw new StepError("runtime", "sh was given an empty command");
  const cwd = resolveInside(ctx.workspace, req.cwd ?? ".", ctx.allowOutside);

  let result;
  try {
    result = await runProcess({
      file,
      args,
      cwd,
      env: req.env,
      marks: ctx.processEnv,
      stdin: req.stdin,
      signal: ctx.signal,
      log: ctx.log,
    });
  } catch (error) {
    if (ctx.signal.aborted && error === ctx.signal.reason) throw error;
    if (error instanceof CommandNotFoundError) throw new StepError("failed", error.message);
    if (error instanceof Error && !(error instanceof StepError)) throw new StepError("runtime", error.message);
    throw error;
  }

  if (req.check && result.code !== 0) {
    // Most programs say why on stderr; some (git commit with nothing to commit) only on stdout.
    const lastLine = lastNonEmptyLine(result.stderr) ?? lastNonEmptyLine(result.stdout);
    throw new StepError(
      "failed",
      `\`${commandHead(req.command)}\` exited with code ${result.code}${lastLine === undefined ? "" : `: ${lastLine}`}`,
    );
  }
  return {
    ok: result.code === 0,
    code: result.code,
    stdout: result.stdout,
    stderr: result.stderr,
    duration: result.duration,
  };
}

/** The command's first line, shortened, for messages. */
function commandHead(command: string | readonly string[]): string {
  const text = typeof command === "string" ? command.trim() : command.map(shellQuote).join(" ");
  const firstLine = text.split("\n", 1)[0] ?? "";
  const shortened = firstLine.length > COMMAND_HEAD_LENGTH ? `${firstLine.slice(0, COMMAND_HEAD_LENGTH)}…` : firstLine;
  return shortened + (firstLine !== text && shortened === firstLine ? " …" : "");
}

/** The last line with text, shortened: a failure message quotes it, and some lines are megabytes long. */
function lastNonEmptyLine(text: string): string | undefined {
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const last = lines.at(-1);
  return last === undefined ? undefined : shorten(last, 500);
}

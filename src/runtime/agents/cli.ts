/**
 * The part every coding-agent CLI adapter shares: building the prompt, running the program
 * (headless with its JSON event stream parsed line by line as it arrives, or interactive on the
 * terminal), mapping a missing program to its install command, and checking structured output.
 * Each adapter file (claude.ts, codex.ts, …) supplies a `CliSpec`: its flags and its event parser.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { StepError } from "../errors.js";
import type { ActionContext } from "../actions/types.js";
import { CommandNotFoundError, runProcess } from "../actions/process.js";
import type { AgentValue, AskRequest, Reply, Tokens } from "./types.js";
import { parseJsonLine, type JsonObject } from "./json-lines.js";
import { extractJson, nativeOutputSchema, promptWithOutputInstruction, unwrapNativeOutput, validateOutput } from "./output.js";

/** What an event parser knows once the process has ended. */
export interface ParsedReply {
  readonly text: string;
  readonly session: string;
  readonly cost: number;
  readonly tokens: Tokens;
  /** The CLI's own structured output field (Claude's `structured_output`), when it has one. */
  readonly structured?: unknown;
}

/** Live news from a parser: a message, and the cost and tokens so far once the CLI reports them. */
export type Progress = (update: { readonly message?: string; readonly cost?: number; readonly tokens?: Tokens }) => void;

/** Consumes a CLI's JSON events as they arrive, then decides success or failure. */
export interface EventParser {
  /** One parsed JSON line. Unknown event types are ignored. */
  event(e: JsonObject): void;
  /** The reply, or a `StepError("failed", "<agent>: <its message>")` when the CLI reported failure. */
  finish(exit: { readonly code: number; readonly stderr: string }): ParsedReply;
}

/**
 * How `ask` passes an `output:` type to the CLI: `inline` in the arguments (Claude's
 * `--json-schema`), in a temporary `file` (Codex's `--output-schema`), or as an instruction
 * appended to the `prompt`.
 */
export type SchemaPassing = "inline" | "file" | "prompt";

/** Shown in `commandLine` where a temporary schema file's path goes. */
export const SCHEMA_FILE_PLACEHOLDER = "<output-schema.json>";

export interface CliSpec {
  /** The constructor name, also the prefix of failure messages: `claude`. */
  readonly name: string;
  /** The program run unless `envVar` names another. */
  readonly program: string;
  /** Another name the program is installed under, run when `program` is not on PATH (cursor's `agent`). */
  readonly alias?: string;
  /** Overrides the program (a wrapper, a stand-in): `CMC_CLAUDE_BIN`. */
  readonly envVar: string;
  /** What to tell a user whose machine lacks the program. */
  readonly install: string;
  readonly schema: SchemaPassing;
  /** Arguments of the headless run; the prompt goes on stdin. `schemaFile` is set for `schema: "file"`. */
  headlessArgs(agent: AgentValue, req: AskRequest, schemaFile: string | undefined): string[];
  /** Arguments of the interactive run (the terminal is handed over), the prompt among them. */
  interactiveArgs(agent: AgentValue, req: AskRequest, prompt: string): string[];
  /** A parser for one headless run of `req`. */
  parser(progress: Progress, req: AskRequest): EventParser;
}

/** The program a spec runs: `$CMC_<NAME>_BIN` when set, else its usual name (or its alias, when only that is installed). */
export function programOf(spec: CliSpec): string {
  const override = process.env[spec.envVar];
  if (override !== undefined && override.trim() !== "") return override;
  return spec.alias !== undefined && !onPath(spec.program) && onPath(spec.alias) ? spec.alias : spec.program;
}

/** Whether an executable `name` is in a folder of `$PATH`. */
function onPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** The prompt as sent: with the files to look at listed, and, when asked, the output instruction. */
export function composePrompt(req: AskRequest, withOutputInstruction: boolean): string {
  let prompt = req.prompt;
  if (req.files && req.files.length > 0) {
    prompt = `${prompt.replace(/\s+$/, "")}\n\nFiles:\n${req.files.map((f) => `- ${f}`).join("\n")}\n`;
  }
  return withOutputInstruction ? promptWithOutputInstruction(prompt, req.output) : prompt;
}

/** The command line `ask` runs for a spec (with a placeholder for a temporary schema file). */
export function cliCommandLine(spec: CliSpec, agent: AgentValue, req: AskRequest): { file: string; args: string[] } {
  const file = programOf(spec);
  if (req.interactive) return { file, args: spec.interactiveArgs(agent, req, composePrompt(req, false)) };
  const schemaFile = spec.schema === "file" && req.output ? SCHEMA_FILE_PLACEHOLDER : undefined;
  return { file, args: spec.headlessArgs(agent, req, schemaFile) };
}

/** The failure for a program that is not on PATH (or that `$CMC_<NAME>_BIN` names wrongly). Retrying cannot help. */
export function notInstalled(spec: CliSpec, program: string): StepError {
  if (program !== spec.program) {
    return new StepError("failed", `\`${program}\` (named by ${spec.envVar}) was not found: fix ${spec.envVar}, or unset it to run \`${spec.program}\``, false);
  }
  return new StepError("failed", `\`${program}\` is not installed: ${spec.install}`, false);
}

/** `err` carrying what the failed attempt spent (cost and tokens), when it is a step error and spent anything. */
function withSpending(err: unknown, cost: number, tokens: Tokens): unknown {
  if (!(err instanceof StepError) || (cost <= 0 && tokens.input === 0 && tokens.output === 0)) return err;
  return new StepError(err.kind, err.message, err.retryable, cost, tokens);
}

/** Runs one ask through a CLI. */
export async function askCli(spec: CliSpec, agent: AgentValue, req: AskRequest, ctx: ActionContext): Promise<Reply> {
  const file = programOf(spec);
  if (req.interactive) return askInteractive(spec, file, agent, req, ctx);

  let tempDir: string | undefined;
  try {
    let schemaFile: string | undefined;
    if (spec.schema === "file" && req.output) {
      tempDir = await mkdtemp(join(tmpdir(), "cmc-schema-"));
      schemaFile = join(tempDir, "output-schema.json");
      await writeFile(schemaFile, JSON.stringify(nativeOutputSchema(req.output), null, 2));
    }
    const args = spec.headlessArgs(agent, req, schemaFile);
    const prompt = composePrompt(req, spec.schema === "prompt");
    // The cost and tokens the CLI has reported so far, which a failed attempt has spent all the same.
    let spent = 0;
    let spentTokens: Tokens = { input: 0, output: 0 };
    const parser = spec.parser((update) => {
      if (update.cost !== undefined) spent = update.cost;
      if (update.tokens !== undefined) spentTokens = update.tokens;
      ctx.progress?.(update);
    }, req);

    const result = await run(spec, file, ctx, {
      args,
      stdin: prompt,
      onStdoutLine: (line) => {
        if (line.trim() === "") return;
        const event = parseJsonLine(line);
        if (!event) {
          ctx.log.write(`[cmc] ${spec.name}: skipped a line that is not a JSON object\n`);
          return;
        }
        try {
          parser.event(event);
        } catch (err) {
          ctx.log.write(`[cmc] ${spec.name}: skipped an event it could not read: ${String(err)}\n`);
        }
      },
    });

    let parsed: ParsedReply;
    try {
      parsed = parser.finish({ code: result.code, stderr: result.stderr });
    } catch (err) {
      throw withSpending(err, spent, spentTokens);
    }
    const reply: Reply = {
      ok: true,
      text: parsed.text,
      session: parsed.session,
      cost: parsed.cost,
      tokens: parsed.tokens,
      duration: result.duration,
    };
    if (!req.output) return reply;
    let raw = parsed.structured !== undefined ? parsed.structured : extractJson(parsed.text);
    if (spec.schema !== "prompt") raw = unwrapNativeOutput(req.output, raw);
    try {
      return { ...reply, output: validateOutput(req.output, raw) };
    } catch (err) {
      throw withSpending(err, parsed.cost, parsed.tokens);
    }
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

async function askInteractive(
  spec: CliSpec,
  file: string,
  agent: AgentValue,
  req: AskRequest,
  ctx: ActionContext,
): Promise<Reply> {
  if (req.output) {
    throw new StepError("runtime", `${spec.name}: an interactive ask gives no structured output (drop \`output:\`)`, false);
  }
  const args = spec.interactiveArgs(agent, req, composePrompt(req, false));
  const result = await run(spec, file, ctx, { args, inheritStdio: true });
  return {
    ok: result.code === 0,
    text: "",
    session: req.session ?? "",
    cost: 0,
    tokens: { input: 0, output: 0 },
    duration: result.duration,
  };
}

async function run(
  spec: CliSpec,
  file: string,
  ctx: ActionContext,
  req: { args: string[]; stdin?: string; onStdoutLine?: (line: string) => void; inheritStdio?: boolean },
): Promise<{ code: number; stdout: string; stderr: string; duration: number }> {
  try {
    return await runProcess({
      file,
      args: req.args,
      cwd: ctx.workspace,
      marks: ctx.processEnv,
      signal: ctx.signal,
      log: ctx.log,
      ...(req.stdin !== undefined ? { stdin: req.stdin } : {}),
      ...(req.onStdoutLine ? { onStdoutLine: req.onStdoutLine } : {}),
      ...(req.inheritStdio ? { inheritStdio: true } : {}),
    });
  } catch (err) {
    if (err instanceof CommandNotFoundError) throw notInstalled(spec, file);
    throw err;
  }
}

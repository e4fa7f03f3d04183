/**
 * `codex(model:, sandbox:, effort:)` — OpenAI Codex run headless:
 * `codex exec --json --skip-git-repo-check … [resume <id>] -`, prompt on stdin. Structured output
 * goes through `--output-schema <file>`; the reply is the last `agent_message`. Codex reports no
 * cost (0). A resumed thread's `turn.completed` usage is the whole thread's, so the tokens this run
 * already counted in it (`req.sessionTokens`) are taken off.
 */
import { StepError } from "../errors.js";
import type { CliSpec, EventParser, Progress } from "./cli.js";
import { num, obj, str, stderrTail } from "./json-lines.js";
import { stringOption } from "./options.js";
import type { AgentValue, AskRequest, Tokens } from "./types.js";

/** `-m`, `-s` and `-c model_reasoning_effort="…"`. */
function configArgs(agent: AgentValue): string[] {
  const args: string[] = [];
  const model = stringOption(agent, "model");
  if (model) args.push("-m", model);
  const sandbox = stringOption(agent, "sandbox");
  if (sandbox) args.push("-s", sandbox);
  const effort = stringOption(agent, "effort");
  if (effort) args.push("-c", `model_reasoning_effort=${JSON.stringify(effort)}`);
  return args;
}

/** This turn's tokens: the thread's running total less what was counted before, never below 0. */
function turnTokens(thread: Tokens, counted: Tokens | undefined): Tokens {
  if (!counted) return thread;
  return { input: Math.max(0, thread.input - counted.input), output: Math.max(0, thread.output - counted.output) };
}

function parser(progress: Progress, req: AskRequest): EventParser {
  let session = "";
  let reply = "";
  let failure: string | undefined;
  // An `error` event is also news of a stream codex retries ("Reconnecting... 1/5"): it fails the
  // ask only when no turn completed after it.
  let lastError: string | undefined;
  const counted = req.session ? req.sessionTokens : undefined;
  let tokens: Tokens = { input: 0, output: 0 };
  return {
    event(e) {
      switch (str(e, "type")) {
        case "thread.started":
          session = str(e, "thread_id") ?? session;
          break;
        case "item.started": {
          const item = obj(e, "item");
          const command = str(item, "command");
          if (str(item, "type") === "command_execution" && command) progress({ message: `$ ${command}` });
          break;
        }
        case "item.completed": {
          const item = obj(e, "item");
          const text = str(item, "text");
          if (str(item, "type") === "agent_message" && text !== undefined) {
            reply = text;
            progress({ message: text });
          }
          break;
        }
        case "turn.completed": {
          const usage = obj(e, "usage");
          lastError = undefined;
          tokens = turnTokens({ input: num(usage, "input_tokens") ?? 0, output: num(usage, "output_tokens") ?? 0 }, counted);
          progress({ tokens });
          break;
        }
        case "turn.failed":
          failure = str(obj(e, "error"), "message") ?? str(e, "message") ?? "the turn failed";
          break;
        case "error": {
          const message = str(e, "message") ?? str(obj(e, "error"), "message") ?? "error";
          lastError = message;
          progress({ message });
          break;
        }
        default:
          break;
      }
    },
    finish({ code, stderr }) {
      const failed = failure ?? lastError;
      if (failed !== undefined) throw new StepError("failed", `codex: ${failed}`);
      if (code !== 0) {
        const tail = stderrTail(stderr);
        throw new StepError("failed", `codex: exited with code ${code}${tail ? `: ${tail}` : ""}`);
      }
      return { text: reply, session, cost: 0, tokens };
    },
  };
}

export const codexSpec: CliSpec = {
  name: "codex",
  program: "codex",
  envVar: "CMC_CODEX_BIN",
  install: "npm install -g @openai/codex",
  schema: "file",
  headlessArgs(agent, req, schemaFile) {
    const args = ["exec", "--json", "--skip-git-repo-check", ...configArgs(agent)];
    if (schemaFile) args.push("--output-schema", schemaFile);
    if (req.session) args.push("resume", req.session);
    args.push("-");
    return args;
  },
  interactiveArgs(agent, req, prompt) {
    // After `--`, a prompt that starts with `-` is not taken for an option.
    return req.session ? ["resume", ...configArgs(agent), req.session, "--", prompt] : [...configArgs(agent), "--", prompt];
  },
  parser,
};

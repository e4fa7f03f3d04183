/**
 * `gemini(model:, approval:)` — Gemini CLI run headless:
 * `gemini -p "" --output-format stream-json …`, prompt on stdin. `-p` puts Gemini in headless
 * mode and is appended to stdin; it is empty, so the prompt is exactly what stdin carries.
 * Gemini reports no cost (0). The single object of `--output-format json` is read as well.
 */
import { StepError } from "../errors.js";
import type { CliSpec, EventParser, Progress } from "./cli.js";
import { num, obj, str, stderrTail, type JsonObject } from "./json-lines.js";
import { stringOption } from "./options.js";
import type { AgentValue, AskRequest, Tokens } from "./types.js";

/** What Gemini's exit codes mean, for failure messages. */
const EXIT_MEANING: Readonly<Record<number, string>> = { 42: "bad input", 53: "turn limit reached" };

function commonArgs(agent: AgentValue, req: AskRequest): string[] {
  const args: string[] = [];
  const model = stringOption(agent, "model");
  if (model) args.push("-m", model);
  const approval = stringOption(agent, "approval");
  if (approval) args.push("--approval-mode", approval);
  if (req.session) args.push("--resume", req.session);
  return args;
}

/**
 * Tokens of a `stats` object, summed over `stats.models`: stream-json's
 * `{ input_tokens, output_tokens }` per model, or the `json` format's `tokens: { prompt,
 * candidates, thoughts }`; without `models`, stream-json's totals `input_tokens`, `output_tokens`.
 */
function statsTokens(stats: JsonObject): Tokens {
  const models = obj(stats, "models");
  if (!models) return { input: num(stats, "input_tokens") ?? 0, output: num(stats, "output_tokens") ?? 0 };
  const tokens = { input: 0, output: 0 };
  for (const name of Object.keys(models)) {
    const model = obj(models, name);
    const t = obj(model, "tokens");
    if (t) {
      tokens.input += num(t, "prompt") ?? num(t, "input") ?? 0;
      tokens.output += (num(t, "candidates") ?? 0) + (num(t, "thoughts") ?? 0);
    } else {
      tokens.input += num(model, "input_tokens") ?? 0;
      tokens.output += num(model, "output_tokens") ?? 0;
    }
  }
  return tokens;
}

function parser(progress: Progress): EventParser {
  let session = "";
  const text: string[] = [];
  let response: string | undefined;
  let failed = false;
  let message: string | undefined;
  let tokens = { input: 0, output: 0 };
  return {
    event(e) {
      session = str(e, "session_id") ?? session;
      const type = str(e, "type");
      if (type === undefined) {
        // `--output-format json`: one object with response, stats and error.
        const error = obj(e, "error");
        if (error) {
          failed = true;
          message = str(error, "message") ?? message;
        }
        response = str(e, "response") ?? response;
        const stats = obj(e, "stats");
        if (stats) tokens = statsTokens(stats);
        return;
      }
      switch (type) {
        case "message": {
          const content = str(e, "content");
          if (str(e, "role") === "assistant" && content) {
            text.push(content);
            progress({ message: content });
          }
          break;
        }
        case "error": {
          const severity = str(e, "severity");
          if (severity === "warning" || severity === "info") break;
          failed = true;
          message = str(e, "message") ?? message;
          break;
        }
        case "result": {
          const stats = obj(e, "stats");
          if (stats) {
            tokens = statsTokens(stats);
            progress({ tokens });
          }
          if (str(e, "status") === "error") {
            failed = true;
            message = str(obj(e, "error"), "message") ?? message;
          }
          break;
        }
        default:
          break;
      }
    },
    finish({ code, stderr }) {
      if (failed || code !== 0) {
        const detail = message ?? (stderrTail(stderr) || "the run failed");
        const exit = code !== 0 ? ` (exit code ${code}${EXIT_MEANING[code] ? `: ${EXIT_MEANING[code]}` : ""})` : "";
        throw new StepError("failed", `gemini: ${detail}${exit}`);
      }
      return { text: response ?? text.join(""), session, cost: 0, tokens };
    },
  };
}

export const geminiSpec: CliSpec = {
  name: "gemini",
  program: "gemini",
  envVar: "CMC_GEMINI_BIN",
  install: "npm install -g @google/gemini-cli",
  schema: "prompt",
  headlessArgs(agent, req) {
    return ["-p", "", "--output-format", "stream-json", ...commonArgs(agent, req)];
  },
  interactiveArgs(agent, req, prompt) {
    return [...commonArgs(agent, req), "-i", prompt];
  },
  parser,
};

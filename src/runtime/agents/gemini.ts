/**
 * `gemini(model:, approval:, trust:)` — Gemini CLI run headless:
 * `gemini -p "" --output-format stream-json …`, prompt on stdin. `trust: true` passes
 * `--skip-trust` (Gemini refuses an untrusted folder headless, exit 55). `-p` puts Gemini in headless
 * mode and is appended to stdin; it is empty, so the prompt is exactly what stdin carries.
 * Gemini reports no cost (0). The single object of `--output-format json` is read as well.
 */
import { StepError } from "../errors.js";
import { BoundedText } from "./bounded-text.js";
import type { CliSpec, EventParser, Progress } from "./cli.js";
import { num, obj, str, stderrTail, type JsonObject } from "./json-lines.js";
import { boolOption, stringOption } from "./options.js";
import type { AgentValue, AskRequest, Tokens } from "./types.js";

/** What Gemini CLI's own exit codes mean (its `Fatal…Error` classes, 0.61.0), for failure messages. */
const EXIT_MEANING: Readonly<Record<number, string>> = {
  41: "authentication failed",
  42: "bad input",
  44: "sandbox error",
  52: "configuration error",
  53: "turn limit reached",
  54: "a tool failed",
  55: "the folder is not trusted: give the agent `trust: true` (`gemini(trust: true)`) to pass --skip-trust, or trust the folder in Gemini's interactive mode",
  130: "cancelled",
};

/**
 * HTTP statuses of the model API that Gemini exits with when a request fails for good; the system
 * keeps an exit code's low 8 bits, so HTTP 500 is exit code 244.
 */
const HTTP_STATUSES = [400, 401, 403, 404, 429, 500, 502, 503, 504];

/** Exit codes another attempt cannot change (authentication, bad input, configuration, trust): not retried. */
const FINAL_EXITS: ReadonlySet<number> = new Set([41, 42, 52, 55]);

/** What exit code `code` of Gemini CLI means, when known. */
export function geminiExitMeaning(code: number): string | undefined {
  const status = HTTP_STATUSES.find((s) => s % 256 === code);
  return EXIT_MEANING[code] ?? (status !== undefined ? `the model API answered HTTP ${status}` : undefined);
}

function commonArgs(agent: AgentValue, req: AskRequest): string[] {
  const args: string[] = [];
  const model = stringOption(agent, "model");
  if (model) args.push("-m", model);
  const approval = stringOption(agent, "approval");
  if (approval) args.push("--approval-mode", approval);
  if (boolOption(agent, "trust")) args.push("--skip-trust");
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
  const text = new BoundedText();
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
        const meaning = geminiExitMeaning(code);
        const exit = code !== 0 ? ` (exit code ${code}${meaning ? `: ${meaning}` : ""})` : "";
        throw new StepError("failed", `gemini: ${detail}${exit}`, !FINAL_EXITS.has(code));
      }
      return { text: response ?? text.text(), session, cost: 0, tokens };
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
    // One argument `--flag=value`: Gemini's parser (yargs) takes a separate value that starts with `-` for an option.
    return [...commonArgs(agent, req), `--prompt-interactive=${prompt}`];
  },
  parser,
};

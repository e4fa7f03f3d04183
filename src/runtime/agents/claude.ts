/**
 * `claude(model:, system:, tools:, permission:, maxTurns:, budget:)` — Claude Code run headless:
 * `claude -p --output-format stream-json --verbose …`, prompt on stdin. Structured output goes
 * through `--json-schema` and comes back as the result's `structured_output`.
 */
import { StepError } from "../errors.js";
import type { CliSpec, EventParser, Progress } from "./cli.js";
import { claudeStreamReader, resultCost, resultErrorMessage, resultFailed, resultTokens } from "./claude-stream.js";
import { str, stderrTail } from "./json-lines.js";
import { numberOption, stringListOption, stringOption } from "./options.js";
import { nativeOutputSchema } from "./output.js";
import type { AgentValue, AskRequest } from "./types.js";

/** Flags shared by the headless and the interactive run. */
function commonArgs(agent: AgentValue, req: AskRequest): string[] {
  const args: string[] = [];
  const model = stringOption(agent, "model");
  if (model) args.push("--model", model);
  const permission = stringOption(agent, "permission");
  if (permission) args.push("--permission-mode", permission);
  const tools = stringListOption(agent, "tools");
  if (tools && tools.length > 0) args.push("--allowedTools", tools.join(","));
  const system = stringOption(agent, "system");
  if (system) args.push("--append-system-prompt", system);
  if (req.session) args.push("--resume", req.session);
  return args;
}

function parser(progress: Progress): EventParser {
  const reader = claudeStreamReader(progress);
  return {
    event: reader.event,
    finish({ code, stderr }) {
      const { result, session } = reader.state;
      if (result && resultFailed(result)) {
        throw new StepError("failed", `claude: ${resultErrorMessage(result)}`);
      }
      if (code !== 0) {
        throw new StepError("failed", `claude: exited with code ${code}${tailSuffix(stderr)}`);
      }
      if (!result) throw new StepError("failed", "claude: its output ended without a result");
      const structured = result["structured_output"];
      return {
        text: str(result, "result") ?? reader.state.assistantText.text(),
        session: str(result, "session_id") ?? session,
        cost: resultCost(result),
        tokens: resultTokens(result),
        ...(structured !== undefined && structured !== null ? { structured } : {}),
      };
    },
  };
}

function tailSuffix(stderr: string): string {
  const tail = stderrTail(stderr);
  return tail ? `: ${tail}` : "";
}

export const claudeSpec: CliSpec = {
  name: "claude",
  program: "claude",
  envVar: "CMC_CLAUDE_BIN",
  install: "npm install -g @anthropic-ai/claude-code",
  schema: "inline",
  headlessArgs(agent, req) {
    const args = ["-p", "--output-format", "stream-json", "--verbose", ...commonArgs(agent, req)];
    const maxTurns = numberOption(agent, "maxTurns");
    if (maxTurns !== undefined) args.push("--max-turns", String(maxTurns));
    const budget = numberOption(agent, "budget");
    if (budget !== undefined) args.push("--max-budget-usd", String(budget));
    if (req.output) args.push("--json-schema", JSON.stringify(nativeOutputSchema(req.output)));
    return args;
  },
  interactiveArgs(agent, req, prompt) {
    // After `--`, a prompt that starts with `-` is not taken for an option.
    return [...commonArgs(agent, req), "--", prompt];
  },
  parser,
};

/**
 * `cursor(model:, force:)` — Cursor's agent run headless:
 * `cursor-agent -p --output-format stream-json …`, prompt on stdin. Its events mirror Claude's;
 * a failure is a non-zero exit with the message on stderr. No cost is reported (0).
 */
import { StepError } from "../errors.js";
import type { CliSpec, EventParser, Progress } from "./cli.js";
import { claudeStreamReader, resultCost, resultErrorMessage, resultFailed, resultTokens } from "./claude-stream.js";
import { str, stderrTail } from "./json-lines.js";
import { boolOption, stringOption } from "./options.js";
import type { AgentValue, AskRequest } from "./types.js";

function commonArgs(agent: AgentValue, req: AskRequest): string[] {
  const args: string[] = [];
  const model = stringOption(agent, "model");
  if (model) args.push("--model", model);
  if (boolOption(agent, "force")) args.push("--force");
  if (req.session) args.push("--resume", req.session);
  return args;
}

function parser(progress: Progress): EventParser {
  const reader = claudeStreamReader(progress);
  return {
    event: reader.event,
    finish({ code, stderr }) {
      const { result, session } = reader.state;
      if (code !== 0) {
        const tail = stderrTail(stderr);
        throw new StepError("failed", `cursor: ${tail || (result ? resultErrorMessage(result) : `exited with code ${code}`)}`);
      }
      if (result && resultFailed(result)) {
        throw new StepError("failed", `cursor: ${resultErrorMessage(result)}`);
      }
      if (!result) throw new StepError("failed", "cursor: its output ended without a result");
      return {
        text: str(result, "result") ?? reader.state.assistantText.text(),
        session: str(result, "session_id") ?? session,
        cost: resultCost(result),
        tokens: resultTokens(result),
      };
    },
  };
}

export const cursorSpec: CliSpec = {
  name: "cursor",
  program: "cursor-agent",
  alias: "agent",
  envVar: "CMC_CURSOR_BIN",
  install: "curl https://cursor.com/install -fsS | bash (see https://cursor.com/cli)",
  schema: "prompt",
  headlessArgs(agent, req) {
    return ["-p", "--output-format", "stream-json", ...commonArgs(agent, req)];
  },
  interactiveArgs(agent, req, prompt) {
    return [...commonArgs(agent, req), prompt];
  },
  parser,
};

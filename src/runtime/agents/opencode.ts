/**
 * `opencode(model:, agent:)` — OpenCode run headless: `opencode run --format json …`, prompt on
 * stdin. Cost and tokens are summed over `step_finish` events; the reply is the text parts, in
 * order, one a line.
 */
import { StepError } from "../errors.js";
import { BoundedText } from "./bounded-text.js";
import type { CliSpec, EventParser, Progress } from "./cli.js";
import { num, obj, str, stderrTail } from "./json-lines.js";
import { stringOption } from "./options.js";
import type { AgentValue, AskRequest } from "./types.js";

function commonArgs(agent: AgentValue, req: AskRequest): string[] {
  const args: string[] = [];
  const model = stringOption(agent, "model");
  if (model) args.push("-m", model);
  const name = stringOption(agent, "agent");
  if (name) args.push("--agent", name);
  if (req.session) args.push("-s", req.session);
  return args;
}

/** The message of an `error` event's `error`: a string, `{message}` or `{name, data: {message}}`. */
function errorMessage(error: unknown): string {
  if (typeof error === "string") return error;
  return str(obj(error, "data"), "message") ?? str(error, "message") ?? str(error, "name") ?? "error";
}

/** Text parts that stay replaceable by id; older ones move to the bounded text before them. */
const RECENT_PARTS = 32;

function parser(progress: Progress): EventParser {
  let session = "";
  /** The latest text parts by id: a part printed again (updated) replaces its earlier text. */
  const parts = new Map<string, string>();
  /** The parts before those, one a line, bounded like every reply. */
  const earlier = new BoundedText(undefined, "\n");
  let unnamed = 0;
  let cost = 0;
  const tokens = { input: 0, output: 0 };
  let failure: string | undefined;
  return {
    event(e) {
      session = str(e, "sessionID") ?? session;
      const part = obj(e, "part");
      switch (str(e, "type")) {
        case "text": {
          const text = str(part, "text");
          if (text === undefined) break;
          parts.set(str(part, "id") ?? `#${unnamed++}`, text);
          if (parts.size > RECENT_PARTS) {
            const [oldest, oldText] = parts.entries().next().value as [string, string];
            earlier.push(oldText);
            parts.delete(oldest);
          }
          progress({ message: text });
          break;
        }
        case "step_finish": {
          cost += num(part, "cost") ?? 0;
          const t = obj(part, "tokens");
          const cache = obj(t, "cache");
          tokens.input += (num(t, "input") ?? 0) + (num(cache, "read") ?? 0) + (num(cache, "write") ?? 0);
          tokens.output += (num(t, "output") ?? 0) + (num(t, "reasoning") ?? 0);
          progress({ cost, tokens: { ...tokens } });
          break;
        }
        case "error":
          failure = errorMessage(e["error"] ?? e["message"]);
          break;
        default:
          break;
      }
    },
    finish({ code, stderr }) {
      if (failure !== undefined) throw new StepError("failed", `opencode: ${failure}`);
      if (code !== 0) {
        const tail = stderrTail(stderr);
        throw new StepError("failed", `opencode: exited with code ${code}${tail ? `: ${tail}` : ""}`);
      }
      const recent = [...parts.values()];
      return { text: (earlier.empty ? recent : [earlier.text(), ...recent]).join("\n"), session, cost, tokens: { ...tokens } };
    },
  };
}

export const opencodeSpec: CliSpec = {
  name: "opencode",
  program: "opencode",
  envVar: "CMC_OPENCODE_BIN",
  install: "npm install -g opencode-ai",
  schema: "prompt",
  headlessArgs(agent, req) {
    return ["run", "--format", "json", ...commonArgs(agent, req)];
  },
  interactiveArgs(agent, req, prompt) {
    // One argument `--flag=value`: OpenCode's parser (yargs) takes a separate value that starts with `-` for an option.
    return [...commonArgs(agent, req), `--prompt=${prompt}`];
  },
  parser,
};

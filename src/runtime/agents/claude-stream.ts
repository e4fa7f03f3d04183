/**
 * Reader of Claude Code's `stream-json` events (`system` init, `assistant` messages, the final
 * `result`), which Cursor's `cursor-agent` mirrors. Also accepts the single object of
 * `--output-format json`, which is the same `result` object.
 */
import { BoundedText } from "./bounded-text.js";
import type { Progress } from "./cli.js";
import { arr, num, obj, str, type JsonObject } from "./json-lines.js";
import type { Tokens } from "./types.js";

/** What the stream said, for the adapter to judge. */
export interface ClaudeStreamState {
  session: string;
  /** Text of the assistant messages, in order, one a line, bounded (the fallback reply when the result has no text). */
  assistantText: BoundedText;
  /** The final `result` object, once seen. */
  result: JsonObject | undefined;
}

/** A consumer of Claude-shaped events that keeps `state` and reports progress. */
export function claudeStreamReader(progress: Progress): { state: ClaudeStreamState; event(e: JsonObject): void } {
  const state: ClaudeStreamState = { session: "", assistantText: new BoundedText(undefined, "\n"), result: undefined };
  return {
    state,
    event(e) {
      const session = str(e, "session_id");
      if (session) state.session = session;
      switch (str(e, "type")) {
        case "assistant": {
          const parts = arr(obj(e, "message"), "content") ?? [];
          for (const part of parts) {
            const text = str(part, "text");
            if (str(part, "type") === "text" && text) {
              state.assistantText.push(text);
              progress({ message: text });
            }
          }
          break;
        }
        case "result": {
          state.result = e;
          progress({ cost: resultCost(e), tokens: resultTokens(e) });
          break;
        }
        default:
          break;
      }
    },
  };
}

/** `total_cost_usd`, or the older `cost_usd`, or 0. */
export function resultCost(result: JsonObject | undefined): number {
  return num(result, "total_cost_usd") ?? num(result, "cost_usd") ?? 0;
}

/**
 * Tokens of a result's `usage`: input counts cache writes and cache reads as well, since they are
 * input the model processed; output is `output_tokens`.
 */
export function resultTokens(result: JsonObject | undefined): Tokens {
  const usage = obj(result, "usage");
  return {
    input:
      (num(usage, "input_tokens") ?? 0) +
      (num(usage, "cache_creation_input_tokens") ?? 0) +
      (num(usage, "cache_read_input_tokens") ?? 0),
    output: num(usage, "output_tokens") ?? 0,
  };
}

/** Whether a result object reports a failure: `is_error`, or an `error_…` subtype (`error_max_turns`). */
export function resultFailed(result: JsonObject): boolean {
  return result["is_error"] === true || (str(result, "subtype") ?? "").startsWith("error");
}

/** The message of a failed result: its `result` text, else its `errors`, else its `subtype`. */
export function resultErrorMessage(result: JsonObject): string {
  const text = str(result, "result")?.trim();
  if (text) return text;
  const errors = (arr(result, "errors") ?? []).filter((x): x is string => typeof x === "string");
  if (errors.length > 0) return errors.join("; ");
  return str(result, "subtype") ?? "the run failed";
}

/** Agent values and replies, shared by the scheduler and the adapters. */
import type { Type } from "../../compiler/types.js";

/** The runtime value of `claude(model: "opus")`: the constructor's name and its evaluated options. */
export interface AgentValue {
  readonly $agent: string;
  readonly options: Readonly<Record<string, unknown>>;
}

export function isAgentValue(v: unknown): v is AgentValue {
  return typeof v === "object" && v !== null && typeof (v as AgentValue).$agent === "string";
}

export interface AskRequest {
  readonly prompt: string;
  /** The step's `output:` type: the reply's structured output is validated against it. */
  readonly output?: Type;
  /** Continue this earlier conversation. */
  readonly session?: string;
  /**
   * With `session`: the tokens this run has already counted in that conversation (its earlier
   * asks' replies, from the journal), for a CLI that reports a resumed conversation's usage as a
   * running total (Codex).
   */
  readonly sessionTokens?: Tokens;
  readonly interactive: boolean;
  readonly files?: readonly string[];
}

/** Tokens an agent reply used. */
export interface Tokens {
  readonly input: number;
  readonly output: number;
}

/** `Reply<T>` of LANGUAGE.md §6.2; `duration` in milliseconds; unknown cost is 0; missing session is "". */
export interface Reply {
  readonly ok: boolean;
  readonly text: string;
  readonly output?: unknown;
  readonly session: string;
  readonly cost: number;
  readonly tokens: Tokens;
  readonly duration: number;
}

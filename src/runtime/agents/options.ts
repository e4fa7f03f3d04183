/** Reading an agent constructor's evaluated options (`claude(model: "opus")`) with runtime checks. */
import { StepError } from "../errors.js";
import type { AgentValue } from "./types.js";

function bad(agent: AgentValue, name: string, expected: string, value: unknown): never {
  const got = value === null ? "none" : Array.isArray(value) ? "a list" : typeof value;
  throw new StepError("runtime", `${agent.$agent}(): option \`${name}\` must be ${expected}, got ${got}`, false);
}

/** A string option, or undefined when absent (or `none`). */
export function stringOption(agent: AgentValue, name: string): string | undefined {
  const v = agent.options[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : bad(agent, name, "a string", v);
}

/** A number option (int or float), or undefined. */
export function numberOption(agent: AgentValue, name: string): number | undefined {
  const v = agent.options[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === "number" && Number.isFinite(v) ? v : bad(agent, name, "a number", v);
}

/** A bool option, or undefined. */
export function boolOption(agent: AgentValue, name: string): boolean | undefined {
  const v = agent.options[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === "boolean" ? v : bad(agent, name, "a bool", v);
}

/** A `list<string>` option, or undefined. A single string is taken as a one-item list. */
export function stringListOption(agent: AgentValue, name: string): string[] | undefined {
  const v = agent.options[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return [...(v as string[])];
  return bad(agent, name, "a list of strings", v);
}

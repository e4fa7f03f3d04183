/**
 * Turns `--input k=v` and `--inputs f.json` into a workflow's inputs, each parsed by its declared
 * type. Any mistake is a `UsageError` naming the input.
 */
import { readFileSync } from "node:fs";
import type { IrWorkflow } from "../compiler/ir/ir.js";
import { CLI_AGENTS, isCliAgent } from "../compiler/agent-names.js";
import { typeToString, type Type } from "../compiler/types.js";
import { validateOutput } from "../runtime/agents/output.js";
import { parseDuration } from "../runtime/scheduler/format.js";
import type { AgentValue } from "../runtime/agents/types.js";
import { UsageError } from "./exit.js";

/** Parses one command-line value by type: `--input rounds=3`, `--input tasks='["a"]'`. */
export function parseInputValue(name: string, type: Type, text: string): unknown {
  const bad = (why: string) =>
    new UsageError(`input \`${name}\` expects ${typeToString(type)}: ${why} (got ${JSON.stringify(text)})`);
  switch (type.kind) {
    case "string":
    case "path":
    // Whoever runs the workflow gives its command as shell text: they could run it themselves.
    case "command":
      return text;
    case "int":
      if (!/^-?\d+$/.test(text.trim())) throw bad("not a whole number");
      if (!Number.isSafeInteger(Number(text))) throw bad("beyond ±9007199254740991, where a whole number is no longer exact");
      return Number(text);
    case "float":
      if (text.trim() === "" || !Number.isFinite(Number(text))) throw bad("not a number");
      return Number(text);
    case "bool":
      if (text === "true") return true;
      if (text === "false") return false;
      throw bad("write true or false");
    case "duration": {
      const ms = parseDuration(text);
      if (ms === undefined) throw bad("write a duration like 30s, 20m, 1h30m or 1d");
      return ms;
    }
    case "optional":
      return text === "none" ? null : parseInputValue(name, type.inner, text);
    case "agent":
      return agentInput(name, text);
    case "literal":
    case "union":
      return checkValue(name, type, text);
    default: {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw bad("not valid JSON");
      }
      return checkValue(name, type, value);
    }
  }
}

/** An `agent` input: the name of a headless CLI's constructor, run with its defaults (`--input fixer=claude`). */
function agentInput(name: string, value: unknown): AgentValue {
  if (typeof value === "string" && isCliAgent(value)) return { $agent: value, options: {} };
  throw new UsageError(
    `input \`${name}\` expects an agent: one of ${CLI_AGENTS.map((a) => `\`${a}\``).join(", ")} (got ${JSON.stringify(value)}); ` +
      "to give it options, call the workflow from one of your own with the agent built there, e.g. `claude(model: \"opus\")`",
  );
}

/** Validates a value (from a JSON inputs file, or parsed JSON) against the input's type. */
export function checkValue(name: string, type: Type, value: unknown): unknown {
  if (type.kind === "agent") return agentInput(name, value);
  if (type.kind === "optional" && type.inner.kind === "agent" && value !== null) return agentInput(name, value);
  try {
    return validateOutput(type, value, `input \`${name}\``);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Collects a run's inputs: the JSON file first, then `--input` flags over it. Unknown names are an
 * error; missing required inputs are returned so the caller can ask for them or refuse.
 */
export function collectInputs(
  workflow: IrWorkflow,
  flags: readonly string[],
  file: string | undefined,
): { inputs: Record<string, unknown>; missing: string[] } {
  const params = new Map(workflow.params.map((p) => [p.name, p]));
  const known = () => (workflow.params.length ? workflow.params.map((p) => `\`${p.name}\``).join(", ") : "none");
  const inputs: Record<string, unknown> = {};
  if (file) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new UsageError(`cannot read inputs from ${file}: ${(error as Error).message}`);
    }
    if (!data || typeof data !== "object" || Array.isArray(data)) throw new UsageError(`${file} must hold a JSON object`);
    for (const [name, value] of Object.entries(data)) {
      const param = params.get(name);
      if (!param) throw new UsageError(`unknown input \`${name}\` in ${file}; workflow \`${workflow.name}\` takes ${known()}`);
      inputs[name] = param.type.kind === "duration" && typeof value === "string"
        ? parseInputValue(name, param.type, value)
        : checkValue(name, param.type, value);
    }
  }
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq <= 0) throw new UsageError(`--input expects key=value, got ${JSON.stringify(flag)}`);
    const name = flag.slice(0, eq);
    const param = params.get(name);
    if (!param) throw new UsageError(`unknown input \`${name}\`; workflow \`${workflow.name}\` takes ${known()}`);
    inputs[name] = parseInputValue(name, param.type, flag.slice(eq + 1));
  }
  // An optional input without a default may be left out: it is `none` (as for a call).
  const missing = workflow.params
    .filter((p) => !Object.hasOwn(inputs, p.name) && !p.default && p.type.kind !== "optional")
    .map((p) => p.name);
  return { inputs, missing };
}

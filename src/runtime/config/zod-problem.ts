/** A zod validation failure of the config as a `ConfigError`: the first issue, its key and a fix. */
import * as z from "zod";
import { ConfigError } from "./errors.js";

/** The first issue of `error` (from validating with `schema`), located under `base` (a dotted key, or ""). */
export function zodProblem(error: z.ZodError, schema: z.ZodType, file: string, base: string): ConfigError {
  const issue = error.issues[0]!;
  const key = [base, ...issue.path.map(String)].filter((p) => p !== "").join(".");
  const where = key === "" ? "the top level" : `\`${key}\``;
  switch (issue.code) {
    case "unrecognized_keys": {
      const name = issue.keys[0]!;
      const allowed = keysAt(schema, issue.path);
      return new ConfigError(
        file,
        key === "" ? name : `${key}.${name}`,
        `unknown key \`${name}\``,
        `remove it or fix its spelling; ${where} takes ${allowed.map((k) => `\`${k}\``).join(", ")}`,
      );
    }
    case "invalid_type":
      return new ConfigError(file, key, `expected ${article(issue.expected)}`, `give ${where} ${article(issue.expected)} value`);
    case "invalid_value":
      return new ConfigError(file, key, "not an allowed value", `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`);
    default:
      return new ConfigError(file, key, issue.message, "see the `cmc.json` section of docs/agents.md");
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The keys the object schema at `path` inside `schema` allows. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let at: z.ZodType | undefined = schema;
  for (const segment of [...path, undefined]) {
    while (at instanceof z.ZodOptional) at = at.unwrap() as z.ZodType;
    if (segment === undefined) break;
    if (at instanceof z.ZodObject) at = (at.shape as Record<string, z.ZodType>)[String(segment)];
    else if (at instanceof z.ZodRecord) at = at.valueType as z.ZodType;
    else return [];
  }
  return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}

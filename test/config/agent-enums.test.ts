/**
 * cmc.json's option values equal the std/agents constructors' string-literal unions, for every
 * agent and option, so that a value the stdlib gains (a CLI's new mode) cannot be missing from
 * cmc.json's zod enums, or the other way round.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compile } from "../../src/compiler/index.js";
import type { TypeExpr } from "../../src/compiler/ast/ast.js";
import { nodeHost } from "../../src/cli/node-host.js";
import { AGENT_OPTIONS } from "../../src/runtime/config/index.js";
import { repoRoot } from "../helpers/cli.js";

/** The literals of `("a" | "b")?`, or undefined for a type that is no union of string literals. */
function literals(type: TypeExpr): string[] | undefined {
  const inner = type.kind === "OptionalType" ? type.inner : type;
  if (inner.kind === "LiteralType") return [inner.value];
  if (inner.kind !== "UnionType" || !inner.members.every((m) => m.kind === "LiteralType")) return undefined;
  return inner.members.map((m) => (m as { value: string }).value);
}

/** The values of a zod enum (unwrapping `.optional()`), or undefined for any other schema. */
function enumValues(schema: z.ZodType): string[] | undefined {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  return inner instanceof z.ZodEnum ? (inner.options as string[]) : undefined;
}

describe("cmc.json's agent options", () => {
  it("take exactly the string values each std/agents constructor's union declares", () => {
    const result = compile("std/agents", nodeHost(repoRoot));
    const unions: [string, string, string[] | undefined][] = [];
    for (const decl of result.modules.get("std/agents")!.decls) {
      if (decl.kind !== "AgentCtorDecl" || !(decl.name.name in AGENT_OPTIONS)) continue;
      for (const param of decl.params) unions.push([decl.name.name, param.name.name, param.type ? literals(param.type) : undefined]);
    }
    const enums = unions.map(([agent, option]) => {
      const shape = AGENT_OPTIONS[agent as keyof typeof AGENT_OPTIONS].shape as Record<string, z.ZodType>;
      return [agent, option, shape[option] ? enumValues(shape[option]) : undefined];
    });
    expect(unions.filter(([, , values]) => values !== undefined).length).toBeGreaterThanOrEqual(4);
    expect(enums).toEqual(unions);
  });
});

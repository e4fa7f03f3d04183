/** The roles a compiled program declares (`role("architect", default: claude(model: "opus"))`), for `cmc init`'s questions and to hold `--agent` flags to them. */
import type { IrProgram } from "../../compiler/ir/ir.js";
import type { AgentValue } from "../agents/types.js";

/** A role's name and, when its default is a constructor with literal options, that default. */
export interface DeclaredRole {
  readonly name: string;
  readonly default?: AgentValue;
}

interface IrNodeLike {
  readonly k?: unknown;
  readonly ctor?: unknown;
  readonly value?: unknown;
  readonly options?: Readonly<Record<string, IrNodeLike>>;
}

/** A constructor call with only literal options, as an agent value. */
function literalAgent(e: IrNodeLike | undefined): AgentValue | undefined {
  if (!e || e.k !== "agent" || typeof e.ctor !== "string" || e.ctor === "role") return undefined;
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.options ?? {})) {
    if (v.k !== "lit") return undefined;
    options[k] = v.value;
  }
  return { $agent: e.ctor, options };
}

/** Every role the program's workflows and globals declare, in the order first met, once each. */
export function rolesIn(ir: IrProgram): DeclaredRole[] {
  const found = new Map<string, DeclaredRole>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (typeof v !== "object" || v === null) return;
    const e = v as IrNodeLike;
    if (e.k === "agent" && e.ctor === "role" && e.options?.name?.k === "lit" && typeof e.options.name.value === "string") {
      const name = e.options.name.value;
      const def = literalAgent(e.options.default);
      if (!found.has(name)) found.set(name, { name, ...(def ? { default: def } : {}) });
    }
    for (const child of Object.values(v)) visit(child);
  };
  visit(ir.workflows);
  visit(ir.globals);
  return [...found.values()];
}

/** Which workflow of a compiled file a command acts on: `--workflow W`, else the file's only one, else `main`. */
import type { IrProgram, IrWorkflow } from "../compiler/ir/ir.js";
import { UsageError } from "./exit.js";

/** The workflow to `run` or `draw`; a usage error lists the file's workflows when none fits. */
export function chooseWorkflow(ir: IrProgram, name: string | undefined, verb: "run" | "draw"): IrWorkflow {
  const own = Object.values(ir.workflows).filter((w) => w.module === ir.root);
  const names = own.map((w) => `\`${w.name}\``).join(", ");
  if (name !== undefined) {
    const found = own.find((w) => w.name === name);
    if (!found) throw new UsageError(`no workflow \`${name}\` in ${ir.root}; it has ${names || "none"}`);
    return found;
  }
  if (own.length === 1) return own[0]!;
  const main = own.find((w) => w.name === "main");
  if (main) return main;
  if (own.length === 0) throw new UsageError(`${ir.root} has no workflow to ${verb}`);
  throw new UsageError(`${ir.root} has several workflows (${names}); choose one with --workflow`);
}

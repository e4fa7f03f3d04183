/**
 * `cmc graph FILE [--workflow W] [--format mermaid|dot] [--run RUN]`: draws a workflow's graph. With
 * `--run`, draws the graph stored with that run (so later edits of the file do not matter) and
 * colours its steps by the run's state.
 */
import { existsSync } from "node:fs";
import type { IrProgram, IrWorkflow } from "../../compiler/ir/ir.js";
import type { NodeState } from "../draw/diagram.js";
import { toDot } from "../draw/dot.js";
import { toMermaid } from "../draw/mermaid.js";
import { runState } from "../draw/run-state.js";
import { EXIT, UsageError } from "../main.js";
import { compileFile } from "./compile.js";

/**
 * The workflow to draw: `name` if given, else the root module's only workflow, else its `main`.
 * A usage error lists the root module's workflows when none fits.
 */
export function chooseWorkflow(ir: IrProgram, name: string | undefined): IrWorkflow {
  const own = Object.values(ir.workflows).filter((w) => w.module === ir.root);
  const list = own.map((w) => w.name).join(", ") || "none";
  if (name !== undefined) {
    const found = own.find((w) => w.name === name);
    if (!found) throw new UsageError(`no workflow \`${name}\` in ${ir.root} (its workflows: ${list})`);
    return found;
  }
  if (own.length === 1) return own[0]!;
  const main = own.find((w) => w.name === "main");
  if (main) return main;
  if (own.length === 0) throw new UsageError(`${ir.root} has no workflow to draw`);
  throw new UsageError(`${ir.root} has several workflows; choose one with --workflow (${list})`);
}

/** The IR, workflow and node states of run `id` from the store. */
async function fromRun(
  id: string,
  workflowName: string | undefined,
  storeFlag: string | undefined,
): Promise<{ workflow: IrWorkflow; state: Map<string, NodeState> }> {
  const { defaultStoreDir, effectiveStatus, openStore } = await import("../../runtime/store/index.js");
  const dir = defaultStoreDir(process.cwd(), storeFlag);
  if (!existsSync(dir)) throw new UsageError(`no runs here: ${dir} does not exist (use --store DIR)`);
  const store = openStore(dir);
  try {
    const run = store.findRun(id);
    if (!run) throw new UsageError(`no run \`${id}\` in ${store.dir}`);
    const ir = store.getIr(run.id);
    const workflow =
      workflowName !== undefined
        ? chooseWorkflow(ir, workflowName)
        : (ir.workflows[run.workflow] ?? chooseWorkflow(ir, undefined));
    const events = store.events(run.id);
    return { workflow, state: runState(workflow, events, effectiveStatus(run)) };
  } finally {
    await store.close();
  }
}

/** Runs `cmc graph`; resolves to the exit code. */
export async function graph(
  file: string,
  opts: { workflow?: string; format: "mermaid" | "dot"; run?: string; store?: string },
): Promise<number> {
  let workflow: IrWorkflow;
  let state: Map<string, NodeState> | undefined;
  if (opts.run !== undefined) {
    ({ workflow, state } = await fromRun(opts.run, opts.workflow, opts.store));
  } else {
    const ir = compileFile(file);
    if (ir === undefined) return EXIT.usage;
    workflow = chooseWorkflow(ir, opts.workflow);
  }
  process.stdout.write(opts.format === "dot" ? toDot(workflow, state) : toMermaid(workflow, state));
  return EXIT.ok;
}

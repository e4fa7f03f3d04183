/**
 * `cmc graph FILE [--workflow W] [--format mermaid|dot] [--run RUN]`: draws a workflow's graph. With
 * `--run`, draws the graph stored with that run (so later edits of the file do not matter) and
 * colours its steps by the run's state.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { IrWorkflow } from "../../compiler/ir/ir.js";
import type { NodeState } from "../draw/diagram.js";
import { toDot } from "../draw/dot.js";
import { toMermaid } from "../draw/mermaid.js";
import { runState } from "../draw/run-state.js";
import { chooseWorkflow } from "../choose-workflow.js";
import { EXIT, UsageError } from "../exit.js";
import { compileFile } from "./compile.js";

/** The IR, workflow and node states of run `id` from the store. */
async function fromRun(
  file: string,
  id: string,
  workflowName: string | undefined,
  storeFlag: string | undefined,
): Promise<{ workflow: IrWorkflow; state: Map<string, NodeState> }> {
  const { defaultStoreDir, effectiveStatus, openStore } = await import("../../runtime/store/index.js");
  const { loadIr } = await import("../../runtime/store/stored-ir.js");
  const dir = defaultStoreDir(process.cwd(), storeFlag);
  if (!existsSync(dir)) throw new UsageError(`no runs here: ${dir} does not exist (use --store DIR)`);
  const store = openStore(dir);
  try {
    const run = store.findRun(id);
    if (!run) throw new UsageError(`no run \`${id}\` in ${store.dir}`);
    const ir = loadIr(store, run.id);
    if (path.resolve(file) !== path.resolve(run.workspace, ir.root)) {
      throw new UsageError(`run ${run.id} is a run of ${ir.root}, not of ${file}`);
    }
    const workflow =
      workflowName !== undefined
        ? chooseWorkflow(ir, workflowName, "draw")
        : (ir.workflows[run.workflow] ?? chooseWorkflow(ir, undefined, "draw"));
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
    ({ workflow, state } = await fromRun(file, opts.run, opts.workflow, opts.store));
  } else {
    const ir = compileFile(file);
    if (ir === undefined) return EXIT.usage;
    workflow = chooseWorkflow(ir, opts.workflow, "draw");
  }
  process.stdout.write(opts.format === "dot" ? toDot(workflow, state) : toMermaid(workflow, state));
  return EXIT.ok;
}

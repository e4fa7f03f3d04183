/** The `cmc/graph` request: a workflow of an open file drawn as Mermaid, as `cmc graph` draws it. */
import { compile } from "../compiler/index.js";
import { hasErrors } from "../compiler/diagnostics.js";
import { chooseWorkflow } from "../cli/choose-workflow.js";
import { toMermaid } from "../cli/draw/mermaid.js";
import { UsageError } from "../cli/exit.js";
import { RequestError } from "./errors.js";
import type { Workspace } from "./workspace.js";

/** The Mermaid flowchart of `workflow` (else the file's only one, else `main`) in module `key`. */
export function graphOf(ws: Workspace, key: string, workflow: string | undefined): string {
  const analysis = ws.analysis(key);
  const errors = analysis.result.diagnostics.filter((d) => d.severity === "error");
  if (hasErrors(errors)) {
    const first = errors[0]!;
    throw new RequestError(`${key} has ${errors.length === 1 ? "an error" : `${errors.length} errors`}; the first: ${first.code} ${first.message}`);
  }
  const { ir } = compile(key, ws.compilerHost());
  if (!ir) throw new RequestError(`${key} could not be compiled`);
  try {
    return toMermaid(chooseWorkflow(ir, workflow, "draw"));
  } catch (error) {
    if (error instanceof UsageError) throw new RequestError(error.message);
    throw error;
  }
}

/** The conformance harness: install the real CLIs, give each run a private home, run workflows. */
export { REAL_CLIS, cliBin, ensureAllInstalled, ensureInstalled, installDir, pinned, type RealCli } from "./install.js";
export { privateHome, type PrivateHome } from "./env.js";
export { cmc, runWorkflow, type RunOptions, type RunResultJson, type StatusJson, type WorkflowRun } from "./run.js";

/** `cmc run FILE` and `cmc resume RUN`: compile, create or find the run, drive it with live progress. */
import { statSync } from "node:fs";
import path from "node:path";
import { compile as compileProgram } from "../../compiler/index.js";
import type { IrNode, IrProgram, IrWorkflow } from "../../compiler/ir/ir.js";
import { typeToString } from "../../compiler/types.js";
import { RunBusyError } from "../../runtime/run.js";
import { ended, FINISHED } from "../../runtime/service/requests.js";
import { RunService } from "../../runtime/service/run-service.js";
import { refusedAsUsage } from "../refused.js";
import { Cancelled, Interrupted } from "../../runtime/scheduler/signals.js";
import { JournalState } from "../../runtime/scheduler/journal-state.js";
import { nodeOfKey } from "../../runtime/scheduler/step-keys.js";
import type { Durability, RunMode, RunRecord, RunStatus } from "../../runtime/store/types.js";
import { rolesIn, type AgentSettings } from "../../runtime/config/index.js";
import { effectiveStatus, StoreWriteError, type RunStore } from "../../runtime/store/index.js";
import { loadIr } from "../../runtime/store/stored-ir.js";
import { chooseWorkflow } from "../choose-workflow.js";
import { collectInputs, parseInputValue } from "../inputs.js";
import { EXIT, UsageError } from "../exit.js";
import { projectHost, projectSettings } from "../project.js";
import { lineReader } from "../line-reader.js";
import { createProgress, userName, type ProgressView } from "../progress.js";
import { reportToStderr, shouldColor } from "../render-diagnostics.js";
import { cmcFor, findRun, openWorkspaceStore, storeForRun } from "../store-access.js";
import { waitingLines } from "../waiting.js";

export interface RunOptions {
  workflow?: string;
  input: string[];
  inputs?: string;
  mode: RunMode;
  concurrency: number;
  budget?: number;
  allowOutside: boolean;
  json: boolean;
  store?: string;
  /** `--agent role=spec` flags: who plays a role in this run, over cmc.json. */
  agent: string[];
  durability: Durability;
}

export async function run(file: string, opts: RunOptions): Promise<number> {
  const cwd = process.cwd();
  if (!isFile(file)) throw new UsageError(`no such file: ${file}`);
  // Only the IR outlives compiling: the sources, syntax trees and types are garbage before the run starts.
  const settings = projectSettings(cwd, opts.agent);
  const ir = compileAndReport(file, cwd, settings);
  if (!ir) return EXIT.usage;
  checkAgentFlags(ir, opts.agent);
  const workflow = chooseWorkflow(ir, opts.workflow, "run");
  const { inputs, missing } = collectInputs(workflow, opts.input, opts.inputs);
  Object.assign(inputs, await askInputs(workflow, missing));

  const store = openWorkspaceStore(opts.store, { create: true, durability: opts.durability });
  try {
    const record = await new RunService(store).start({
      ir,
      workflow: workflow.id,
      file,
      workspace: cwd,
      inputs,
      mode: opts.mode,
      concurrency: opts.concurrency,
      allowOutside: opts.allowOutside,
      ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
      agents: settings,
      durability: opts.durability,
    });
    process.stderr.write(`run ${record.id} started: ${workflow.name} (${file})\n`);
    return await drive(store, record.id, opts.json, { fresh: true });
  } finally {
    await store.close();
  }
}

/** A `--agent` flag for a role the program never declares is a typo, not a team's spare mapping: refused. */
function checkAgentFlags(ir: IrProgram, flags: readonly string[]): void {
  const declared = rolesIn(ir).map((r) => r.name);
  for (const flag of flags) {
    const role = flag.slice(0, flag.indexOf("=")).trim();
    if (!declared.includes(role)) {
      const has = declared.length > 0 ? `its roles are ${declared.map((r) => `\`${r}\``).join(", ")}` : "it declares no role";
      throw new UsageError(`--agent ${role}=…: ${ir.root} declares no role \`${role}\`; ${has}`);
    }
  }
}

/** Compiles `file`, printing its diagnostics; the IR, or undefined when it has errors. */
function compileAndReport(file: string, cwd: string, settings: AgentSettings): IrProgram | undefined {
  const host = projectHost(cwd, settings);
  const compiled = compileProgram(host.keyOf(file), host);
  reportToStderr(compiled.diagnostics, compiled.sources);
  return compiled.ir ?? undefined;
}

export async function resume(id: string, opts: { json: boolean; refresh?: boolean; store?: string }): Promise<number> {
  let store = openWorkspaceStore(opts.store);
  try {
    const record = findRun(store, id);
    store = await storeForRun(store, record.id);
    if (FINISHED.has(record.status)) {
      process.stderr.write(`run ${record.id} has already ${ended(record.status)}\n`);
      return report(store, record, opts.json);
    }
    // Only once this process owns the run (`driveRun`'s claim refuses it while another drives it,
    // and `drive` says so): a person's resume answers the escalations it waits on.
    const claimed = async (): Promise<void> => {
      await new RunService(store).answerEscalations(record.id, userName());
      process.stderr.write(`run ${record.id} resumed\n`);
    };
    return await drive(store, record.id, opts.json, { claimed, refresh: opts.refresh === true });
  } finally {
    await store.close();
  }
}

export async function rerun(id: string, opts: { from: string; input: string[]; json: boolean; store?: string }): Promise<number> {
  let store = openWorkspaceStore(opts.store);
  try {
    const original = findRun(store, id);
    const workflow = loadIr(store, original.id).workflows[original.workflow];
    if (!workflow) throw new UsageError(`run ${original.id}'s program has no workflow \`${original.workflow}\``);
    const { inputs } = collectInputs(workflow, opts.input, undefined);
    const { run, reused } = await refusedAsUsage(() => new RunService(store).rerun(original.id, opts.from, inputs));
    const n = reused.length;
    process.stderr.write(`run ${run.id} started: a rerun of ${original.id} from \`${opts.from}\`, reusing ${n} finished step${n === 1 ? "" : "s"}\n`);
    store = await storeForRun(store, run.id);
    return await drive(store, run.id, opts.json);
  } finally {
    await store.close();
  }
}

interface DriveHow {
  /** A run this process just created: it has spent nothing before. */
  readonly fresh?: boolean;
  readonly claimed?: () => Promise<void>;
  readonly refresh?: boolean;
}

async function drive(store: RunStore, runId: string, json: boolean, how: DriveHow = {}): Promise<number> {
  const { fresh, claimed, refresh } = how;
  const service = new RunService(store);
  const color = shouldColor(process.stderr);
  const live = process.stderr.isTTY === true && !process.env.CI;
  const progress = createProgress({
    stream: process.stderr,
    live,
    canAsk: process.stdin.isTTY === true && process.stderr.isTTY === true,
    color,
    // A resumed run's closing totals count what its agents spent before this process too.
    ...(fresh ? {} : { totals: () => service.status(runId) }),
  });
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    process.stderr.write("\nstopping… (the run stays resumable)\n");
    controller.abort(new Interrupted());
  };
  const onTerminate = () => {
    const cancelled = store.getRun(runId)?.status === "cancelled";
    controller.abort(cancelled ? new Cancelled() : new Interrupted());
  };
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onTerminate);
  process.on("SIGHUP", onInterrupt);
  const warn = (message: string) => process.stderr.write(`\nwarning: ${message}\n`);
  const feed = follow(service, runId, progress, warn);
  let record: RunRecord;
  try {
    record = await service.drive(runId, {
      started: feed.start,
      activity: progress.activity,
      warn,
      ...(progress.askHuman ? { askHuman: progress.askHuman } : {}),
      signal: controller.signal,
      ...(claimed ? { claimed } : {}),
      ...(refresh ? { refresh } : {}),
    });
  } catch (error) {
    if (error instanceof RunBusyError) {
      process.stderr.write(`error: cannot drive run ${runId}: ${error.message}\n`);
      return EXIT.failed;
    }
    if (error instanceof StoreWriteError) {
      // Nothing more could be recorded: the run stops as the journal last had it, resumable.
      process.stderr.write(`error: ${error.message}\nrun ${runId} stopped; once the store can be written again, continue it with: ${cmcFor(store)} resume ${runId}\n`);
      return EXIT.store;
    }
    throw error;
  } finally {
    await feed.stop();
    progress.stop();
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onTerminate);
    process.off("SIGHUP", onInterrupt);
  }
  if (controller.signal.aborted && controller.signal.reason instanceof Interrupted) {
    process.stderr.write(`run ${runId} interrupted; continue it with: ${cmcFor(store)} resume ${runId}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ ...service.status(record.id), status: "interrupted" })}\n`);
    return EXIT.interrupted;
  }
  return report(store, record, json);
}

/**
 * Shows the run's journal on `progress` as it is committed, once the driver `start`s: what it
 * read before as history. `stop` shows what was committed until then, and ends.
 */
function follow(service: RunService, runId: string, progress: ProgressView, warn: (message: string) => void): { start(state: JournalState, fromSeq: number): void; stop(): Promise<void> } {
  const stop = new AbortController();
  let done: Promise<void> = Promise.resolve();
  return {
    start: (state, fromSeq) => {
      progress.history(state);
      done = (async () => {
        try {
          for await (const o of service.observe(runId, fromSeq, stop.signal)) progress.observation(o);
        } catch (error) {
          // A broken display must not stop the run: it goes on without one.
          warn(`progress display failed and was turned off, the run goes on: ${error instanceof Error ? error.message : String(error)}`);
        }
      })();
    },
    stop: async () => {
      stop.abort();
      await done;
    },
  };
}

/** Prints how the run stands (stderr) and its result (stdout); returns the exit code for its status. */
function report(store: RunStore, record: RunRecord, json: boolean): number {
  const status = effectiveStatus(record);
  // Only `--json` prints the summary, which folds the whole journal: skip it otherwise.
  if (json) process.stdout.write(`${JSON.stringify(new RunService(store).status(record.id))}\n`);
  switch (status) {
    case "succeeded":
      process.stderr.write(`run ${record.id} succeeded\n`);
      if (!json && record.result !== null && record.result !== undefined) {
        process.stdout.write(`${JSON.stringify(record.result, null, 2)}\n`);
      }
      break;
    case "failed":
      process.stderr.write(`${failureLine(store, record)}\n`);
      break;
    case "waiting":
    case "escalated":
      process.stderr.write(parkedHelp(store, record));
      break;
    default:
      process.stderr.write(`run ${record.id} ${status}\n`);
  }
  return exitCode(status);
}

/**
 * `run X failed: step \`build[2]\` (feature.cm:31): message [kind]`, or for a failure outside any
 * step (a `let`, a condition, a `return`), `run X failed at feature.cm:12 (return): …`; inside a
 * workflow of another file, `…, called from step \`fix\` (feature.cm:40): …`.
 */
function failureLine(store: RunStore, record: RunRecord): string {
  const e = record.error;
  if (!e) return `run ${record.id} failed`;
  const tail = `${e.message} [${e.kind}]`;
  if (!e.step) return `run ${record.id} failed: ${tail}`;
  // Inside a sub-workflow of another file (std/patterns), also say where the run's own file called it.
  const caller = e.step.includes("/") ? e.step.slice(0, e.step.indexOf("/")) : undefined;
  let node: IrNode | undefined;
  let call: IrNode | undefined;
  try {
    const ir = loadIr(store, record.id);
    node = nodeOfKey(ir, record.workflow, e.step);
    if (caller) call = nodeOfKey(ir, record.workflow, caller);
  } catch {
    // an unreadable IR only costs the location
  }
  const at = node ? `${node.span.file}:${node.span.line}` : undefined;
  const from = call && node && call.span.file !== node.span.file ? `, called from step \`${caller}\` (${call.span.file}:${call.span.line})` : "";
  if (node && node.kind !== "step") return `run ${record.id} failed at ${at} (${node.kind})${from}: ${tail}`;
  return `run ${record.id} failed: step \`${e.step}\`${at ? ` (${at})` : ""}${from}: ${tail}`;
}

function parkedHelp(store: RunStore, record: RunRecord): string {
  const state = new JournalState(store.events(record.id));
  return `${[`run ${record.id} is ${record.status}:`, ...waitingLines(store, record.id, state)].join("\n")}\n`;
}

export function exitCode(status: RunStatus): number {
  switch (status) {
    case "succeeded":
      return EXIT.ok;
    case "waiting":
    case "escalated":
      return EXIT.parked;
    case "interrupted":
    case "running":
      return EXIT.interrupted;
    default:
      return EXIT.failed;
  }
}

/** Asks a person at the terminal for the missing required inputs; a usage error without a terminal. */
async function askInputs(workflow: IrWorkflow, names: readonly string[]): Promise<Record<string, unknown>> {
  const params = workflow.params.filter((p) => names.includes(p.name));
  if (params.length === 0) return {};
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    const list = params.map((p) => `\`${p.name}\` (${typeToString(p.type)})`).join(", ");
    const flags = params.map((p) => `--input ${p.name}=…`).join(" ");
    throw new UsageError(`missing input ${list} of workflow \`${workflow.name}\`: pass ${flags}`);
  }
  const reader = lineReader(process.stderr);
  const values: Record<string, unknown> = {};
  try {
    for (const param of params) {
      for (;;) {
        const answer = await reader.ask(`${param.name} (${typeToString(param.type)}): `);
        try {
          values[param.name] = parseInputValue(param.name, param.type, answer);
          break;
        } catch (error) {
          process.stderr.write(`${(error as Error).message}\n`);
        }
      }
    }
    return values;
  } finally {
    reader.close();
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(path.resolve(p)).isFile();
  } catch {
    return false;
  }
}

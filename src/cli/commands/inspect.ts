/**
 * `cmc status`, `cmc runs` and `cmc logs`: read-only views of the store. They load the store and the
 * journal's fold only; `logs --follow` loads the run service to watch the run.
 */
import { FINISHED } from "../../runtime/service/requests.js";
import { JournalState, type Decision } from "../../runtime/scheduler/journal-state.js";
import { formatCount, formatDuration } from "../../runtime/scheduler/format.js";
import { stepNameOfKey } from "../../runtime/scheduler/step-keys.js";
import { effectiveStatus, type RunStore } from "../../runtime/store/index.js";
import type { RunRecord } from "../../runtime/store/types.js";
import { summarize } from "../../runtime/summary.js";
import { EXIT, UsageError, type GlobalOptions } from "../exit.js";
import { findRun, openWorkspaceStore, storeExists } from "../store-access.js";
import { waitingLines } from "../waiting.js";
import { LineWriter, logFrom } from "../step-output.js";

export async function runs(opts: GlobalOptions & { json: boolean }): Promise<number> {
  if (!storeExists(opts.store)) {
    process.stdout.write(opts.json ? "[]\n" : "no runs yet\n");
    return EXIT.ok;
  }
  const store = openWorkspaceStore(opts.store);
  try {
    const all = store.listRuns((_id, problem) => process.stderr.write(`warning: ${problem}\n`));
    if (opts.json) {
      const rows = all.map((r) => ({
        run: r.id,
        workflow: r.workflow,
        status: effectiveStatus(r),
        started: new Date(r.created).toISOString(),
        ...(r.rerunOf ? { rerunOf: r.rerunOf } : {}),
      }));
      process.stdout.write(`${JSON.stringify(rows)}\n`);
    } else if (all.length === 0) {
      process.stdout.write("no runs yet\n");
    } else {
      for (const r of all) {
        const link = r.rerunOf ? `  (rerun of ${r.rerunOf.run} from ${r.rerunOf.from})` : "";
        process.stdout.write(`${r.id}  ${effectiveStatus(r).padEnd(11)}  ${new Date(r.created).toISOString().replace("T", " ").slice(0, 19)}  ${r.workflow}${link}\n`);
      }
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export async function status(id: string | undefined, opts: GlobalOptions & { json: boolean }): Promise<number> {
  if (id === undefined) return runs(opts);
  const store = openWorkspaceStore(opts.store);
  try {
    const run = findRun(store, id);
    const summary = summarize(store, run);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return EXIT.ok;
    }
    const out: string[] = [
      `run       ${run.id}`,
      `workflow  ${run.workflow}`,
      `status    ${summary.status}`,
      `started   ${new Date(run.created).toISOString()}`,
      `mode      ${run.mode}`,
    ];
    if (run.options.durability === "batch") out.push("durable   batch (committed before each next step, flushed to disk after)");
    if (run.rerunOf) out.push(`rerun of  ${run.rerunOf.run}, from step ${run.rerunOf.from}`);
    if (run.finished) out.push(`took      ${formatDuration(run.finished - run.created)}`);
    if (run.cost > 0) out.push(`cost      $${run.cost.toFixed(4)}`);
    if (summary.tokens.input + summary.tokens.output > 0) {
      out.push(`tokens    ${formatCount(summary.tokens.input)} in, ${formatCount(summary.tokens.output)} out`);
    }
    if (summary.error) out.push(`error     ${summary.error.step ? `${summary.error.step}: ` : ""}${summary.error.message} [${summary.error.kind}]`);
    out.push("", "steps:");
    for (const s of summary.steps) {
      const attempts = s.attempts > 1 ? ` (${s.attempts} attempts)` : "";
      const cost = s.tokens ? `  $${(s.cost ?? 0).toFixed(4)}, ${s.tokens.input} tokens in, ${s.tokens.output} out` : "";
      const who = s.role !== undefined ? `  ${s.role}: ${s.agent ?? "?"}` : "";
      out.push(`  ${s.status.padEnd(10)} ${s.id}${s.label ? ` (${s.label})` : ""}${attempts}${who}${cost}`);
      if (s.decision) out.push(`             ${decisionLine(s.decision)}`);
    }
    const state = new JournalState(store.events(run.id));
    const waiting = FINISHED.has(run.status) ? [] : waitingLines(store, run.id, state);
    if (waiting.length > 0) out.push("", "waiting for a person:", ...waiting);
    if (summary.result !== null && summary.status === "succeeded") out.push("", `result: ${JSON.stringify(summary.result)}`);
    process.stdout.write(`${out.join("\n")}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** Who decided a gate and why: `approved by alice: looks good`, `rejected by timeout: no decision within 1h`. */
function decisionLine(d: Decision): string {
  return `${d.approved ? "approved" : "rejected"} by ${d.by}${d.reason !== "" ? `: ${d.reason}` : ""}`;
}

/** Step instance keys in the order they first started; those of `step` only, when given. */
function stepKeys(store: RunStore, run: RunRecord, step: string | undefined): string[] {
  const keys: string[] = [];
  for (const e of store.events(run.id)) {
    if (e.type === "step-started" && !keys.includes(e.key)) keys.push(e.key);
  }
  if (step === undefined) return keys;
  return keys.filter((k) => k === step || stepNameOfKey(k) === step);
}

export async function logs(id: string, step: string | undefined, opts: GlobalOptions & { follow: boolean }): Promise<number> {
  const store = openWorkspaceStore(opts.store);
  try {
    const run = findRun(store, id);
    if (opts.follow) {
      const { followRun } = await import("../follow.js");
      await followRun(store, run.id, step, (data) => process.stdout.write(data));
      return EXIT.ok;
    }
    const out = new LineWriter((data) => process.stdout.write(data));
    const keys = stepKeys(store, run, step);
    const headers = keys.length > 1 || step === undefined;
    const decisions = new JournalState(store.events(run.id)).decisions;
    for (const key of keys) {
      const log = logFrom(store.logPath(run.id, key), 0);
      const decision = decisions.get(key);
      if (headers && (log.length > 0 || decision)) out.line(`── ${key} ──`);
      out.write(log);
      if (decision) out.line(`[cmc] ${decisionLine(decision)}`);
    }
    if (keys.length === 0) {
      if (step !== undefined) throw new UsageError(`run ${run.id} has no step \`${step}\` that started`);
      process.stderr.write(`run ${run.id} has no step logs yet\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/**
 * `cmc logs RUN [STEP] --follow`: the run's transitions, from its start, as the journal commits
 * them, with its steps' output as their logs grow, until the run ends. It follows the journal, not
 * a process: through a driver killed and a `cmc resume` every transition is shown once, in order.
 */
import { watch, type FSWatcher } from "node:fs";
import { dirname } from "node:path";
import { RunService } from "../runtime/service/run-service.js";
import type { Observation } from "../runtime/service/observations.js";
import { formatDuration } from "../runtime/scheduler/format.js";
import { stepNameOfKey } from "../runtime/scheduler/step-keys.js";
import type { RunStore } from "../runtime/store/index.js";
import { LineWriter, logFrom } from "./step-output.js";

export async function followRun(store: RunStore, runId: string, step: string | undefined, out: (data: string | Buffer) => void): Promise<void> {
  const ours = (key: string) => step === undefined || key === step || stepNameOfKey(key) === step;
  const printed = new Map<string, number>();
  const writer = new LineWriter(out);
  let lastKey: string | undefined;

  /** The output of step `key` written since it was last shown, under its name when another step's came between. */
  const flush = (key: string) => {
    const from = printed.get(key) ?? 0;
    const bytes = logFrom(store.logPath(runId, key), from);
    if (bytes.length === 0) return;
    if (lastKey !== key) writer.line(`── ${key} ──`);
    lastKey = key;
    writer.write(bytes);
    printed.set(key, from + bytes.length);
  };
  const flushAll = () => {
    for (const key of printed.keys()) flush(key);
  };

  // Output is written without a commit: the log folder's notifications wake the loop for it.
  const stop = new AbortController();
  let logWatcher: FSWatcher | undefined;
  try {
    logWatcher = watch(dirname(store.logPath(runId, "-")), () => {
      if (!stop.signal.aborted) flushAll();
    });
  } catch {
    // No notifications here: output is then shown at the run's next transition.
  }
  try {
    for await (const o of new RunService(store).observe(runId, 0)) {
      if ("key" in o) {
        if (!ours(o.key)) continue;
        if (!printed.has(o.key)) printed.set(o.key, 0);
        flush(o.key);
      }
      writer.line(`[cmc] ${transition(o)}`);
      lastKey = undefined;
    }
    flushAll();
  } finally {
    stop.abort();
    logWatcher?.close();
  }
}

/** One transition as a line: `build[2]: succeeded in 1.2s`, `review: approved by ada: ok`. */
export function transition(o: Observation): string {
  switch (o.type) {
    case "run-started":
      return `run ${o.run} started`;
    case "run-resumed":
      return `run ${o.run} resumed`;
    case "run-cancelled":
      return `run ${o.run} cancelled by ${o.by}`;
    case "run-finished":
      return `run ${o.run} ${o.status}${o.error ? `: ${o.error.message} [${o.error.kind}]` : ""}`;
    case "step-queued":
      return `${o.key}: queued`;
    case "step-started":
      return `${o.key}: started${o.attempt > 1 ? ` (attempt ${o.attempt})` : ""}`;
    case "attempt-failed":
      return `${o.key}: attempt ${o.attempt} failed, retrying in ${formatDuration(o.retryInMs)}: ${o.error.message}`;
    case "step-finished":
      return `${o.key}: succeeded${o.startedAt !== undefined ? ` in ${formatDuration(o.at - o.startedAt)}` : ""}`;
    case "step-failed":
      return `${o.key}: ${o.error.kind === "cancelled" ? "cancelled" : "failed"}: ${o.error.message}`;
    case "gate-waiting":
      return `${o.key}: waiting: ${o.question}`;
    case "gate-decided":
      return `${o.key}: ${o.decision.approved ? "approved" : "rejected"} by ${o.decision.by}${o.decision.reason ? `: ${o.decision.reason}` : ""}`;
    case "escalated":
      return `${o.key}: escalated: ${o.message}`;
  }
}

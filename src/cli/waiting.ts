/** What a parked run waits for, in full, and what a person types next: for `cmc run`/`resume` and `cmc status`. */
import type { JournalState } from "../runtime/scheduler/journal-state.js";
import { cmcFor } from "./store-access.js";
import type { RunStore } from "../runtime/store/index.js";

/** One block per gate or escalation waiting for a person: its whole question, then the commands. */
export function waitingLines(store: RunStore, runId: string, state: JournalState): string[] {
  const cmc = cmcFor(store);
  const lines: string[] = [];
  for (const key of state.pending()) {
    const escalated = state.escalations.has(key);
    lines.push(escalated ? `  \`${key}\` escalated:` : `  gate \`${key}\` asks:`);
    for (const line of (state.questions.get(key) ?? "").split("\n")) lines.push(line === "" ? "" : `    ${line}`);
    if (escalated) lines.push(`    continue: ${cmc} resume ${runId}    or end it: ${cmc} cancel ${runId}`);
    else {
      lines.push(`    ${cmc} approve ${runId} ${key} [--reason …]   or   ${cmc} reject ${runId} ${key} --reason …`);
      lines.push(`    then: ${cmc} resume ${runId}`);
    }
  }
  return lines;
}

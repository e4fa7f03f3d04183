/**
 * Shows a run's progress on stderr: on a terminal, a live list of steps (status, elapsed time,
 * attempt, cost) redrawn in place; otherwise one plain line per transition. The transitions are the
 * run's journal, as observations; agents' messages come live. Also asks gate questions inline when a
 * person is at the terminal.
 */
import { userInfo } from "node:os";
import { styleText } from "node:util";
import type { Tokens } from "../runtime/agents/types.js";
import type { Activity, HumanQuestion } from "../runtime/scheduler/driver.js";
import type { Observation } from "../runtime/service/observations.js";
import type { Decision, JournalState } from "../runtime/scheduler/journal-state.js";
import { formatCount, formatDuration } from "../runtime/scheduler/format.js";
import { lineReader } from "./line-reader.js";

type Status = "queued" | "running" | "succeeded" | "failed" | "retrying" | "waiting" | "cancelled";

interface Row {
  key: string;
  /** The step's `label:`, shown beside its key. */
  label?: string;
  status: Status;
  attempt: number;
  started: number;
  ended?: number;
  /** USD over all its attempts: `paid` by the attempts before this one, plus this one's latest report. */
  cost: number;
  paid: number;
  tokens?: Tokens;
  message?: string;
  /** Printed for good above the live area (before a question), so not redrawn. */
  committed?: boolean;
  /** An approval gate: its decision stays its message. */
  gate?: boolean;
}

export interface ProgressView {
  /** What the journal held before this process drove the run: its finished steps are replayed. */
  history(state: JournalState): void;
  /** A transition from the run's journal. */
  observation(o: Observation): void;
  activity(event: Activity): void;
  /** Present when a person can answer at the terminal. */
  readonly askHuman?: (q: HumanQuestion, signal: AbortSignal) => Promise<Decision>;
  /** Stops redrawing and leaves the final list on screen. */
  stop(): void;
}

const SYMBOL: Record<Status, string> = {
  queued: "◌",
  running: "●",
  succeeded: "✓",
  failed: "✗",
  cancelled: "⊘",
  retrying: "↻",
  waiting: "?",
};

const LIVE_ROWS = 24;

export function createProgress(opts: {
  readonly stream: NodeJS.WriteStream;
  /** Redraw in place (stderr is a terminal). */
  readonly live: boolean;
  /** A person can answer questions (stdin and stderr are terminals). */
  readonly canAsk: boolean;
  readonly color: boolean;
  /**
   * The whole run's agent totals, read when the closing line is printed: a resumed run's include
   * what its agents spent before this process. Without it, the rows of this process are summed.
   */
  readonly totals?: () => { readonly cost: number; readonly tokens: Tokens };
}): ProgressView {
  const rows = new Map<string, Row>();
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (opts.color ? styleText(style, text) : text);
  const write = (text: string) => opts.stream.write(text);
  let drawn = 0;
  let paused = false;
  let replayed = 0;
  let replayShown = false;
  let queued = 0;
  /** Agents' live reports that came before their step's start reached the display. */
  const early = new Map<string, Extract<Activity, { type: "agent" }>>();

  /** Set by `stop`: the last drawing shows the whole run's totals. */
  let closing = false;

  /** Leaves what is drawn on screen for good: finished rows are not drawn again. */
  const commit = () => {
    draw();
    drawn = 0;
    if (replayed > 0) replayShown = true;
    for (const r of rows.values()) if (!isActive(r.status)) r.committed = true;
  };

  const clear = () => {
    if (drawn > 0) write(`\x1b[${drawn}F\x1b[0J`);
    drawn = 0;
  };

  const line = (r: Row): string => {
    const elapsed = formatDuration(Math.round(((r.ended ?? Date.now()) - r.started) / 100) * 100);
    const style = r.status === "succeeded" ? "green" : r.status === "failed" ? "red" : r.status === "waiting" ? "yellow" : "cyan";
    const parts = [
      paint(style, SYMBOL[r.status]),
      (r.label ? `${r.key} (${r.label})` : r.key).padEnd(24),
      paint("dim", elapsed.padStart(8)),
      r.attempt > 1 ? paint("yellow", `#${r.attempt}`) : "  ",
      r.cost > 0 ? paint("dim", `$${r.cost.toFixed(4)}`) : "",
      r.tokens ? paint("dim", `${compact(r.tokens.input)}→${compact(r.tokens.output)} tokens`) : "",
      r.message ? paint("dim", oneLine(r.message, 60)) : "",
    ];
    return parts.filter((p) => p !== "").join("  ");
  };

  /** Cost and tokens of the run's agents so far: every row (committed ones included), or at the close the whole run's. */
  const totalsLine = (): string | undefined => {
    let cost = 0;
    let input = 0;
    let output = 0;
    const whole = closing ? opts.totals?.() : undefined;
    if (whole) ({ cost, tokens: { input, output } } = whole);
    else {
      for (const r of rows.values()) {
        cost += r.cost;
        input += r.tokens?.input ?? 0;
        output += r.tokens?.output ?? 0;
      }
    }
    if (cost === 0 && input === 0 && output === 0) return undefined;
    return `agents: $${cost.toFixed(4)}, ${formatCount(input)} tokens in, ${formatCount(output)} out`;
  };

  const draw = () => {
    if (!opts.live || paused) return;
    clear();
    const all = [...rows.values()].filter((r) => !r.committed && r.status !== "queued");
    const shown = all.slice(-LIVE_ROWS);
    const lines = shown.map(line);
    if (all.length > shown.length) lines.unshift(paint("dim", `… ${all.length - shown.length} earlier steps`));
    if (queued > 0) lines.push(paint("dim", `${SYMBOL.queued} ${queued} queued for a slot`));
    if (replayed > 0 && !replayShown) lines.unshift(paint("dim", `↺ ${replayed} finished steps replayed from the journal`));
    const totals = totalsLine();
    if (totals) lines.push(paint("dim", totals));
    if (lines.length > 0) write(`${lines.join("\n")}\n`);
    drawn = lines.length;
  };

  const timer = opts.live ? setInterval(draw, 250) : undefined;
  timer?.unref();

  // Plain lines of one event-loop turn go out in one write: a wide fan-out reports thousands of
  // transitions a second, and a write each was a syscall each.
  let pending = "";
  const flushPlain = () => {
    if (pending === "") return;
    const text = pending;
    pending = "";
    write(text);
  };
  const plain = (text: string) => {
    if (opts.live) return;
    if (pending === "") setImmediate(flushPlain);
    pending += `${text}\n`;
  };

  const notice = (message: string) => {
    if (opts.live) {
      clear();
      write(`${message}\n`);
      draw();
    } else plain(message);
  };

  const report = (row: Row, e: Extract<Activity, { type: "agent" }>) => {
    if (e.message) row.message = e.message;
    if (e.cost !== undefined) row.cost = row.paid + e.cost;
    if (e.tokens) row.tokens = { ...e.tokens };
  };

  const activity = (e: Activity) => {
    if (e.type === "notice") return notice(e.message);
    const row = rows.get(e.key);
    if (row?.status === "running") report(row, e);
    else early.set(e.key, { ...early.get(e.key), ...e });
  };

  /** The row of a step, made when its first transition arrives. */
  const rowOf = (o: Extract<Observation, { key: string }>): Row => {
    let row = rows.get(o.key);
    if (!row) {
      row = { key: o.key, ...(o.label ? { label: o.label } : {}), status: "queued", attempt: o.attempt, started: o.at, cost: 0, paid: 0 };
      rows.set(o.key, row);
    }
    return row;
  };

  const show = (row: Row, status: Status, o: Observation, message?: string) => {
    if (row.status === "queued") queued--;
    if (status === "queued") queued++;
    row.status = status;
    row.message = message;
    if (!isActive(status)) row.ended = o.at;
    if (opts.live) return draw();
    if (status === "queued") return;
    const detail = message ? `: ${oneLine(message, 200)}` : "";
    const took = row.ended ? ` in ${formatDuration(row.ended - row.started)}` : "";
    const attempt = row.attempt > 1 ? ` (attempt ${row.attempt})` : "";
    const spent = status === "succeeded" && row.tokens ? ` ($${row.cost.toFixed(4)}, ${row.tokens.input} tokens in, ${row.tokens.output} out)` : "";
    const name = row.label ? `${row.key} (${row.label})` : row.key;
    plain(`${name}: ${status}${attempt}${status === "succeeded" ? took : ""}${spent}${detail}`);
  };

  const history = (state: JournalState) => {
    for (const [key, step] of state.steps) {
      if (step.status === "succeeded") replayed++;
      else if (step.status === "running" || step.status === "waiting") {
        const started = state.waitingSince.get(key) ?? Date.now();
        rows.set(key, { key, ...(step.label ? { label: step.label } : {}), status: step.status, attempt: step.attempts, started, cost: 0, paid: 0 });
      }
    }
  };

  const observation = (o: Observation) => {
    if (!("key" in o)) return;
    switch (o.type) {
      case "escalated":
        return notice(`escalated: ${o.message}`);
      case "step-queued":
        return show(rowOf(o), "queued", o);
      case "step-started": {
        const row = rowOf(o);
        row.started = o.at;
        row.attempt = o.attempt;
        row.paid = row.cost;
        if (o.label) row.label = o.label;
        show(row, "running", o);
        const reported = early.get(o.key);
        if (reported) {
          early.delete(o.key);
          report(row, reported);
        }
        return;
      }
      case "attempt-failed":
        return show(rowOf(o), "retrying", o, o.error.message);
      case "step-failed":
        return show(rowOf(o), o.error.kind === "cancelled" ? "cancelled" : "failed", o, o.error.message);
      case "gate-waiting": {
        const row = rowOf(o);
        row.gate = true;
        return show(row, "waiting", o, o.question);
      }
      case "gate-decided": {
        const row = rows.get(o.key);
        if (!row) return;
        const answer = o.decision.approved ? "approved" : "rejected";
        // An interactive-mode gate before a step ends with its decision; an approval step with its result.
        if (o.key.endsWith("@start")) return show(row, o.decision.approved ? "succeeded" : "failed", o, answer);
        row.message = answer;
        return;
      }
      case "step-finished": {
        const row = rowOf(o);
        if (o.cost !== undefined) row.cost = row.paid + o.cost;
        if (o.tokens) row.tokens = { ...o.tokens };
        return show(row, "succeeded", o, row.gate ? row.message : undefined);
      }
    }
  };

  let queue: Promise<unknown> = Promise.resolve();
  const askHuman = (q: HumanQuestion, signal: AbortSignal): Promise<Decision> => {
    const next = queue.then(() => askOnce(q, signal));
    queue = next.catch(() => undefined);
    return next;
  };

  const askOnce = async (q: HumanQuestion, signal: AbortSignal): Promise<Decision> => {
    if (signal.aborted) throw signal.reason;
    if (opts.live) commit();
    else flushPlain();
    paused = true;
    const reader = lineReader(opts.stream);
    const question = (text: string) => reader.ask(text, signal);
    try {
      write(`\n${paint("bold", q.kind === "approve" ? `approve ${q.key}` : `start ${q.key.replace(/@start$/, "")}`)}\n${q.question}\n`);
      let answer = "";
      while (!/^(y|yes|n|no)$/i.test(answer)) answer = (await question(`${paint("cyan", "?")} approve? [y/n] `)).trim();
      const approved = /^y/i.test(answer);
      const reason = (await question(approved ? "reason (optional): " : "reason: ")).trim();
      return { approved, reason, by: userName() };
    } finally {
      reader.close();
      paused = false;
      draw();
    }
  };

  return {
    history,
    observation,
    activity,
    ...(opts.canAsk ? { askHuman } : {}),
    stop() {
      if (timer) clearInterval(timer);
      closing = true;
      if (opts.live) commit();
      else {
        const totals = totalsLine();
        if (totals) plain(totals);
        flushPlain();
      }
    },
  };
}

/** Whether a step in this status is still under way (its row keeps changing). */
function isActive(status: Status): boolean {
  return status === "queued" || status === "running" || status === "waiting" || status === "retrying";
}

/** `950`, `12.3k`, `4.1M`. */
function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

function oneLine(text: string, max: number): string {
  const first = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** Who decided, for `Decision.by`. */
export function userName(): string {
  try {
    return process.env.USER || userInfo().username || "user";
  } catch {
    return "user";
  }
}

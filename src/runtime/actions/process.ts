/**
 * Runs one external program (argv, no shell) in its own process group, streams its output to
 * the step log as it arrives, keeps a bounded copy for the result, and on abort kills the whole
 * group: SIGTERM, then SIGKILL after a grace period. An abort ends the run on time even when a
 * process that left the group (`setsid`) still holds the output pipes; it is named in the error.
 */

import { readdirSync, statSync } from "node:fs";
import { StepError } from "../errors.js";
import { isRunningState, procStat, processesWhere } from "../proc.js";
import { constants as osConstants } from "node:os";
import { StringDecoder } from "node:string_decoder";
import type { StepLog } from "./types.js";

/** Bytes of stdout, and separately of stderr, kept in a `ProcessResult` unless `maxCapture` says otherwise. */
export const DEFAULT_MAX_CAPTURE = 1024 * 1024;

/** Time between SIGTERM and SIGKILL when a process group is killed. */
export const KILL_GRACE_MS = 2000;

/** After an aborted child's group is gone, how long its pipes may take to deliver what is left in them. */
const PIPE_DRAIN_MS = 100;

/** The longest line handed to `onStdoutLine`; the rest of a longer line is dropped. */
const MAX_LINE = 32 * 1024 * 1024;

export interface ProcessRequest {
  /** The program (looked up on PATH) and its arguments; no shell is involved. */
  readonly file: string;
  readonly args: readonly string[];
  /** An existing directory. */
  readonly cwd: string;
  /** Merged over `process.env`. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Variables that mark the processes this run starts (a step's `CMC_RUN_ID`, `CMC_STEP`, …), set
   * over `env`. After an abort, the marked processes that left the group are named in the error.
   */
  readonly marks?: Readonly<Record<string, string>>;
  /** Written to the child's stdin, which is then closed; absent → stdin is `ignore`. */
  readonly stdin?: string;
  /**
   * On abort the whole process group is killed and the promise rejects with `signal.reason` (a
   * `StepError` reason comes back as a copy whose message names marked processes left running).
   */
  readonly signal: AbortSignal;
  /** Every stdout/stderr chunk is appended here as it arrives, unbounded. */
  readonly log?: StepLog;
  /** Called for each complete stdout line (without `\n` or `\r\n`) as it arrives; a last unterminated line too. */
  onStdoutLine?(line: string): void;
  /**
   * Bytes of stdout and of stderr kept in the result, each (default 1 MiB). Past it, stdout keeps
   * its first and last halves with a marker line between them (a command's head usually says what
   * it is doing, its tail how it ended); stderr keeps its tail (where the error is) after a marker.
   */
  readonly maxCapture?: number;
  /**
   * Hand the terminal to the child (interactive agents): stdio `inherit`, nothing captured or
   * logged, `stdin` ignored. The child then stays in our process group so the terminal's job
   * control (Ctrl-C) reaches it; an abort signals the child alone.
   */
  readonly inheritStdio?: boolean;
}

export interface ProcessResult {
  /**
   * The exit code; a child ended by signal n gets `128 + n`, as a shell reports it. A child we
   * killed because the signal aborted has no result: `runProcess` rejects instead.
   */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from spawn to exit. */
  readonly duration: number;
  /** Whether stdout or stderr was longer than `maxCapture` and cut. */
  readonly truncated: boolean;
  /** Bytes cut from the middle of stdout (0 when it fit in `maxCapture`). */
  readonly stdoutOmitted: number;
}

/** The program could not be found (ENOENT on spawn). */
export class CommandNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`program \`${command}\` not found`);
    this.name = "CommandNotFoundError";
  }
}

/** execa, loaded on the first spawn: it is ~100 modules, which commands that run no program never need. */
let execaModule: Promise<typeof import("execa")> | undefined;

/** Process groups still running, killed if this process exits while they run. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const group of liveGroups) signalGroup(group, "SIGKILL");
    });
  }
  liveGroups.add(pgid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/**
 * Runs a program to completion. Resolves with its exit code and bounded output whatever the code;
 * rejects with `CommandNotFoundError` if the program does not exist, and with `signal.reason`
 * when aborted — only after the child has exited and (unless `inheritStdio`) its whole process
 * group is gone or was sent SIGKILL, without waiting for what outside the group holds the output;
 * a `StepError` reason then comes back as a copy that names the marked processes left running.
 */
export async function runProcess(req: ProcessRequest): Promise<ProcessResult> {
  req.signal.throwIfAborted();
  assertDirectory(req.cwd);
  const interactive = req.inheritStdio === true;
  const maxCapture = Math.max(0, req.maxCapture ?? DEFAULT_MAX_CAPTURE);
  const stdoutCapture = new Capture(Math.floor(maxCapture / 2), maxCapture - Math.floor(maxCapture / 2));
  const stderrCapture = new Capture(0, maxCapture);
  // An exception from a callback or the log inside a stream handler would be uncaught; keep the
  // first one and rethrow it once the child has ended.
  let deferred: { error: unknown } | undefined;
  const guard = (action: () => void): void => {
    if (deferred) return;
    try {
      action();
    } catch (error) {
      deferred = { error };
    }
  };
  const onLine = req.onStdoutLine?.bind(req);
  const lines = onLine ? new LineSplitter((line) => guard(() => onLine(line))) : undefined;
  const log = req.log;
  const toLog = log ? (chunk: Buffer) => guard(() => log.write(chunk)) : undefined;

  const { execa } = await (execaModule ??= import("execa"));
  req.signal.throwIfAborted();
  const started = performance.now();
  const subprocess = execa(req.file, [...req.args], {
    cwd: req.cwd,
    env: { ...req.env, ...req.marks },
    extendEnv: true,
    detached: !interactive,
    // execa's exit hook never kills a detached child; ours (trackGroup) kills the whole group.
    cleanup: interactive,
    reject: false,
    buffer: false,
    ...(interactive
      ? // The agent's screen goes where a person sees it: stdout, or stderr when stdout is piped
        // (`cmc run --json > out.json` must hold only the JSON).
        { stdin: "inherit" as const, stdout: process.stdout.isTTY ? ("inherit" as const) : 2, stderr: "inherit" as const }
      : req.stdin !== undefined
        ? { input: req.stdin, stdout: "pipe" as const, stderr: "pipe" as const }
        : { stdin: "ignore" as const, stdout: "pipe" as const, stderr: "pipe" as const }),
  });

  let exited = false;
  const exit = new Promise<void>((resolve) =>
    subprocess.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const pid = subprocess.pid;
  // The promise below settles only once the child was reaped and its pipes closed; until then the
  // pid (or the group, whose id cannot be reused while any member lives) is safe to signal.
  let settled = false;
  if (pid !== undefined && !interactive) trackGroup(pid);

  subprocess.stdout?.on("data", (chunk: Buffer) => {
    toLog?.(chunk);
    stdoutCapture.push(chunk);
    lines?.push(chunk);
  });
  subprocess.stderr?.on("data", (chunk: Buffer) => {
    toLog?.(chunk);
    stderrCapture.push(chunk);
  });

  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  let onGroupEnded = (): void => {};
  const groupEnded = new Promise<undefined>((resolve) => (onGroupEnded = () => resolve(undefined)));
  const kill = (signal: NodeJS.Signals): void => {
    if (settled || pid === undefined) return;
    if (interactive) {
      if (!exited) subprocess.kill(signal);
    } else {
      signalGroup(pid, signal);
    }
  };
  const onAbort = (): void => {
    aborted = true;
    kill("SIGTERM");
    killTimer = setTimeout(() => kill("SIGKILL"), KILL_GRACE_MS);
    void exit
      .then(() => (pid !== undefined && !interactive ? waitForGroupToEnd(pid) : undefined))
      .then(() => new Promise((resolve) => setTimeout(resolve, PIPE_DRAIN_MS)))
      .then(onGroupEnded);
  };
  req.signal.addEventListener("abort", onAbort, { once: true });

  let result: Awaited<typeof subprocess>;
  // Whether, after an abort, something outside the killed group kept the output pipes open (which
  // `subprocess` would wait for).
  let outputHeld = false;
  try {
    result = await Promise.race([subprocess, groupEnded]).then(async (first) => {
      if (first !== undefined) return first;
      outputHeld = true;
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
      return subprocess;
    });
  } finally {
    settled = true;
    req.signal.removeEventListener("abort", onAbort);
    if (killTimer) clearTimeout(killTimer);
  }
  const duration = performance.now() - started;

  if (aborted) {
    if (pid !== undefined && !interactive) {
      await waitForGroupToEnd(pid);
      liveGroups.delete(pid);
    }
    throw escapedError(req.signal.reason, markedProcesses(req.marks), outputHeld, req.log);
  }
  if (pid !== undefined) liveGroups.delete(pid);

  if (result.exitCode === undefined && result.signal === undefined) {
    const cause = result.cause as NodeJS.ErrnoException | undefined;
    if (cause?.code === "ENOENT" || result.code === "ENOENT") throw new CommandNotFoundError(req.file);
    const why =
      cause?.code === "E2BIG"
        ? "its command line is longer than the system allows (128 KiB for one argument); pass large values on stdin: or in a file"
        : shorten(result.shortMessage ?? "", 300);
    throw new Error(`cannot run \`${req.file}\`: ${why}`, { cause });
  }
  lines?.end();
  if (deferred) throw deferred.error;
  return {
    code: result.exitCode ?? 128 + signalNumber(result.signal),
    stdout: stdoutCapture.text("middle"),
    stderr: stderrCapture.text("start"),
    duration,
    truncated: stdoutCapture.omitted > 0 || stderrCapture.omitted > 0,
    stdoutOmitted: stdoutCapture.omitted,
  };
}

/** The running processes carrying every variable of `marks` (none without marks), by pid. */
function markedProcesses(marks: Readonly<Record<string, string>> | undefined): number[] {
  const wanted = Object.entries(marks ?? {});
  if (wanted.length === 0) return [];
  return processesWhere((variable) => wanted.every(([name, value]) => variable(name) === value)).map((p) => p.pid);
}

/**
 * The abort's reason; when processes that left the step's group still run (`escaped`, found by the
 * marks) or something still held the output, that is said in the log and, for a step's own
 * failure (a timeout), in its message too.
 */
function escapedError(reason: unknown, escaped: readonly number[], outputHeld: boolean, log: StepLog | undefined): unknown {
  if (escaped.length === 0 && !outputHeld) return reason;
  const several = escaped.length > 1;
  const which = escaped.length === 0 ? "" : ` (${several ? "pids" : "pid"} ${escaped.join(", ")})`;
  const who = several ? "processes it started outside its process group" : "a process it started outside its process group";
  const what = outputHeld ? `${several ? "still hold" : "still holds"} its output and ${several ? "were" : "was"} left running` : `${several ? "were" : "was"} left running`;
  const note = `${who} ${what}${which}`;
  try {
    log?.write(`[cmc] ${note}\n`);
  } catch {
    // the log is best effort here: the step already ended
  }
  return reason instanceof StepError ? new StepError(reason.kind, `${reason.message}; ${note}`, reason.retryable, reason.cost) : reason;
}

/** `text` cut to `max` characters, with `…` where it was cut. */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function assertDirectory(cwd: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(cwd).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw new Error(`working directory \`${cwd}\` does not exist or is not a directory`);
}

function signalNumber(signal: string | undefined): number {
  const n = signal === undefined ? undefined : osConstants.signals[signal as NodeJS.Signals];
  return n ?? 0;
}

/**
 * After SIGTERM the leader may exit before its children do; wait (bounded) until nothing in the
 * group is still running, sending SIGKILL once the grace period is over.
 */
async function waitForGroupToEnd(pgid: number): Promise<void> {
  await waitUntilGone(() => groupIsRunning(pgid), () => signalGroup(pgid, "SIGKILL"));
}

/**
 * Polls `running` until it is false; once the grace period is over, calls `kill` (SIGKILL what
 * still runs) and gives up if something still runs at the next poll (uninterruptible sleep).
 */
export async function waitUntilGone(running: () => boolean, kill: () => void): Promise<void> {
  const deadline = Date.now() + KILL_GRACE_MS;
  let killed = false;
  while (running()) {
    if (Date.now() >= deadline) {
      if (killed) return;
      kill();
      killed = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Whether a member of the group is still running. Dead members whose parent died stay zombies
 * until init reaps them, which can take a while; on Linux `/proc` tells them apart.
 */
function groupIsRunning(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true; // no /proc: the group exists, assume something in it runs
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat?.pgrp === pgid && isRunningState(stat.state)) return true;
  }
  return false;
}

/** Keeps the first `headMax` and the last `tailMax` bytes of a stream. */
class Capture {
  private readonly head: Buffer[] = [];
  private headLength = 0;
  private tail: Buffer[] = [];
  private tailLength = 0;
  /** Bytes dropped between head and tail. */
  omitted = 0;

  constructor(
    private readonly headMax: number,
    private readonly tailMax: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.headLength < this.headMax) {
      const take = Math.min(this.headMax - this.headLength, chunk.length);
      this.head.push(Buffer.from(chunk.subarray(0, take)));
      this.headLength += take;
      chunk = chunk.subarray(take);
    }
    if (chunk.length === 0) return;
    if (chunk.length >= this.tailMax) {
      this.omitted += this.tailLength + chunk.length - this.tailMax;
      this.tail = this.tailMax > 0 ? [Buffer.from(chunk.subarray(chunk.length - this.tailMax))] : [];
      this.tailLength = this.tailMax;
      return;
    }
    this.tail.push(Buffer.from(chunk));
    this.tailLength += chunk.length;
    let excess = this.tailLength - this.tailMax;
    while (excess > 0) {
      const first = this.tail[0]!;
      if (first.length <= excess) {
        this.tail.shift();
        excess -= first.length;
        this.tailLength -= first.length;
        this.omitted += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailLength -= excess;
        this.omitted += excess;
        excess = 0;
      }
    }
    if (this.tail.length > 4096) this.tail = [Buffer.concat(this.tail)];
  }

  /** The kept text, with a marker line where bytes were dropped (`middle` or `start`). */
  text(markerAt: "middle" | "start"): string {
    const head = new StringDecoder("utf8").write(Buffer.concat(this.head)); // drops a cut-off last char
    if (this.omitted === 0) return head + Buffer.concat(this.tail).toString("utf8");
    const tail = skipContinuationBytes(Buffer.concat(this.tail)).toString("utf8");
    const marker = `[… ${this.omitted} bytes omitted; the step log has all of it …]\n`;
    switch (markerAt) {
      case "middle":
        return `${head}${head.endsWith("\n") || head === "" ? "" : "\n"}${marker}${tail}`;
      case "start":
        return marker + head + tail;
    }
  }
}

/** Drops the UTF-8 continuation bytes a cut left at the start of a buffer. */
function skipContinuationBytes(buffer: Buffer): Buffer {
  let start = 0;
  while (start < buffer.length && start < 3 && (buffer[start]! & 0xc0) === 0x80) start++;
  return buffer.subarray(start);
}

/** Splits a byte stream into text lines across chunk boundaries (UTF-8 safe). */
class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private pending = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    let start = 0;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      this.emit(this.pending + text.slice(start, newline));
      this.pending = "";
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    if (this.pending.length < MAX_LINE) this.pending += text.slice(start, start + MAX_LINE - this.pending.length);
  }

  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = "";
    if (rest !== "") this.emit(rest);
  }

  private emit(line: string): void {
    this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
}

/**
 * What an action gets and gives. An action receives resolved inputs and a cancel signal and
 * returns a result; it never writes the journal (the scheduler does).
 */

import type { Tokens } from "../agents/types.js";

/** The step's log file under `.cmc/logs/`; everything the step prints goes here unbounded. */
export interface StepLog {
  write(chunk: string | Uint8Array): void;
}

export interface ActionContext {
  /**
   * Aborted on timeout or cancellation, with a `StepError` as `signal.reason`. An action then
   * kills everything it started (the whole process group) and rejects with `signal.reason`, or
   * with a copy of that `StepError` whose message names what it started outside its group.
   */
  readonly signal: AbortSignal;
  readonly log: StepLog;
  /** The absolute workspace folder (where `cmc run` started); relative paths resolve against it. */
  readonly workspace: string;
  /** `--allow-outside`: paths outside the workspace are allowed. */
  readonly allowOutside: boolean;
  /**
   * Variables set for every process the step starts, over the inherited environment and the step's
   * own `env:`: `CMC_RUN_ID`, `CMC_STEP` and `CMC_RUN_STORE`. They also mark the processes as this run's, so that
   * a resume can stop what a killed driver left running (`leftover-processes.ts`).
   */
  readonly processEnv: Readonly<Record<string, string>>;
  /** Live progress of a step, e.g. an agent's messages or cost so far (optional to call). */
  progress?(update: { readonly message?: string; readonly cost?: number; readonly tokens?: Tokens }): void;
}

export interface ShellRequest {
  /** A command for `/bin/sh -c` (quoting already applied), or an argv run without a shell. */
  readonly command: string | readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly stdin?: string;
  /** With `check: true` a non-zero exit fails the step (StepError kind `failed`). */
  readonly check: boolean;
}

/** `Shell` of LANGUAGE.md §6.1; `duration` in milliseconds; stdout/stderr bounded (the log has it all). */
export interface ShellResult {
  readonly ok: boolean;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly duration: number;
}

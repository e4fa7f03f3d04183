/** What `cmc doctor` finds: one check per agent CLI and per part of the machine, each with its fix. */

/** `ok`; `warn`: works, but worth knowing; `fail`: something cmc needs is broken; `absent`: not installed and not needed. */
export type CheckStatus = "ok" | "warn" | "fail" | "absent";

export interface Check {
  /** What was checked: `claude`, `node`, `store`, `disk`, `run 3mknwkzk`. */
  readonly name: string;
  readonly status: CheckStatus;
  /** One line of what was found. */
  readonly summary: string;
  /** The exact thing to do about it, when there is something to do. */
  readonly fix?: string;
}

export interface AgentCheck extends Check {
  /** The program run, and where it was found. */
  readonly program: string;
  readonly path: string | null;
  readonly version: string | null;
  /** Whether `version` is one cmc's adapter was verified with. */
  readonly verified: boolean;
  readonly verifiedVersions: readonly string[];
  /** `yes`, `no`, `unknown`, or null when the CLI is not installed. */
  readonly loggedIn: "yes" | "no" | "unknown" | null;
  /** Whether the project's cmc.json names this agent (then a missing CLI is a failure). */
  readonly used: boolean;
}

export interface DoctorReport {
  /** No check failed (warnings allowed): also the exit code, 0 or 1. */
  readonly ok: boolean;
  readonly agents: readonly AgentCheck[];
  readonly system: readonly Check[];
}

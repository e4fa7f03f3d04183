/**
 * What every command shares with `main.ts`: the exit codes, the usage error and the global flags.
 * Kept apart from `main.ts`, which loads the commands, so that no command imports it back.
 *
 * Exit codes (LANGUAGE.md §8): 0 ok, 1 failed or check errors, 2 usage or compile error,
 * 3 parked (waiting or escalated), 74 the store cannot be used (a full disk, damage), 130 interrupted.
 */

/** The exit codes of `cmc`. */
export const EXIT = { ok: 0, failed: 1, usage: 2, parked: 3, store: 74, interrupted: 130 } as const;

/** Thrown by command handlers for a bad flag value or input: printed as a usage error, exit 2. */
export class UsageError extends Error {}

/** The flags every command takes. */
export interface GlobalOptions {
  store?: string;
}

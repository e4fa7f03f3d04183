/**
 * POSIX shell quoting for values spliced into an `sh` command, so a value can never inject
 * shell syntax (LANGUAGE.md §6.1).
 */

// No `=`: a bare `NAME=value` in command position would be an assignment, not a word.
const SAFE = /^[A-Za-z0-9_@%+:,./-]+$/;

/**
 * Quotes `value` as one word for `/bin/sh`: safe strings stay bare, anything else is wrapped in
 * single quotes with each `'` written as `'\''`; the empty string becomes `''`.
 */
export function shellQuote(value: string): string {
  if (SAFE.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

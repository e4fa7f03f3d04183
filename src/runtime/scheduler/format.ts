/** How runtime values become text inside `${…}` and on the terminal. */

const UNITS: readonly [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
];

const UNIT_MS: Readonly<Record<string, number>> = { ...Object.fromEntries(UNITS), ms: 1 };
const DURATION_TEXT = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/**
 * Milliseconds of a duration written as text: `30s`, `20m`, `1.5h`, or compound as
 * {@link formatDuration} writes it, `1m30s` (spaces allowed: `1h 30m`); undefined when it is not one.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.replace(/\s+/g, "");
  if (!DURATION_TEXT.test(trimmed)) return undefined;
  let ms = 0;
  for (const [, n, unit] of trimmed.matchAll(DURATION_PART)) ms += Number(n) * (UNIT_MS[unit as string] ?? 1);
  return Math.round(ms);
}

/**
 * `1234567` → `1,234,567`, as `toLocaleString("en-US")` writes an integer, without loading ICU's
 * number formatting (≈ 12 ms the first time in a process).
 */
export function formatCount(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ",") : n.toLocaleString("en-US");
}

/** `1200000` → `20m`, `90000` → `1m30s`, `1500` → `1s500ms`, `0` → `0s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  // Durations print to the millisecond: `1ms / 3` is `0s`, not nothing.
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return "0s";
  let out = ms < 0 ? "-" : "";
  for (const [unit, size] of UNITS) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest > 0) out += `${rest}ms`;
  return out;
}

/** Text of a value interpolated with `as: "text"`: strings as they are, `none` as `none`, other values as JSON. */
export function formatValue(value: unknown, as: "text" | "duration" = "text"): string {
  if (as === "duration" && typeof value === "number") return formatDuration(value);
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "none";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

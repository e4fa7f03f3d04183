/** Classifies a number token: an `int`, a `float`, a duration (`500ms`, `1.5h`), or invalid (`5x`). */

/** Milliseconds in one unit of each duration suffix. */
export const durationUnits: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export type NumberClass =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "duration"; readonly ms: number }
  | { readonly kind: "invalid"; readonly value: number; readonly suffix: string };

/** Classifies the image of a NumberLiteral token. */
export function classifyNumber(image: string): NumberClass {
  const m = /^([0-9]+)(\.[0-9]+)?(.*)$/s.exec(image);
  if (m === null) return { kind: "invalid", value: 0, suffix: image };
  const digits = m[1]! + (m[2] ?? "");
  const value = Number(digits);
  const suffix = m[3] ?? "";
  if (suffix === "") return m[2] === undefined ? { kind: "int", value } : { kind: "float", value };
  const unit = durationUnits[suffix];
  if (unit === undefined) return { kind: "invalid", value, suffix };
  return { kind: "duration", ms: Math.round(value * unit) };
}

/**
 * A bound on how deeply a JSON value from outside a program (`json(text)`, an agent's structured
 * reply, an input) may nest. The store encodes values recursively, so a document nested thousands
 * deep would overflow the stack when its step's result is journaled; it is refused where it enters.
 */

/** The deepest nesting of lists and records accepted. */
export const MAX_JSON_DEPTH = 256;

/** Whether `value` nests lists and records deeper than {@link MAX_JSON_DEPTH} (checked without recursion). */
export function nestsTooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [v, depth] = next;
    if (v === null || typeof v !== "object") continue;
    if (depth > MAX_JSON_DEPTH) return true;
    for (const item of Object.values(v)) stack.push([item, depth + 1]);
  }
  return false;
}

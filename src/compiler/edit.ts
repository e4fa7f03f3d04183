/** The one edit that turns a text into another: what an editor's change did, found from the two texts. */

/** `before[from, oldEnd)` became `after[from, newEnd)`; the rest of both is the same. */
export interface TextEdit {
  readonly from: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** The shortest edit that turns `before` into `after` (common prefix and suffix found by binary search). */
export function editBetween(before: string, after: string): TextEdit {
  const shortest = Math.min(before.length, after.length);
  const from = longest(shortest, (n) => after.startsWith(before.slice(0, n)));
  const tail = longest(shortest - from, (n) => after.endsWith(before.slice(before.length - n)));
  return { from, oldEnd: before.length - tail, newEnd: after.length - tail };
}

/** The largest `n` ≤ `most` for which `holds(n)`, given that it holds for every smaller one. */
function longest(most: number, holds: (n: number) => boolean): number {
  let lo = 0;
  let hi = most;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (holds(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The one edit that turns a text into another: what an editor's change did, found from the two texts. */

/** `before[from, oldEnd)` became `after[from, newEnd)`; the rest of both is the same. */
export interface TextEdit {
  readonly from: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** The shortest edit that turns `before` into `after`. */
export function editBetween(before: string, after: string): TextEdit {
  const shortest = Math.min(before.length, after.length);
  const from = common(shortest, (n, k) => after.startsWith(before.slice(n, n + k), n));
  const tail = common(shortest - from, (n, k) => after.endsWith(before.slice(before.length - n - k, before.length - n), after.length - n));
  return { from, oldEnd: before.length - tail, newEnd: after.length - tail };
}

/**
 * How many characters (at most `most`) two texts have in common, given `same(n, k)`: whether the
 * `k` characters after the first `n` are the same. Chunks that grow while they match and halve when
 * they do not, so strings are compared in the engine, not a character at a time in JavaScript.
 */
function common(most: number, same: (n: number, k: number) => boolean): number {
  let n = 0;
  let k = 64;
  while (n < most) {
    k = Math.min(k, most - n);
    if (same(n, k)) {
      n += k;
      k *= 2;
    } else if (k > 1) k >>= 1;
    else break;
  }
  return n;
}

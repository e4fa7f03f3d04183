/** Short run ids: 8 lowercase base36 characters, a time-ordered prefix and a random tail. */
import { randomInt } from "node:crypto";

const EPOCH_MS = Date.UTC(2025, 0, 1);
/** Five base36 digits of 10-second ticks last 36^5 × 10 s ≈ 19 years from the epoch. */
const TICK_MS = 10_000;
const TIME_DIGITS = 5;
const RANDOM_DIGITS = 3;

/**
 * A fresh id such as `0k3f2x9a`: 5 characters of time (10-second ticks since 2025) followed by 3
 * random ones, so ids sort roughly by creation. Uniqueness is enforced by the store, which draws
 * again on a clash.
 */
export function newRunId(now: number = Date.now()): string {
  const span = 36 ** TIME_DIGITS;
  const ticks = Math.floor((now - EPOCH_MS) / TICK_MS);
  const time = (((ticks % span) + span) % span).toString(36).padStart(TIME_DIGITS, "0");
  const random = randomInt(36 ** RANDOM_DIGITS).toString(36).padStart(RANDOM_DIGITS, "0");
  return time + random;
}

/**
 * Waiting any duration a program can write. One Node.js timer fires at once when asked for more than
 * 2^31 − 1 ms (about 24.8 days), so a `timeout: 30d` gate would decide itself on the spot; longer
 * waits chain timers.
 */

/** The longest delay one Node.js timer takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `fn` once `ms` have passed, however long that is; `cancel` stops it. */
export function after(ms: number, fn: () => void): { cancel(): void } {
  let timer: NodeJS.Timeout;
  const arm = (left: number): void => {
    timer = setTimeout(() => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : fn()), Math.min(Math.max(0, left), MAX_TIMER_MS));
  };
  arm(ms);
  return { cancel: () => clearTimeout(timer) };
}

/** Time as the scheduler sees it: the system's, or a test's that moves only when told. */
export interface Clock {
  now(): number;
  /** Calls `fn` once `ms` have passed; `cancel` stops it. */
  after(ms: number, fn: () => void): { cancel(): void };
}

export const systemClock: Clock = { now: () => Date.now(), after };

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal, clock: Clock = systemClock): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      timer.cancel();
      reject(signal.reason);
    };
    const timer = clock.after(ms, () => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

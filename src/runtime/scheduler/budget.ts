/**
 * `--budget USD` as reservations (docs/language.md, Runtime): an agent attempt reserves what it is
 * expected to cost before it starts and settles to what it really cost when it ends, so parallel
 * asks cannot all start at a cost of 0 and all spend.
 */
import { StepError } from "../errors.js";

export class Budget {
  /** Reserved by the attempts in flight. */
  private reserved = 0;
  private inFlight = 0;
  /** The highest cost one attempt has reported in this process: the estimate of the next one. */
  private highest = 0;
  /** An attempt has ended, so `highest` is known (an agent that reports no cost costs 0). */
  private known = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly limit: number,
    /** What the run has spent so far (every settled attempt, and earlier drivers'). */
    private readonly spent: () => number,
  ) {}

  /**
   * Waits until an attempt expected to cost `cap` (its own spending cap, if it has one) fits:
   * the spent cost plus the reservations in flight plus this estimate stay within the limit. The
   * estimate is `cap`, else the highest cost seen, else unknown: then the attempt runs alone. With
   * nothing in flight an attempt starts while the budget is not spent, as a sequential step would.
   * Fails with kind `budget` once the budget is spent; rejects with `signal.reason` when aborted.
   * Resolves with the amount reserved, for `settle`.
   */
  async reserve(cap: number | undefined, signal: AbortSignal): Promise<number> {
    for (;;) {
      signal.throwIfAborted();
      const spent = this.spent();
      if (spent >= this.limit) {
        throw new StepError("budget", `the run's budget of $${this.limit} is spent ($${spent.toFixed(4)})`, false);
      }
      const estimate = cap ?? (this.known ? this.highest : undefined);
      if (this.inFlight === 0 || (estimate !== undefined && spent + this.reserved + estimate <= this.limit)) {
        const amount = estimate ?? this.limit - spent;
        this.reserved += amount;
        this.inFlight++;
        return amount;
      }
      await this.change(signal);
    }
  }

  /** An attempt that reserved `amount` ended having cost `cost` (already counted in `spent`). */
  settle(amount: number, cost: number): void {
    this.reserved -= amount;
    this.inFlight--;
    this.highest = Math.max(this.highest, cost);
    this.known = true;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves at the next `settle`. */
  private change(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(wake);
        reject(signal.reason);
      };
      const wake = (): void => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      this.waiters.add(wake);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

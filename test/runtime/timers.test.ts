/** Waits longer than one Node.js timer can hold (2^31 − 1 ms, about 24.8 days). */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { after, sleep } from "../../src/runtime/scheduler/timers.js";

const DAY = 86_400_000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("after", () => {
  it("fires a 30-day wait after 30 days, not at once", () => {
    const fired = vi.fn();
    after(30 * DAY, fired);
    vi.advanceTimersByTime(29 * DAY);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(DAY);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it("can be cancelled between its chained timers", () => {
    const fired = vi.fn();
    const wait = after(60 * DAY, fired);
    vi.advanceTimersByTime(26 * DAY);
    wait.cancel();
    vi.advanceTimersByTime(60 * DAY);
    expect(fired).not.toHaveBeenCalled();
  });
});

describe("sleep", () => {
  it("resolves after a 25-day backoff and rejects with the reason when aborted", async () => {
    let done = false;
    void sleep(25 * DAY, new AbortController().signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(24 * DAY);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(done).toBe(true);

    const controller = new AbortController();
    const stopped = sleep(25 * DAY, controller.signal);
    controller.abort(new Error("cancelled"));
    await expect(stopped).rejects.toThrow("cancelled");
  });
});

/** `--budget` reservations: who may start, who waits, who fails. */
import { describe, expect, it } from "vitest";
import { StepError } from "../../src/runtime/errors.js";
import { Budget } from "../../src/runtime/scheduler/budget.js";

const never = new AbortController().signal;

/** Whether `p` has settled after the pending callbacks ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
}

describe("Budget", () => {
  it("runs the first attempt alone while no cost is known, then reserves the highest cost seen", async () => {
    let spent = 0;
    const budget = new Budget(1, () => spent);
    const first = await budget.reserve(undefined, never);
    expect(first).toBe(1);
    const second = budget.reserve(undefined, never);
    expect(await settled(second)).toBe(false);
    spent = 0.3;
    budget.settle(first, 0.3);
    expect(await second).toBe(0.3);
    // 0.3 spent + 0.3 reserved + 0.3 estimated fits in 1; a fourth would not.
    expect(await budget.reserve(undefined, never)).toBe(0.3);
    const fourth = budget.reserve(undefined, never);
    expect(await settled(fourth)).toBe(false);
  });

  it("lets attempts of an agent that reports no cost run side by side once one has ended", async () => {
    const budget = new Budget(1, () => 0);
    budget.settle(await budget.reserve(undefined, never), 0);
    const all = await Promise.all([1, 2, 3, 4].map(() => budget.reserve(undefined, never)));
    expect(all).toEqual([0, 0, 0, 0]);
  });

  it("takes an agent's own spending cap as its estimate", async () => {
    const budget = new Budget(1, () => 0);
    expect(await budget.reserve(0.4, never)).toBe(0.4);
    expect(await budget.reserve(0.4, never)).toBe(0.4);
    expect(await settled(budget.reserve(0.4, never))).toBe(false);
  });

  it("fails with kind budget once it is spent, and a waiting attempt when the budget runs out meanwhile", async () => {
    let spent = 0;
    const budget = new Budget(0.5, () => spent);
    const first = await budget.reserve(0.4, never);
    const waiting = budget.reserve(0.4, never);
    spent = 0.6;
    budget.settle(first, 0.6);
    await expect(waiting).rejects.toMatchObject({ kind: "budget", retryable: false });
    await expect(budget.reserve(undefined, never)).rejects.toBeInstanceOf(StepError);
  });

  it("stops waiting when its signal aborts", async () => {
    const budget = new Budget(1, () => 0);
    await budget.reserve(undefined, never);
    const controller = new AbortController();
    const waiting = budget.reserve(undefined, controller.signal);
    controller.abort(new Error("timed out"));
    await expect(waiting).rejects.toThrow("timed out");
  });
});

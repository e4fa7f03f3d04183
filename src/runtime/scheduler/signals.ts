/** Control-flow outcomes that travel up the driver as exceptions. None of them is caught by `try/catch`. */
import type { RunError } from "../store/types.js";

/** A step (or `fail`, or an exhausted loop) failed for good: what a `catch e` block receives. */
export class StepFailure extends Error {
  constructor(readonly failure: RunError) {
    super(failure.message);
    this.name = "StepFailure";
  }
}

/** The run must stop and wait for a person: an `approve` gate or an `escalate`. */
export class Park extends Error {
  constructor(readonly status: "waiting" | "escalated") {
    super(status);
    this.name = "Park";
  }
}

/** The driving process was interrupted (Ctrl-C): stop now, leave the run resumable. */
export class Interrupted extends Error {
  constructor() {
    super("interrupted");
    this.name = "Interrupted";
  }
}

/** The run was cancelled (`cmc cancel`). */
export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

/** `return expr` unwinding to its workflow. */
export class Returned {
  constructor(readonly value: unknown) {}
}

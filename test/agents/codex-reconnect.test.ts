/**
 * codex-cli 0.171.0 prints an `error` event when a stream fails and it reconnects ("Reconnecting...
 * 1/5"); when the turn then completes, the ask succeeds. (The real CLI doing so is in
 * test/conformance/codex.test.ts.)
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ask } from "../../src/runtime/agents/index.js";
import { agent, makeContext, request, useStandIns } from "./helpers.js";

beforeEach(() => useStandIns());

describe("codex adapter", () => {
  it("succeeds when a turn completes after an error event, and fails on an error event no turn completed after", async () => {
    const reply = await ask(agent("codex"), request("Go @RECONNECT"), makeContext());
    expect(reply.text).toBe("codex reply: Go @RECONNECT");
    await expect(ask(agent("codex"), request("Go @ERROREVENT"), makeContext())).rejects.toThrow("codex: model gpt-9 does not exist");
  });
});

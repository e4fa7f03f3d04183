/**
 * Codex reports a resumed thread's usage as a running total (codex-cli 0.171.0): each ask must
 * count its own turn once, also when the run was continued by a fresh `cmc resume`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ask } from "../../src/runtime/agents/index.js";
import type { RunJson } from "../runtime/workspace.js";
import { exampleWorkspace, type ExampleWorkspace } from "../examples/harness.js";
import { agent, makeContext, request, useStandIns } from "./helpers.js";

// The codex stand-in uses 200 input and 30 output tokens a turn and keeps thread totals in $CODEX_HOME.
let codexHome: string;
beforeEach(() => {
  useStandIns();
  codexHome = mkdtempSync(join(tmpdir(), "cmc-codex-home-"));
  process.env.CODEX_HOME = codexHome;
});
afterEach(() => {
  delete process.env.CODEX_HOME;
  rmSync(codexHome, { recursive: true, force: true });
});

describe("codex adapter", () => {
  it("takes the tokens already counted in a resumed thread off the thread's running total", async () => {
    const first = await ask(agent("codex"), request("Plan it"), makeContext());
    expect(first.tokens).toEqual({ input: 200, output: 30 });
    const counted = { ...first.tokens };
    const second = await ask(agent("codex"), request("Do it", { session: first.session, sessionTokens: counted }), makeContext());
    expect(second.tokens).toEqual({ input: 200, output: 30 });
  });

  it("counts the whole thread when nothing of it was counted before (a session from outside the run)", async () => {
    const first = await ask(agent("codex"), request("Plan it"), makeContext());
    const second = await ask(agent("codex"), request("Do it", { session: first.session }), makeContext());
    expect(second.tokens).toEqual({ input: 400, output: 60 });
  });
});

describe("a workflow that continues a codex session", () => {
  let ws: ExampleWorkspace;
  beforeEach(() => {
    ws = exampleWorkspace();
  });
  afterEach(() => ws.remove());

  it("counts each turn once, also in asks run by a later cmc resume", async () => {
    ws.write(
      "resume.cm",
      `import { codex } from "std/agents"

      workflow main() -> list<int> {
        agent coder = codex()
        step first = coder.ask("Write the plan")
        step gate = approve("Go on?")
        step second = coder.ask("Now do it", session: first.session)
        step third = coder.ask("And test it", session: second.session)
        return [first.tokens.input, first.tokens.output, second.tokens.input, second.tokens.output, third.tokens.input, third.tokens.output]
      }`,
    );
    const parked = await ws.run(["run", "resume.cm", "--json"]);
    expect(parked.code, parked.stderr).toBe(3);
    const { final, code } = await ws.drive(parked, () => ({ approve: true }));
    expect(code, JSON.stringify(final)).toBe(0);
    expect(final.result).toEqual([200, 30, 200, 30, 200, 30]);
    expect((final as RunJson & { tokens: unknown }).tokens).toEqual({ input: 600, output: 90 });
  });
});

/** examples/supervised.cm: agents work unattended, and only the sign-off waits for a person. */
import { afterEach, beforeEach, expect, it } from "vitest";
import { exampleWorkspace, npmProject, type ExampleWorkspace } from "./harness.js";

let ws: ExampleWorkspace;
beforeEach(() => {
  ws = exampleWorkspace("supervised.cm");
  npmProject(ws, `assert.ok(require("./src/csv.js").toCsv([["a", 1]]) === "a,1");`);
  ws.replies([
    // Only a prompt that carries the passing test output gets a review.
    {
      when: "all tests pass",
      json: { summary: "Adds toCsv() with a test", risk: "low", concerns: ["no quoting of commas"], changelog: "Invoices can be exported as CSV" },
    },
    // After the review's entry: the review prompt quotes the coder's reply, which echoes this prompt.
    { when: "Implement this issue: Export invoices as CSV", files: { "src/csv.js": `exports.toCsv = (rows) => rows.map((r) => r.join(",")).join("\\n");\n` } },
  ]);
});
afterEach(() => ws.remove());

const start = () => ws.run(["run", "examples/supervised.cm", "--input", "issue=Export invoices as CSV", "--json"]);

it("runs the agents and tests unattended, then waits only at the sign-off; approving adds the changelog entry", async () => {
  const first = await start();
  expect(first.code, first.stderr).toBe(3);
  const parked = ws.json(first);
  expect(parked.steps.map((s) => `${s.id}:${s.status}`)).toEqual(["work:succeeded", "tests:succeeded", "review:succeeded", "signoff:waiting"]);
  expect(await ws.pending(parked.run)).toEqual(["signoff"]);
  expect(ws.has("CHANGELOG.md")).toBe(false);

  const { final, code } = await ws.drive(first, () => ({ approve: true, reason: "ship it" }));
  expect(code).toBe(0);
  expect(final.result).toEqual({ risk: "low", changelog: "Invoices can be exported as CSV" });
  expect(final.steps.map((s) => s.id)).toEqual(["work", "tests", "review", "signoff", "changelog"]);
  expect(ws.read("CHANGELOG.md")).toBe("- Invoices can be exported as CSV\n");
  expect(ws.invocations().map((c) => [c.cli, c.argv.slice(0, 2).join(" ")])).toEqual([
    ["codex", "exec --json"],
    ["gemini", "-p "],
  ]);
  expect(ws.invocations()[0]?.argv).toEqual(expect.arrayContaining(["-m", "gpt-5-codex", "-s", "workspace-write", "-c", 'model_reasoning_effort="high"']));
});

it("fails with the person's reason when the sign-off is rejected, and writes no changelog entry", async () => {
  const { final, code } = await ws.drive(await start(), () => ({ approve: false, reason: "needs CSV quoting first" }));
  expect(code).toBe(1);
  expect(final.status).toBe("failed");
  expect(final.error?.kind).toBe("failed");
  expect(final.error?.message).toContain("was not signed off: needs CSV quoting first");
  expect(ws.has("CHANGELOG.md")).toBe(false);
});

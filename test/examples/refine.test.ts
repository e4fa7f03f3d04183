/** examples/refine.cm: a writer improves a document until a shell check and a critic's score both pass. */
import { afterEach, beforeEach, expect, it } from "vitest";
import { exampleWorkspace, type ExampleWorkspace } from "./harness.js";

let ws: ExampleWorkspace;
const doc = "docs/getting-started.md";
const v1 = "# Getting started\n\nInstall it.\n";
const v2 = `# Getting started\n\nnpm install -g cmc\n\nExample: npx cmc run examples/hello.cm --input name=you ${"prints a greeting, ".repeat(5)}\n`;
const v3 = "# Getting started\n\nnpm install -g cmc\n\nExample:\n\n    npx cmc run examples/hello.cm --input name=you\n\nSee also: docs/language.md\n";

beforeEach(() => {
  ws = exampleWorkspace("refine.cm");
  ws.write(doc, "# Getting started\n");
  ws.replies([
    // The writer's rounds, chosen by the critic's last weaknesses.
    { when: "What the critic asked for last time: line 5 is over 120 characters", files: { [doc]: v3 } },
    { when: "What the critic asked for last time: no working example; too terse", files: { [doc]: v2 } },
    { when: "What the critic asked for last time: nothing yet", files: { [doc]: v1 } },
    // The critic's grades, chosen by the document it reads.
    { when: "See also: docs/language.md", json: { score: 9, weaknesses: ["could link the FAQ"] } },
    { when: "npx cmc run", json: { score: 9, weaknesses: ["line 5 is over 120 characters"] } },
    { when: "Install it.", json: { score: 5, weaknesses: ["no working example", "too terse"] } },
  ]);
});
afterEach(() => ws.remove());

it("keeps refining while the critic's score or the line-length check fails, feeding each round's weaknesses to the writer", async () => {
  const r = await ws.run(["run", "examples/refine.cm", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const out = ws.json(r);
  expect(out.result).toEqual({ score: 9, doc: v3 });
  // Round 1 scores too low; round 2 scores high but fails the check; round 3 passes both.
  expect(out.steps.map((s) => s.id)).toEqual(["improve#0", "lint#0", "grade#0", "improve#1", "lint#1", "grade#1", "improve#2", "lint#2", "grade#2"]);
  expect(ws.read(doc)).toBe(v3);
  const calls = ws.invocations();
  expect(calls.map((c) => c.cli)).toEqual(["cursor-agent", "claude", "cursor-agent", "claude", "cursor-agent", "claude"]);
  expect(calls[0]?.argv).toEqual(expect.arrayContaining(["--model", "gpt-5", "--force"]));
  expect(calls[1]?.argv).toEqual(expect.arrayContaining(["--max-turns", "4", "--permission-mode", "plan"]));
});

it("fails with the last score and weaknesses when the rounds run out", async () => {
  const r = await ws.run(["run", "examples/refine.cm", "--input", "rounds=1", "--json"]);
  expect(r.code).toBe(1);
  const out = ws.json(r);
  expect(out.error?.kind).toBe("failed");
  expect(out.error?.message).toBe(`${doc} still scores 5 (target 8) after 1 rounds: no working example; too terse`);
});

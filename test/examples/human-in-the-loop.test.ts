/** examples/human-in-the-loop.cm in `--mode interactive`: nothing starts before a person approves it. */
import { afterEach, expect, it } from "vitest";
import { exampleWorkspace, npmProject, type ExampleWorkspace } from "./harness.js";

let ws: ExampleWorkspace;
afterEach(() => ws.remove());

const survey = {
  summary: "billing.js mixes parsing, pricing and formatting",
  smells: ["invoice() is 120 lines", "prices are parsed in three places"],
  plan: ["Extract parsePrice()", "Split invoice() into price() and format()"],
};

it("parks before every step until a person approves it, continues the agent's session, and ends with the sign-off", async () => {
  ws = exampleWorkspace("human-in-the-loop.cm");
  npmProject(ws, `assert.equal(1 + 1, 2);`);
  ws.replies([
    { when: "Read the code under `src/billing`", json: survey },
    { when: "Carry out the plan you proposed for `src/billing`", files: { "src/billing/price.js": "exports.parsePrice = Number;\n" } },
  ]);

  const first = await ws.run(["run", "examples/human-in-the-loop.cm", "--mode", "interactive", "--input", "module=src/billing", "--json"]);
  expect(first.code, first.stderr).toBe(3);
  const seen: string[] = [];
  const { final, code, decided } = await ws.drive(first, (key) => {
    // What ran before each decision: only the steps approved so far.
    seen.push(`${key}: ${ws.invocations().length} agent calls, price.js ${ws.has("src/billing/price.js") ? "written" : "absent"}`);
    return { approve: true, reason: key === "signoff" ? "clean split" : "" };
  });
  expect(decided).toEqual(["survey@start", "change@start", "tests@start", "signoff"]);
  expect(seen).toEqual([
    "survey@start: 0 agent calls, price.js absent",
    "change@start: 1 agent calls, price.js absent",
    "tests@start: 2 agent calls, price.js written",
    "signoff: 2 agent calls, price.js written",
  ]);
  expect(code, JSON.stringify(final.error)).toBe(0);
  expect(final.result).toEqual({ summary: survey.summary, smells: survey.smells, tests: true });
  expect(final.steps.map((s) => `${s.id}:${s.status}`)).toEqual(["survey:succeeded", "change:succeeded", "tests:succeeded", "signoff:succeeded"]);

  const [surveyCall, changeCall] = ws.invocations();
  expect(surveyCall?.argv).toEqual(
    expect.arrayContaining(["--model", "sonnet", "--permission-mode", "acceptEdits", "--allowedTools", "Read,Grep,Edit,Bash(npm test)", "--json-schema"]),
  );
  expect(surveyCall?.argv).not.toContain("--resume");
  // The change continues the survey's conversation: the stand-in's default session id.
  expect(changeCall?.argv).toEqual(expect.arrayContaining(["--resume", "5f0c2d1e-0000-4000-8000-00000000c1a0"]));
});

/** examples/autonomous.cm in `--mode autonomous`: one run, no person, std/patterns doing the loops. */
import { afterEach, expect, it } from "vitest";
import { exampleWorkspace, npmProject, type ExampleWorkspace } from "./harness.js";

let ws: ExampleWorkspace;
afterEach(() => ws.remove());

it("resolves the TODOs the triager picks, lets the fixer repair the broken test, and passes the quality gate without stopping", async () => {
  ws = exampleWorkspace("autonomous.cm");
  ws.write("src/math.js", "// TODO: return 0 for an empty list\nexports.sum = (xs) => xs.reduce((a, b) => a + b);\n");
  ws.write("src/text.js", "// TODO: trim the name\nexports.greet = (name) => \"hello \" + name;\n");
  ws.write("src/legacy.js", "// TODO: rewrite the parser\nexports.parse = JSON.parse;\n");
  npmProject(
    ws,
    `const { sum } = require("./src/math.js");
const { greet } = require("./src/text.js");
assert.equal(sum([]), 0);
assert.equal(sum([1, 2]), 3);
assert.equal(greet(" ada "), "hello ada");`,
  );
  ws.replies([
    { when: "The command `npm test` fails", files: { "src/text.js": 'exports.greet = (name) => "hello " + name.trim();\n' } },
    { when: "Resolve the TODO at src/math.js:1", files: { "src/math.js": "exports.sum = (xs) => xs.reduce((a, b) => a + b, 0);\n" } },
    // A slip the test suite catches: the space after "hello" is gone.
    { when: "Resolve the TODO at src/text.js:1", files: { "src/text.js": 'exports.greet = (name) => "hello" + name.trim();\n' } },
    {
      when: "Here are the TODO comments in this repository:\nsrc/",
      json: {
        todos: [
          { file: "src/math.js", line: 1, text: "return 0 for an empty list" },
          { file: "src/text.js", line: 1, text: "trim the name" },
        ],
        skipped: 1,
      },
    },
  ]);

  const r = await ws.run(["run", "examples/autonomous.cm", "--mode", "autonomous", "--input", "limit=2", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const out = ws.json(r);
  expect(out.result).toEqual({ resolved: 2, skipped: 1, checks: 2 });
  expect(out.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
    "todos:succeeded",
    "triage:succeeded",
    "resolve[0]:succeeded",
    "resolve[1]:succeeded",
    "green:succeeded",
    "green/test#0:succeeded",
    "green/fix#0:succeeded",
    "green/test#1:succeeded",
    "gate:succeeded",
    "gate/check[0]:succeeded",
    "gate/check[1]:succeeded",
  ]);
  expect(ws.read("src/math.js")).not.toContain("TODO");
  expect(ws.read("src/text.js")).toBe('exports.greet = (name) => "hello " + name.trim();\n');
  expect(ws.read("src/legacy.js")).toContain("TODO");

  const calls = ws.invocations();
  expect(calls.map((c) => c.cli)).toEqual(["opencode", "codex", "codex", "codex"]);
  expect(calls[0]?.argv).toEqual(["run", "--format", "json", "-m", "anthropic/claude-sonnet-4-5", "--agent", "plan"]);
  expect((await ws.run(["status", out.run])).stdout).toMatch(/mode +autonomous/);
});

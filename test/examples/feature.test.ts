/** examples/feature.cm runs end to end: a rejected plan, an approved one, parallel builds, tests and docs, a fix. */
import { afterEach, expect, it } from "vitest";
import { exampleWorkspace, npmProject, type ExampleWorkspace } from "./harness.js";

let ws: ExampleWorkspace;
afterEach(() => ws.remove());

const onePlan = { summary: "Login in one go", tasks: [{ title: "Add login and sessions", files: ["src/login.js"] }] };
const twoPlans = {
  summary: "Login route and session store, built separately",
  tasks: [
    { title: "Add the login route", files: ["src/login.js"] },
    { title: "Add the session store", files: ["src/session.js"] },
  ],
};

it("plans until a person approves, builds each task in parallel, writes tests and docs, and fixes the code until npm test passes", async () => {
  ws = exampleWorkspace("feature.cm");
  ws.write("docs/api-standards.md", "# API standards\n\n- Use camelCase JSON fields.\n- Every route returns JSON.\n");
  npmProject(
    ws,
    `const { login } = require("./src/login.js");
const { sessions } = require("./src/session.js");
assert.equal(login("ada", "secret"), "session-ada");
assert.equal(sessions.size, 1);`,
  );
  ws.replies([
    {
      when: "Implement: Add the login route",
      // Off by one letter: the first `npm test` fails and the fix step repairs it.
      files: { "src/login.js": `const { sessions } = require("./session.js");\nexports.login = (u) => { sessions.add(u); return "sesion-" + u; };\n` },
    },
    { when: "Implement: Add the session store", files: { "src/session.js": "exports.sessions = new Set();\n" } },
    { when: "Write tests for the feature `login`", files: { "test/login.test.js": "// login tests\n" } },
    { when: "Document the feature `login` for users in docs/login.md", files: { "docs/login.md": "# Login\n" } },
    {
      when: "The tests fail",
      files: { "src/login.js": `const { sessions } = require("./session.js");\nexports.login = (u) => { sessions.add(u); return "session-" + u; };\n` },
    },
    // The architect's prompts go last: the docs prompt carries the standards file too.
    { when: "split the session store out", json: twoPlans },
    { when: "Use camelCase JSON fields", json: onePlan },
  ]);

  const first = await ws.run(["run", "examples/feature.cm", "--input", "name=login", "--json"]);
  expect(first.code, first.stderr).toBe(3);
  expect(ws.json(first).status).toBe("waiting");

  const { final, code, decided } = await ws.drive(first, (key) =>
    key === "review#0" ? { approve: false, reason: "split the session store out" } : { approve: true },
  );
  expect(decided).toEqual(["review#0", "review#1"]);
  expect(code, JSON.stringify(final)).toBe(0);
  expect(final.status).toBe("succeeded");
  expect(final.result).toEqual({ summary: twoPlans.summary });
  expect(final.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
    "plan#0:succeeded",
    "review#0:succeeded",
    "plan#1:succeeded",
    "review#1:succeeded",
    "build[0]:succeeded",
    "build[1]:succeeded",
    "tests:succeeded",
    "docs:succeeded",
    "test#0:succeeded",
    "fix#0:succeeded",
    "test#1:succeeded",
  ]);
  expect(ws.has("docs/login.md")).toBe(true);
  expect(ws.has("test/login.test.js")).toBe(true);
  expect(ws.read("src/login.js")).toContain('"session-"');

  const calls = ws.invocations();
  expect(calls.map((c) => c.cli).sort()).toEqual(["claude", "claude", "codex", "codex", "codex", "codex", "gemini"]);
  const architect = calls.find((c) => c.cli === "claude");
  expect(architect?.argv).toEqual(expect.arrayContaining(["--model", "opus", "--permission-mode", "plan", "--json-schema"]));
  for (const c of calls.filter((c) => c.cli === "codex")) expect(c.argv).toEqual(expect.arrayContaining(["-s", "workspace-write"]));
  expect(calls.find((c) => c.cli === "gemini")?.argv).toEqual(expect.arrayContaining(["--approval-mode", "auto_edit"]));
});

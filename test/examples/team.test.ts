/** examples/team.cm: three specialists review the same diff in parallel; a lead merges their findings. */
import { afterEach, expect, it } from "vitest";
import { exampleWorkspace, initRepo, type ExampleWorkspace } from "./harness.js";

let ws: ExampleWorkspace;
afterEach(() => ws.remove());

it("runs the security, performance and docs reviewers in parallel on the diff, then the lead's merged report is the result and REVIEW.md", async () => {
  ws = exampleWorkspace("team.cm");
  ws.write("src/users.js", "exports.find = (db, name) => db.get(name);\n");
  initRepo(ws);
  ws.write(
    "src/users.js",
    "exports.find = (db, name) => db.query(\"SELECT * FROM users WHERE name = '\" + name + \"'\");\n" +
      "exports.all = async (db, ids) => { const out = []; for (const id of ids) out.push(await db.query('SELECT * FROM users WHERE id = ' + id)); return out; };\n",
  );
  const report = {
    verdict: "fix first",
    summary: "SQL injection in find(); all() issues one query per id",
    actions: ["Use a parameterised query in find()", "Fetch all ids with one IN query", "Document all()"],
  };
  ws.replies([
    {
      when: "You are the security reviewer",
      json: { findings: [{ severity: "high", file: "src/users.js", note: "user input concatenated into SQL" }] },
    },
    {
      when: "You are the performance reviewer",
      json: { findings: [{ severity: "medium", file: "src/users.js", note: "one query per id in all()" }] },
    },
    { when: "You are the documentation reviewer", json: { findings: [{ severity: "low", file: "src/users.js", note: "all() is undocumented" }] } },
    // The lead answers only a prompt carrying what the security reviewer found.
    { when: '"note": "user input concatenated into SQL"', json: report },
  ]);

  const r = await ws.run(["run", "examples/team.cm", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const out = ws.json(r);
  expect(out.result).toEqual(report);
  expect(out.steps.map((s) => s.id).slice(0, 1)).toEqual(["changes"]);
  expect(out.steps.map((s) => s.id).slice(1, 4).sort()).toEqual(["documented", "fast", "secure"]);
  expect(out.steps.map((s) => s.id).slice(4)).toEqual(["merged", "write"]);
  expect(ws.read("REVIEW.md")).toBe(`# Review: fix first\n\n${report.summary}\n`);

  const calls = ws.invocations();
  expect(calls.slice(0, 3).map((c) => c.cli).sort()).toEqual(["claude", "codex", "gemini"]);
  expect(calls[3]?.cli).toBe("opencode");
  expect(calls.find((c) => c.cli === "codex")?.argv).toEqual(expect.arrayContaining(["-s", "read-only", "--output-schema"]));
  expect(calls.find((c) => c.cli === "gemini")?.argv).toEqual(expect.arrayContaining(["-m", "gemini-2.5-flash"]));
  // Gemini's stream echoes the prompt it got into the step's log: the diff against main was in it.
  const log = await ws.run(["logs", out.run, "documented"]);
  expect(log.stdout).toContain("+exports.all = async (db, ids) =>");
});

/** examples/bugfix.cm runs end to end in a git repository: diagnosis gate, escalation, fix loop, commit. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exampleWorkspace, initRepo, npmProject, type ExampleWorkspace } from "./harness.js";

let ws: ExampleWorkspace;
afterEach(() => ws.remove());

const issue = "Totals are off by a cent";
const wrong = { cause: "The tax table is stale", evidence: ["rates.json is from 2023"], files: ["src/rates.json"], plan: "Update the rates" };
const right = {
  cause: "total() truncates instead of rounding to cents",
  evidence: ["total([0.105]) is 0.1"],
  files: ["src/total.js"],
  plan: "Round half up to two decimals",
};
const buggy = "exports.total = (xs) => Math.floor(xs.reduce((a, b) => a + b, 0) * 100) / 100;\n";
const halfFixed = "exports.total = (xs) => Math.round(xs.reduce((a, b) => a + b, 0) * 10) / 10;\n";
const fixed = "exports.total = (xs) => Math.round(xs.reduce((a, b) => a + b, 0) * 100 + 1e-9) / 100;\n";

beforeEach(() => {
  ws = exampleWorkspace("bugfix.cm");
  npmProject(ws, `const { total } = require("./src/total.js");\nassert.equal(total([0.105]), 0.11);\nassert.equal(total([1, 2.5]), 3.5);`);
  ws.write("src/total.js", buggy);
  initRepo(ws);
});

const start = () => ws.run(["run", "examples/bugfix.cm", "--input", `issue=${issue}`, "--input", "ticket=142", "--json"]);

describe("examples/bugfix.cm", () => {
  it("sends a rejection's feedback back to the investigator, fixes until npm test passes, and commits on its own branch", async () => {
    ws.replies([
      { when: "Feedback on your last diagnosis: check the rounding", json: right },
      { when: "Find the root cause of this bug: Totals are off by a cent", json: wrong },
      // The second attempt sees the failing test's output from the first.
      { when: "AssertionError", files: { "src/total.js": fixed, "test/total.test.js": "// total([0.105]) is 0.11\n" } },
      { when: "Fix this bug: Totals are off by a cent", files: { "src/total.js": halfFixed } },
    ]);
    const first = await start();
    expect(first.code, first.stderr).toBe(3);
    const { final, code, decided } = await ws.drive(first, (key) =>
      key === "verdict#0" ? { approve: false, reason: "check the rounding" } : { approve: true, reason: "yes, that is it" },
    );
    expect(decided).toEqual(["verdict#0", "verdict#1"]);
    expect(code, JSON.stringify(final.error)).toBe(0);

    const head = ws.git("rev-parse", "HEAD").trim();
    expect(final.result).toEqual({ cause: right.cause, commit: head });
    expect(final.steps.map((s) => s.id)).toEqual([
      "diagnose#0",
      "verdict#0",
      "diagnose#1",
      "verdict#1",
      "onBranch",
      "onBranch/create",
      "fix#0",
      "tests#0",
      "fix#1",
      "tests#1",
      "saved",
      "saved/stage",
      "saved/record",
      "saved/head",
    ]);
    expect(ws.git("branch", "--show-current").trim()).toBe("fix/142");
    expect(ws.git("log", "-1", "--format=%B").trim()).toBe(`Fix #142: ${issue}\n\n${right.cause}`);
    expect(ws.git("show", "--name-only", "--format=", "HEAD").trim().split("\n").sort()).toEqual(["src/total.js", "test/total.test.js"]);
    expect(ws.git("status", "--porcelain")).toBe("");
    expect(ws.read("src/total.js")).toBe(fixed);

    const calls = ws.invocations();
    expect(calls.map((c) => c.cli)).toEqual(["claude", "claude", "codex", "codex"]);
    expect(calls[0]?.argv).toEqual(expect.arrayContaining(["--permission-mode", "plan", "--allowedTools", "Read,Grep,Bash(git log:*),Bash(npm test:*)"]));
  });

  it("escalates after three rejected diagnoses, and a person's resume carries on with the last one", async () => {
    ws.replies([
      { when: "Find the root cause", json: right },
      { when: "Fix this bug", files: { "src/total.js": fixed } },
    ]);
    const first = await start();
    const id = ws.json(first).run;
    const escalations: string[] = [];
    const { final, code, decided } = await ws.drive(first, (key) => {
      if (!key.endsWith(" (escalated)")) return { approve: false, reason: "not convinced" };
      escalations.push(key);
      return "resume";
    });
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatch(/^escalate\S* \(escalated\)$/);
    expect(decided).toEqual(["verdict#0", "verdict#1", "verdict#2"]);
    expect(code).toBe(0);
    expect(final.result).toEqual({ cause: right.cause, commit: ws.git("rev-parse", "HEAD").trim() });
    expect(final.steps.filter((s) => s.id.startsWith("diagnose")).length).toBe(3);

    const status = await ws.run(["status", id]);
    expect(status.stdout).toContain("status    succeeded");
    expect(ws.git("log", "--format=%s")).toBe(`Fix #142: ${issue}\nInitial commit\n`);
  });
});

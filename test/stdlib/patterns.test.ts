/** std/patterns: each exported workflow runs for real, called from a workflow in a temporary workspace. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workspace, type Workspace } from "../runtime/workspace.js";

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

const steps = (out: { steps: { id: string; status: string }[] }) => out.steps.map((s) => `${s.id}:${s.status}`);

describe("testAndFix", () => {
  it("runs the command until it passes, handing each failure's output to the fixer, and fails with exhausted when rounds run out", async () => {
    ws.write(
      "fix.cm",
      `import { command } from "std/agents"
      import { testAndFix } from "std/patterns"

      workflow main() -> { ok: bool, output: string, exhausted: string } {
        // Records each prompt; the second repair is the one that works.
        agent fixer = command(argv: ["sh", "-c", "cat >> prompts; echo x >> repairs; test $(wc -l < repairs) -lt 2 || touch fixed"])
        agent idle = command(argv: ["true"])
        step green = testAndFix(fixer: fixer, command: "test -f fixed && echo all good || { echo 'fixed is missing' >&2; exit 1; }")
        try {
          step never = testAndFix(fixer: idle, command: "exit 3", rounds: 2)
        } catch e {
          step caught = sh("echo \${e.kind}: \${e.message}")
        }
        return { ok: green.ok, output: green.output, exhausted: trim(caught?.stdout ?? "") }
      }`,
    );
    const r = await ws.cmc(["run", "fix.cm", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = ws.json(r);
    const result = out.result as { ok: boolean; output: string; exhausted: string };
    expect(result.ok).toBe(true);
    expect(result.output).toBe("all good\n");
    expect(result.exhausted).toMatch(/^exhausted: the loop ran 2 rounds without its `until` condition holding$/);
    expect(steps(out).filter((s) => s.startsWith("green"))).toEqual([
      "green:succeeded",
      "green/test#0:succeeded",
      "green/fix#0:succeeded",
      "green/test#1:succeeded",
      "green/fix#1:succeeded",
      "green/test#2:succeeded",
    ]);
    // Each repair's prompt names the command and quotes what it printed.
    const prompts = ws.read("prompts");
    const count = (text: string) => prompts.split(text).length - 1;
    expect(count("The command `test -f fixed && echo all good")).toBe(2);
    expect(count("\nfixed is missing\n")).toBe(2);
    expect(count("Fix the code, not the tests.")).toBe(2);
  });
});

describe("authorReview", () => {
  const program = `import { scripted } from "std/agents"
    import { authorReview } from "std/patterns"

    workflow main(rounds: int = 3) -> { text: string, approved: bool, feedback: string } {
      agent author = scripted(file: "author.json")
      agent reviewer = scripted(file: "reviewer.json")
      step work = authorReview(author: author, reviewer: reviewer, task: "Write the release notes for 2.0", rounds: rounds)
      return work
    }`;

  beforeEach(() => {
    ws.write("review.cm", program);
    ws.write(
      "author.json",
      JSON.stringify([
        { when: "Reviewer feedback on your last draft: mention the breaking change", text: "2.0: faster runs. Breaking: --mode replaces --auto." },
        { when: "Reviewer feedback on your last draft: none yet", text: "2.0: faster runs." },
      ]),
    );
    ws.write(
      "reviewer.json",
      JSON.stringify([
        { when: "Breaking: --mode replaces --auto.", output: { approved: true, feedback: "" } },
        { when: "Work:\n2.0: faster runs.", output: { approved: false, feedback: "mention the breaking change" } },
      ]),
    );
  });

  it("loops author and reviewer with the feedback until the reviewer approves in round 2", async () => {
    const r = await ws.cmc(["run", "review.cm", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = ws.json(r);
    expect(out.result).toEqual({ text: "2.0: faster runs. Breaking: --mode replaces --auto.", approved: true, feedback: "" });
    expect(steps(out)).toEqual([
      "work:succeeded",
      "work/draft#0:succeeded",
      "work/review#0:succeeded",
      "work/draft#1:succeeded",
      "work/review#1:succeeded",
    ]);
  });

  it("escalates when the rounds run out, and resuming returns the last, unapproved draft", async () => {
    const first = await ws.cmc(["run", "review.cm", "--input", "rounds=1", "--json"]);
    expect(first.code).toBe(3);
    expect(ws.json(first).status).toBe("escalated");
    const resumed = await ws.cmc(["resume", ws.json(first).run, "--json"]);
    expect(resumed.code).toBe(0);
    expect(ws.json(resumed).result).toEqual({ text: "2.0: faster runs.", approved: false, feedback: "mention the breaking change" });
  });
});

describe("planApproveBuild", () => {
  it("plans, takes a person's rejection back to the architect, and after approval builds every task in parallel", async () => {
    ws.write(
      "build.cm",
      `import { scripted, command } from "std/agents"
      import { planApproveBuild } from "std/patterns"

      workflow main() -> { summary: string, built: int } {
        agent architect = scripted(file: "architect.json")
        // Each build waits until the other has started too: it only passes when they run at once.
        agent builder = command(argv: ["sh", "-c", "cat > \\"$(mktemp started.XXXXXX)\\"; for i in $(seq 100); do [ $(ls started.* | wc -l) -ge 2 ] && exit 0; sleep 0.05; done; exit 1"])
        step result = planApproveBuild(architect: architect, builder: builder, goal: "CSV export")
        return result
      }`,
    );
    const small = { summary: "Two tasks", tasks: [{ title: "Writer", files: ["src/csv.js"] }, { title: "CLI flag", files: ["src/cli.js"] }] };
    const big = { summary: "One big task", tasks: [{ title: "Everything", files: ["src"] }] };
    ws.write(
      "architect.json",
      JSON.stringify([
        { when: "Feedback on the last plan: split it", output: small },
        { when: "Plan this as independent tasks: CSV export", output: big },
      ]),
    );
    const first = await ws.cmc(["run", "build.cm", "--json"]);
    expect(first.code, first.stderr).toBe(3);
    const id = ws.json(first).run;
    expect(ws.json(first).steps.find((s) => s.id === "result/review#0")?.status).toBe("waiting");
    expect((await ws.cmc(["reject", id, "review", "--reason", "split it"])).code).toBe(0);
    const second = await ws.cmc(["resume", id, "--json"]);
    expect(second.code).toBe(3);
    expect((await ws.cmc(["approve", id, "review"])).code).toBe(0);
    const done = await ws.cmc(["resume", id, "--json"]);
    expect(done.code, done.stderr).toBe(0);
    const out = ws.json(done);
    expect(out.result).toEqual({ summary: "Two tasks", built: 2 });
    // One attempt each: a build that ran alone would have timed out waiting for the other and been retried.
    expect(out.steps.filter((s) => s.id.startsWith("result/build")).map((s) => [s.id, s.status, s.attempts])).toEqual([
      ["result/build[0]", "succeeded", 1],
      ["result/build[1]", "succeeded", 1],
    ]);
    expect(steps(out).filter((s) => s.startsWith("result/plan"))).toEqual(["result/plan#0:succeeded", "result/plan#1:succeeded"]);
    // Two resumes continued the same sub-run: still its first attempt.
    expect(out.steps.find((s) => s.id === "result")).toMatchObject({ status: "succeeded", attempts: 1 });
  });
});

describe("a failure inside a standard workflow", () => {
  it("names the line in std/patterns and the step of the run's own file that called it", async () => {
    ws.write(
      "gate.cm",
      `import { qualityGate } from "std/patterns"

      workflow main() {
        step checks = qualityGate(commands: ["exit 4"])
      }`,
    );
    const r = await ws.cmc(["run", "gate.cm"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed at std\/patterns:\d+ \(fail\), called from step `checks` \(gate\.cm:4\): quality gate failed: `exit 4` exited with 4 \[failed\]\n/);
  });
});

describe("qualityGate", () => {
  it("returns how many commands passed, and fails at the first failing one with its code and stderr, running nothing after it", async () => {
    ws.write(
      "gate.cm",
      `import { qualityGate } from "std/patterns"

      workflow main() -> { passed: int, failure: string } {
        step good = qualityGate(commands: ["true", "echo fine", "test -d ."])
        try {
          step bad = qualityGate(commands: ["true", "echo 'lint: 3 problems' >&2; exit 4", "touch ran-after"])
        } catch e {
          step why = sh("echo \${e.kind}: \${e.message}")
        }
        return { passed: good, failure: trim(why?.stdout ?? "") }
      }`,
    );
    const r = await ws.cmc(["run", "gate.cm", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = ws.json(r);
    expect(out.result).toEqual({
      passed: 3,
      failure: "failed: quality gate failed: `echo 'lint: 3 problems' >&2; exit 4` exited with 4\nlint: 3 problems",
    });
    expect(ws.has("ran-after")).toBe(false);
    expect(steps(out).filter((s) => s.startsWith("bad"))).toEqual(["bad:failed", "bad/check[0]:succeeded", "bad/check[1]:succeeded"]);
  });
});

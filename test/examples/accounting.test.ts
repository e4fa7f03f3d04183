/**
 * Cost accounting through the real CLI: each agent step's reply records its cost and tokens, the run
 * record sums them (`cmc status` shows it), and `--budget` stops agent steps once it is spent.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunJson } from "../runtime/workspace.js";
import { exampleWorkspace, type ExampleWorkspace } from "./harness.js";

let ws: ExampleWorkspace;
beforeEach(() => {
  // The stand-ins on PATH and their argv log; these tests bring their own workflows.
  ws = exampleWorkspace();
});
afterEach(() => ws.remove());

// The stand-ins report: claude $0.0123 with 100+10+20 input and 50 output tokens; opencode $0.01 + $0.02
// over two steps with 100+20 and 150+10 input, 10+5 and 20 output tokens; codex no cost, 200 in, 30 out.
const CLAUDE = 0.0123;
const OPENCODE = 0.03;

describe("cost accounting", () => {
  it("records each reply's cost and tokens, sums the run's cost over agents and parallel branches, and shows it in status", async () => {
    ws.write(
      "spend.cm",
      `import { claude, codex, opencode } from "std/agents"

      workflow main() -> { claude: float, opencode: float, codex: float, tokens: list<int> } {
        agent writer = claude(model: "sonnet")
        agent helper = opencode(model: "anthropic/claude-sonnet-4-5")
        agent coder = codex()
        parallel {
          step draft = writer.ask("Summarise the README")
          step outline = helper.ask("Outline the docs")
        }
        step patch = coder.ask("Fix the typo in the README")
        return {
          claude: draft.cost,
          opencode: outline.cost,
          codex: patch.cost,
          tokens: [draft.tokens.input, draft.tokens.output, outline.tokens.input, outline.tokens.output, patch.tokens.input, patch.tokens.output],
        }
      }`,
    );
    const r = await ws.run(["run", "spend.cm", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = ws.json(r) as Omit<RunJson, "steps"> & { cost?: number; steps: { id: string; cost?: number }[] };
    const result = out.result as { claude: number; opencode: number; codex: number; tokens: number[] };
    expect(result.claude).toBeCloseTo(CLAUDE, 10);
    expect(result.opencode).toBeCloseTo(OPENCODE, 10);
    expect(result.codex).toBe(0);
    expect(result.tokens).toEqual([130, 50, 280, 35, 200, 30]);

    const total = CLAUDE + OPENCODE;
    expect(out.cost).toBeCloseTo(total, 10);
    expect(Object.fromEntries(out.steps.map((s) => [s.id, s.cost]))).toEqual({
      draft: expect.closeTo(CLAUDE, 10),
      outline: expect.closeTo(OPENCODE, 10),
      patch: 0,
    });

    // Tokens are summed per run too: 130+280+200 in, 50+35+30 out.
    expect((out as { tokens?: unknown }).tokens).toEqual({ input: 610, output: 115 });
    expect(r.stderr).toContain(`agents: $${total.toFixed(4)}, 610 tokens in, 115 out`);

    const status = await ws.run(["status", out.run]);
    expect(status.stdout).toContain(`cost      $${total.toFixed(4)}`);
    expect(status.stdout).toContain("tokens    610 in, 115 out");
    expect(status.stdout).toMatch(/draft\s+\$0\.0123, 130 tokens in, 50 out/);
    const json = JSON.parse((await ws.run(["status", out.run, "--json"])).stdout) as { cost: number };
    expect(json.cost).toBeCloseTo(total, 10);
  });

  it("with --budget, lets the first agent step run and fails the next one with kind budget, without retrying it", async () => {
    ws.write(
      "budget.cm",
      `import { claude } from "std/agents"

      workflow main() -> string {
        agent writer = claude()
        step first = writer.ask("Write the summary")
        step free = sh("echo shell steps cost nothing")
        step second = writer.ask("Now the details", retry: 2)
        return second.text
      }`,
    );
    const r = await ws.run(["run", "budget.cm", "--budget", "0.000001", "--json"]);
    expect(r.code).toBe(1);
    const out = ws.json(r);
    expect(out.status).toBe("failed");
    expect(out.error?.kind).toBe("budget");
    expect(out.error?.step).toBe("second");
    expect(out.error?.message).toContain("budget of $0.000001 is spent");
    expect(out.steps.map((s) => `${s.id}:${s.status}`)).toEqual(["first:succeeded", "free:succeeded", "second:failed"]);
    // The CLI ran once: the second step never started a process, and was not retried.
    expect(ws.invocations().map((c) => c.cli)).toEqual(["claude"]);

    const status = await ws.run(["status", out.run]);
    expect(status.stdout).toContain(`cost      $${CLAUDE.toFixed(4)}`);
    expect(status.stdout).toContain("[budget]");
  });

  it("counts what failed attempts cost too, so retries cannot run past the budget", async () => {
    ws.write(
      "paid.cm",
      `import { claude } from "std/agents"

      workflow main() {
        step failing = claude().ask("Try @FAIL @EXIT0", retry: 5, backoff: 10ms)
      }`,
    );
    // Each attempt reports $0.0123 with its error result: three are paid before the budget is spent.
    const r = await ws.run(["run", "paid.cm", "--budget", "0.03", "--json"]);
    expect(r.code).toBe(1);
    const out = ws.json(r) as ReturnType<ExampleWorkspace["json"]> & { cost?: number };
    expect(out.error?.kind).toBe("budget");
    expect(ws.invocations().map((c) => c.cli)).toEqual(["claude", "claude", "claude"]);
    expect(out.cost).toBeCloseTo(3 * CLAUDE, 10);
    expect(r.stderr).toContain(`agents: $${(3 * CLAUDE).toFixed(4)}`);
  });

  it("reserves the budget for parallel asks: they do not all start at a cost of 0 and all spend", async () => {
    ws.write(
      "wide.cm",
      `import { claude } from "std/agents"

      workflow main() {
        for i in [1, 2, 3, 4, 5, 6, 7, 8] parallel {
          step ask = claude().ask("Part \${i}")
        }
      }`,
    );
    // The first ask runs alone (no cost known yet); then each reserves $0.0123, the highest seen:
    // the second fits beside nothing else in $0.03, the third starts once they are settled (the
    // budget not yet spent), and the other five fail with kind budget without starting a CLI.
    const r = await ws.run(["run", "wide.cm", "--budget", "0.03", "--concurrency", "8", "--json"]);
    expect(r.code).toBe(1);
    const out = ws.json(r) as ReturnType<ExampleWorkspace["json"]> & { cost?: number };
    expect(out.error?.kind).toBe("budget");
    expect(ws.invocations()).toHaveLength(3);
    expect(out.cost).toBeCloseTo(3 * CLAUDE, 10);
  });

  it("counts an attempt whose output was invalid", async () => {
    ws.write(
      "invalid.cm",
      `import { claude } from "std/agents"

      workflow main() {
        step typed = claude().ask("Give @JSON {\\"a\\": 1}", output: { a: string })
      }`,
    );
    const r = await ws.run(["run", "invalid.cm", "--json"]);
    expect(r.code).toBe(1);
    const out = ws.json(r) as ReturnType<ExampleWorkspace["json"]> & { cost?: number };
    expect(out.error?.kind).toBe("invalid_output");
    expect(out.cost).toBeCloseTo(CLAUDE, 10);
  });

  it("sums what the run's agents spent before a resume into the totals the resume prints", async () => {
    ws.write(
      "resumed.cm",
      `import { claude } from "std/agents"

      workflow main() {
        step draft = claude().ask("Write the summary")
        step review = approve("Good?")
        step polish = claude().ask("Polish it")
      }`,
    );
    const first = await ws.run(["run", "resumed.cm", "--json"]);
    expect(first.code).toBe(3);
    expect(first.stderr).toContain(`agents: $${CLAUDE.toFixed(4)}, 130 tokens in, 50 out`);
    const id = ws.json(first).run;
    expect((await ws.run(["approve", id, "review"])).code).toBe(0);
    const resumed = await ws.run(["resume", id, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`agents: $${(2 * CLAUDE).toFixed(4)}, 260 tokens in, 100 out`);
  });
});

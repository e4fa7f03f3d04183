/**
 * Gemini CLI (the real CLI, at the version of verified.ts) run by cmc against the mock Gemini API
 * (`GOOGLE_GEMINI_BASE_URL`, an API key, `general.maxAttempts` in a private `~/.gemini/settings.json`):
 * what cmc reports is what the mock sent, and each agent option reaches the model request or
 * changes what the CLI does.
 */
import { describe, expect, it } from "vitest";
import { cliBin, runWorkflow } from "./harness/index.js";
import { conformanceSession } from "./harness/session.js";
import { ROUTER_USAGE, chatRequests, geminiSettings, lastUserText, modelOf, registerGemini, toolNames } from "./mock/gemini.js";
import { hasScript, runOnTerminal } from "./terminal.js";

const session = conformanceSession(registerGemini);

function env(maxAttempts = 1): Record<string, string> {
  session.home.write("home/.gemini/settings.json", geminiSettings(maxAttempts));
  return session.home.env({ CMC_GEMINI_BIN: cliBin("gemini"), GEMINI_API_KEY: "conformance-key", GOOGLE_GEMINI_BASE_URL: session.server.url });
}

const run = (source: string, maxAttempts?: number) => runWorkflow(session.home, { source, env: env(maxAttempts) });

describe("gemini against the mock Gemini API", () => {
  it("returns the streamed text, the session of init, and the tokens of every model the mock reported (router included)", async () => {
    session.server.reply({ kind: "text", text: "Hello from the mock", usage: { input: 1200, output: 300 } });
    const r = await run(`import { gemini } from "std/agents"
      workflow main() -> { text: string, session: string, cost: float, input: int, output: int } {
        agent a = gemini(trust: true)
        step s = a.ask("Say hello")
        return { text: s.text, session: s.session, cost: s.cost, input: s.tokens.input, output: s.tokens.output }
      }`);
    expect(r.code, r.stderr).toBe(0);
    const out = r.result!.result as { text: string; session: string; cost: number; input: number; output: number };
    expect(out.text).toBe("Hello from the mock");
    expect(out.session).toMatch(/^[0-9a-f-]{36}$/);
    // Without -m, Gemini CLI asks its router model first; its tokens are in stats.models too.
    expect([out.cost, out.input, out.output]).toEqual([0, 1200 + ROUTER_USAGE.input, 300 + ROUTER_USAGE.output]);
    expect(r.status!.tokens).toEqual({ input: 1200 + ROUTER_USAGE.input, output: 300 + ROUTER_USAGE.output });
    expect(session.server.requestsTo(/:generateContent$/)).toHaveLength(1);
    expect(lastUserText(chatRequests(session.server)[0]!)).toContain("Say hello");
  }, 60_000);

  it("sends the request to the model named by model:, with no router call", async () => {
    session.server.reply({ kind: "text", text: "ok", usage: { input: 40, output: 2 } });
    const r = await run(`import { gemini } from "std/agents"
      workflow main() -> int {
        agent a = gemini(model: "gemini-2.5-flash", trust: true)
        step s = a.ask("Which model?")
        return s.tokens.input
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toBe(40);
    expect(chatRequests(session.server).map(modelOf)).toEqual(["gemini-2.5-flash"]);
    expect(session.server.requestsTo(/:generateContent$/)).toHaveLength(0);
  }, 60_000);

  it("returns typed output read from the reply text, the schema instruction reaching the model in the prompt", async () => {
    session.server.reply({ kind: "structured", value: { summary: "Ship it", tasks: ["write", "test"] } });
    const r = await run(`import { gemini } from "std/agents"
      type Plan = { summary: string, tasks: list<string> }
      workflow main() -> Plan {
        agent a = gemini(model: "gemini-2.5-pro", trust: true)
        step plan = a.ask("Plan the work", output: Plan)
        return plan.output
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toEqual({ summary: "Ship it", tasks: ["write", "test"] });
    const prompt = lastUserText(chatRequests(session.server)[0]!);
    expect(prompt).toContain("Reply with only a JSON object matching this JSON Schema");
    expect(prompt).toContain('"tasks"');
  }, 60_000);

  it("fails typed output that does not match with invalid_output, naming the field", async () => {
    session.server.reply({ kind: "structured", value: { summary: 3, tasks: [] } });
    const r = await run(`import { gemini } from "std/agents"
      type Plan = { summary: string, tasks: list<string> }
      workflow main() -> Plan {
        agent a = gemini(model: "gemini-2.5-pro", trust: true)
        step plan = a.ask("Plan the work", output: Plan)
        return plan.output
      }`);
    expect(r.code).toBe(1);
    expect(r.result!.error).toMatchObject({ kind: "invalid_output", step: "plan" });
    expect(r.result!.error!.message).toContain("summary");
  }, 60_000);

  it("continues a session with --resume: the second request carries the first turn", async () => {
    session.server.reply({ kind: "text", text: "The first answer", usage: { input: 100, output: 10 } }, { kind: "text", text: "The second answer", usage: { input: 150, output: 5 } });
    const r = await run(`import { gemini } from "std/agents"
      workflow main() -> { sessions: list<string>, text: string, tokens: list<int> } {
        agent a = gemini(model: "gemini-2.5-pro", trust: true)
        step first = a.ask("First question")
        step second = a.ask("Second question", session: first.session)
        return { sessions: [first.session, second.session], text: second.text, tokens: [first.tokens.input, second.tokens.input] }
      }`);
    expect(r.code, r.stderr).toBe(0);
    const out = r.result!.result as { sessions: string[]; text: string; tokens: number[] };
    expect(out.sessions[1]).toBe(out.sessions[0]);
    expect(out.text).toBe("The second answer");
    // Gemini reports each invocation's own usage: no running total to take off.
    expect(out.tokens).toEqual([100, 150]);
    const history = JSON.stringify((chatRequests(session.server)[1]!.body as { contents: unknown }).contents);
    expect(history).toContain("First question");
    expect(history).toContain("The first answer");
    expect(history).toContain("Second question");
  }, 60_000);

  it("fails fast and clearly on HTTP 500 with general.maxAttempts 1: one request, exit code 244 named", async () => {
    session.server.reply({ kind: "status", status: 500, message: "the mock is down" });
    const started = Date.now();
    const r = await run(`import { gemini } from "std/agents"
      workflow main() -> string {
        agent a = gemini(model: "gemini-2.5-pro", trust: true)
        step s = a.ask("Hello")
        return s.text
      }`);
    expect(r.code).toBe(1);
    expect(r.result!.error).toMatchObject({ kind: "failed", step: "s" });
    expect(r.result!.error!.message).toMatch(/^gemini: .*the mock is down.*\(exit code 244: the model API answered HTTP 500\)$/);
    expect(chatRequests(session.server)).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it("retries HTTP 500 as general.maxAttempts says (2: a second request after Gemini's ~5 s backoff)", async () => {
    session.server.reply({ kind: "status", status: 500 }, { kind: "text", text: "recovered" });
    const r = await run(
      `import { gemini } from "std/agents"
      workflow main() -> string {
        agent a = gemini(model: "gemini-2.5-pro", trust: true)
        step s = a.ask("Hello")
        return s.text
      }`,
      2,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toBe("recovered");
    const [first, second] = chatRequests(session.server);
    expect(second!.at - first!.at).toBeGreaterThan(3000);
  }, 60_000);

  it("fails clearly on a reply that is not valid JSON", async () => {
    session.server.reply({ kind: "invalid" });
    const r = await run(`import { gemini } from "std/agents"
      workflow main() -> string {
        agent a = gemini(model: "gemini-2.5-pro", trust: true)
        step s = a.ask("Hello")
        return s.text
      }`);
    expect(r.code).toBe(1);
    expect(r.result!.error).toMatchObject({ kind: "failed", step: "s" });
    expect(r.result!.error!.message).toMatch(/^gemini: \[API Error: .*JSON.*\(exit code 1\)$/);
  }, 60_000);

  it("refuses the untrusted workspace without trust: (exit code 55 explained, no request), and runs with it", async () => {
    session.server.reply({ kind: "text", text: "trusted" });
    const untrusted = await run(`import { gemini } from "std/agents"
      workflow main() -> string {
        agent a = gemini(model: "gemini-2.5-pro")
        step s = a.ask("Hello")
        return s.text
      }`);
    expect(untrusted.code).toBe(1);
    expect(untrusted.result!.error!.message).toMatch(/^gemini: Gemini CLI is not running in a trusted directory\. /);
    expect(untrusted.result!.error!.message).toContain("(exit code 55: the folder is not trusted: give the agent `trust: true`");
    expect(chatRequests(session.server)).toHaveLength(0);
    const trusted = await run(`import { gemini } from "std/agents"
      workflow main() -> string {
        agent a = gemini(model: "gemini-2.5-pro", trust: true)
        step s = a.ask("Hello")
        return s.text
      }`);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.result!.result).toBe("trusted");
  }, 90_000);

  it("approval: plan offers the model only read-only tools; yolo offers the shell", async () => {
    session.server.reply({ kind: "text", text: "planned" }, { kind: "text", text: "done" });
    const r = await run(`import { gemini } from "std/agents"
      workflow main() -> list<string> {
        agent planner = gemini(model: "gemini-2.5-pro", approval: "plan", trust: true)
        agent doer = gemini(model: "gemini-2.5-pro", approval: "yolo", trust: true)
        step p = planner.ask("Plan it")
        step d = doer.ask("Do it")
        return [p.text, d.text]
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toEqual(["planned", "done"]);
    const [plan, yolo] = chatRequests(session.server).map(toolNames);
    expect(yolo).toContain("run_shell_command");
    expect(yolo).not.toContain("exit_plan_mode");
    expect(plan).not.toContain("run_shell_command");
    expect(plan).toContain("exit_plan_mode");
    expect(JSON.stringify(chatRequests(session.server)[0]!.body)).toContain("Active Approval Mode: Plan");
  }, 90_000);

  it.runIf(hasScript())("passes an interactive prompt that starts with - as the prompt, not as an option", async () => {
    session.server.reply({ kind: "text", text: "ok" });
    const source = `import { gemini } from "std/agents"
      workflow main() -> bool {
        agent a = gemini(model: "gemini-2.5-pro", trust: true)
        step s = a.ask("--version-check conformance marker", interactive: true)
        return s.ok
      }`;
    const r = await runOnTerminal(session.home, source, env(), () => chatRequests(session.server).length > 0);
    expect(r.screen).not.toContain("Not enough arguments");
    expect(r.done).toBe(true);
    expect(lastUserText(chatRequests(session.server)[0]!)).toContain("--version-check conformance marker");
  }, 90_000);
});

/**
 * Claude Code (the real CLI, at the version of verified.ts) run by cmc against the mock Anthropic
 * Messages API: what cmc reports is what the mock sent, and each agent option reaches the model
 * request or changes what the CLI does.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { cliBin, runWorkflow } from "./harness/index.js";
import { conformanceSession } from "./harness/session.js";
import { messageRequests, registerAnthropic, structuredOutputTool } from "./mock/anthropic.js";

const session = conformanceSession(registerAnthropic);

/** The clean environment, Claude Code pointed at the mock, its retries off (see the retry test). */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return session.home.env({
    CMC_CLAUDE_BIN: cliBin("claude"),
    ANTHROPIC_BASE_URL: session.server.url,
    ANTHROPIC_API_KEY: "sk-ant-conformance",
    CLAUDE_CODE_MAX_RETRIES: "0",
    DISABLE_AUTOUPDATER: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    ...extra,
  });
}

const run = (source: string, extra?: Record<string, string>, args?: string[]) =>
  runWorkflow(session.home, { source, env: env(extra), ...(args ? { args } : {}) });

/** Text of a request's system prompt, whatever its shape (a string or text blocks). */
function systemText(body: Record<string, unknown>): string {
  const system = body["system"];
  if (typeof system === "string") return system;
  return Array.isArray(system) ? system.map((b: { text?: string }) => b.text ?? "").join("\n") : "";
}

describe("Claude Code against the mock Anthropic API", () => {
  it("returns the model's text with the tokens the mock reported and the cost Claude Code computed from them", async () => {
    session.server.reply({ kind: "text", text: "Hello from the mock", usage: { input: 1200, output: 300, cachedInput: 40, cacheWrite: 60 } });
    const r = await run(`import { claude } from "std/agents"
      workflow main() -> { text: string, session: string, cost: float, input: int, output: int } {
        agent a = claude(model: "claude-sonnet-4-5")
        step s = a.ask("Say hello")
        return { text: s.text, session: s.session, cost: s.cost, input: s.tokens.input, output: s.tokens.output }
      }`);
    expect(r.code, r.stderr).toBe(0);
    const out = r.result!.result as { text: string; session: string; cost: number; input: number; output: number };
    expect(out.text).toBe("Hello from the mock");
    expect(out.session).toMatch(/^[0-9a-f-]{36}$/);
    expect([out.input, out.output]).toEqual([1200 + 40 + 60, 300]);
    // claude-sonnet-4-5: $3 per million input tokens, $15 output, $3.75 cache writes, $0.30 cache reads.
    expect(out.cost).toBeCloseTo((1200 * 3 + 300 * 15 + 60 * 3.75 + 40 * 0.3) / 1e6, 9);
    expect(r.status!.cost).toBeCloseTo(out.cost, 9);
    expect(r.status!.tokens).toEqual({ input: 1300, output: 300 });

    const [request] = messageRequests(session.server);
    expect(request!.body["model"]).toBe("claude-sonnet-4-5");
    expect(request!.body["stream"]).toBe(true);
    expect(JSON.stringify(request!.body["messages"])).toContain("Say hello");
  });

  it("returns typed output through Claude Code's structured-output tool, the schema cmc sent arriving as its input schema", async () => {
    session.server.reply({ kind: "structured", value: { summary: "Ship it", tasks: ["write", "test"] } });
    const r = await run(`import { claude } from "std/agents"
      type Plan = { summary: string, tasks: list<string> }
      workflow main() -> Plan {
        agent a = claude()
        step plan = a.ask("Plan the work", output: Plan)
        return plan.output
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toEqual({ summary: "Ship it", tasks: ["write", "test"] });
    const body = messageRequests(session.server)[0]!.body;
    const name = structuredOutputTool(body);
    expect(name).toBeDefined();
    const tool = (body["tools"] as { name: string; input_schema: Record<string, unknown> }[]).find((t) => t.name === name)!;
    expect(tool.input_schema).toMatchObject({
      type: "object",
      properties: { summary: { type: "string" }, tasks: { type: "array", items: { type: "string" } } },
      required: ["summary", "tasks"],
    });
  });

  it("returns typed output of a type that is not a record, wrapped as { value } for the tool and unwrapped", async () => {
    session.server.reply({ kind: "structured", value: { value: ["a", "b"] } });
    const r = await run(`import { claude } from "std/agents"
      workflow main() -> list<string> {
        agent a = claude()
        step names = a.ask("Name two", output: list<string>)
        return names.output
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toEqual(["a", "b"]);
  });

  it("continues a session: the second ask resumes the first one's conversation", async () => {
    session.server.reply({ kind: "text", text: "The first answer", usage: { input: 100, output: 10 } }, { kind: "text", text: "The second answer", usage: { input: 150, output: 5 } });
    const r = await run(`import { claude } from "std/agents"
      workflow main() -> list<string> {
        agent a = claude()
        step first = a.ask("First question")
        step second = a.ask("Second question", session: first.session)
        return [first.session, second.session, second.text, "\${second.tokens.input}/\${second.tokens.output}"]
      }`);
    expect(r.code, r.stderr).toBe(0);
    const [s1, s2, text, secondTokens] = r.result!.result as string[];
    // A resumed session's result counts only its own turn (unlike codex's thread totals).
    expect(secondTokens).toBe("150/5");
    expect(r.status!.tokens).toEqual({ input: 250, output: 15 });
    expect(s2).toBe(s1);
    expect(text).toBe("The second answer");
    const history = JSON.stringify(messageRequests(session.server)[1]!.body["messages"]);
    expect(history).toContain("First question");
    expect(history).toContain("The first answer");
    expect(history).toContain("Second question");
  });

  it("fails the step with Claude Code's message when the model answers HTTP 500, after the retries it is configured for", async () => {
    session.server.reply(...Array.from({ length: 5 }, () => ({ kind: "status" as const, status: 500, message: "the mock is down" })));
    const r = await run(
      `import { claude } from "std/agents"
      workflow main() -> string {
        agent a = claude()
        step s = a.ask("Hello")
        return s.text
      }`,
      { CLAUDE_CODE_MAX_RETRIES: "1" },
    );
    expect(r.code).toBe(1);
    expect(r.result!.error).toMatchObject({ kind: "failed", step: "s" });
    expect(r.result!.error!.message).toMatch(/^claude: API Error: 500 .*the mock is down/);
    // CLAUDE_CODE_MAX_RETRIES=1: the first request and one retry.
    expect(messageRequests(session.server)).toHaveLength(2);
  });

  it("fails the step with a clear message when the model's reply is not valid", async () => {
    session.server.reply({ kind: "invalid" }, { kind: "invalid" });
    const r = await run(`import { claude } from "std/agents"
      workflow main() -> string {
        agent a = claude()
        step s = a.ask("Hello")
        return s.text
      }`);
    expect(r.code).toBe(1);
    expect(r.result!.error!.message).toMatch(/^claude: API Error: .*JSON/);
  });

  it("appends system: to Claude Code's system prompt", async () => {
    session.server.reply({ kind: "text", text: "ok" });
    const r = await run(`import { claude } from "std/agents"
      workflow main() -> string {
        agent a = claude(system: "Always answer in haiku, conformance marker 7f3a.")
        step s = a.ask("Hello")
        return s.text
      }`);
    expect(r.code, r.stderr).toBe(0);
    const system = systemText(messageRequests(session.server)[0]!.body);
    expect(system).toContain("Always answer in haiku, conformance marker 7f3a.");
    expect(system.length).toBeGreaterThan("Always answer in haiku, conformance marker 7f3a.".length);
  });

  it("lets the model run a tool that tools: allows, and denies it without", async () => {
    const call = { kind: "tool" as const, name: "Bash", input: { command: "echo ran > bash-ran.txt", description: "write a file" } };
    session.server.reply(call, { kind: "text", text: "done" });
    const allowed = await run(`import { claude } from "std/agents"
      workflow main() -> string {
        agent a = claude(tools: ["Bash"])
        step s = a.ask("Write the file")
        return s.text
      }`);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(readFileSync(path.join(session.home.workspace, "bash-ran.txt"), "utf8").trim()).toBe("ran");

    session.server.reset();
    session.server.reply({ ...call, input: { command: "echo ran > denied.txt", description: "write a file" } }, { kind: "text", text: "denied" });
    const denied = await run(`import { claude } from "std/agents"
      workflow main() -> string {
        agent a = claude()
        step s = a.ask("Write the file")
        return s.text
      }`);
    expect(denied.code, denied.stderr).toBe(0);
    expect(existsSync(path.join(session.home.workspace, "denied.txt"))).toBe(false);
  });

  it("lets the model edit files with permission: acceptEdits", async () => {
    session.server.reply(
      { kind: "tool", name: "Write", input: { file_path: path.join(session.home.workspace, "notes.md"), content: "written by the model\n" } },
      { kind: "text", text: "written" },
    );
    const r = await run(`import { claude } from "std/agents"
      workflow main() -> string {
        agent a = claude(permission: "acceptEdits")
        step s = a.ask("Write notes")
        return s.text
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(session.home.workspace, "notes.md"), "utf8")).toBe("written by the model\n");
  });

  it("stops after maxTurns: turns, failing the step", async () => {
    const call = { kind: "tool" as const, name: "Bash", input: { command: "true", description: "nothing" } };
    session.server.reply(call, call, call, { kind: "text", text: "finally" });
    const r = await run(`import { claude } from "std/agents"
      workflow main() -> string {
        agent a = claude(tools: ["Bash"], maxTurns: 1)
        step s = a.ask("Loop")
        return s.text
      }`);
    expect(r.code).toBe(1);
    expect(r.result!.error!.message).toMatch(/^claude: .*(max_turns|maximum number of turns)/i);
    expect(messageRequests(session.server).length).toBeLessThanOrEqual(2);
  });

  it("stops once budget: dollars are spent, failing the step and keeping what it cost", async () => {
    const call = { kind: "tool" as const, name: "Bash", input: { command: "true", description: "nothing" }, usage: { input: 100_000, output: 1000 } };
    session.server.reply(call, call, call, { kind: "text", text: "finally" });
    const r = await run(`import { claude } from "std/agents"
      workflow main() -> string {
        agent a = claude(model: "claude-sonnet-4-5", tools: ["Bash"], budget: 0.1)
        step s = a.ask("Spend")
        return s.text
      }`);
    expect(r.code).toBe(1);
    expect(r.result!.error!.message).toMatch(/^claude: .*budget/i);
    expect(r.status!.cost).toBeGreaterThan(0.1);
  });

  it("passes an interactive prompt that starts with - as the prompt, not as an option", async () => {
    session.server.reply({ kind: "text", text: "ok" });
    // Without a terminal, Claude Code answers the prompt as in print mode, so the mock sees it.
    const r = await run(`import { claude } from "std/agents"
      workflow main() -> bool {
        agent a = claude()
        step s = a.ask("-x conformance marker", interactive: true)
        return s.ok
      }`);
    expect(r.stderr).not.toContain("unknown option");
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toBe(true);
    expect(JSON.stringify(messageRequests(session.server)[0]!.body["messages"])).toContain("-x conformance marker");
  });
});

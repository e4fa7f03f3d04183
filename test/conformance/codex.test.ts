/**
 * codex (the real CLI, at the version of verified.ts) run by cmc against the mock OpenAI Responses
 * API, configured as a model provider in a private `$CODEX_HOME/config.toml`: what cmc reports is
 * what the mock sent, and each agent option reaches the model request.
 */
import { describe, expect, it } from "vitest";
import { cliBin, runWorkflow } from "./harness/index.js";
import { conformanceSession } from "./harness/session.js";
import { codexConfig, registerOpenAiResponses, responsesRequests } from "./mock/openai-responses.js";

const session = conformanceSession(registerOpenAiResponses);

async function run(source: string, retries = 0) {
  session.home.write("home/.codex/config.toml", codexConfig(session.server, retries));
  return runWorkflow(session.home, { source, env: session.home.env({ CMC_CODEX_BIN: cliBin("codex"), MOCK_OPENAI_API_KEY: "sk-conformance" }) });
}

describe("codex against the mock OpenAI Responses API", () => {
  it("returns the model's text, the thread as session, and the tokens the mock reported (no cost)", async () => {
    session.server.reply({ kind: "text", text: "Hello from the mock", usage: { input: 1200, output: 300, cachedInput: 200 } });
    const r = await run(`import { codex } from "std/agents"
      workflow main() -> { text: string, session: string, cost: float, input: int, output: int } {
        agent a = codex(model: "gpt-5.1-codex")
        step s = a.ask("Say hello")
        return { text: s.text, session: s.session, cost: s.cost, input: s.tokens.input, output: s.tokens.output }
      }`);
    expect(r.code, r.stderr).toBe(0);
    const out = r.result!.result as { text: string; session: string; cost: number; input: number; output: number };
    expect(out.text).toBe("Hello from the mock");
    expect(out.session).toMatch(/^[0-9a-f-]{36}$/);
    // OpenAI's input_tokens already include the cached ones.
    expect([out.cost, out.input, out.output]).toEqual([0, 1200, 300]);
    expect(r.status!.tokens).toEqual({ input: 1200, output: 300 });
    const [request] = responsesRequests(session.server);
    expect(request!["model"]).toBe("gpt-5.1-codex");
    expect(JSON.stringify(request!["input"])).toContain("Say hello");
  });

  it("returns typed output, the schema cmc wrote reaching the model as a strict JSON schema format", async () => {
    session.server.reply({ kind: "structured", value: { summary: "Ship it", tasks: ["write", "test"], note: null } });
    const r = await run(`import { codex } from "std/agents"
      type Plan = { summary: string, tasks: list<string>, note: string? }
      workflow main() -> Plan {
        agent a = codex()
        step plan = a.ask("Plan the work", output: Plan)
        return plan.output
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toEqual({ summary: "Ship it", tasks: ["write", "test"], note: null });
    const format = (responsesRequests(session.server)[0]!["text"] as { format: Record<string, unknown> }).format;
    expect(format).toMatchObject({ type: "json_schema", strict: true });
    expect(format["schema"]).toMatchObject({
      type: "object",
      properties: { summary: { type: "string" }, tasks: { type: "array", items: { type: "string" } }, note: { type: ["string", "null"] } },
      required: ["summary", "tasks", "note"],
      additionalProperties: false,
    });
  });

  it("continues a session with resume, counting each turn's tokens once though codex reports the thread's total", async () => {
    session.server.reply({ kind: "text", text: "The first answer", usage: { input: 100, output: 10 } }, { kind: "text", text: "The second answer", usage: { input: 50, output: 5 } });
    const r = await run(`import { codex } from "std/agents"
      workflow main() -> { sessions: list<string>, text: string, tokens: list<int> } {
        agent a = codex()
        step first = a.ask("First question")
        step second = a.ask("Second question", session: first.session)
        return { sessions: [first.session, second.session], text: second.text, tokens: [first.tokens.input, first.tokens.output, second.tokens.input, second.tokens.output] }
      }`);
    expect(r.code, r.stderr).toBe(0);
    const out = r.result!.result as { sessions: string[]; text: string; tokens: number[] };
    expect(out.sessions[1]).toBe(out.sessions[0]);
    expect(out.text).toBe("The second answer");
    expect(out.tokens).toEqual([100, 10, 50, 5]);
    expect(r.status!.tokens).toEqual({ input: 150, output: 15 });
    const history = JSON.stringify(responsesRequests(session.server)[1]!["input"]);
    expect(history).toContain("First question");
    expect(history).toContain("The first answer");
    expect(history).toContain("Second question");
  });

  it("fails the step with codex's message when the model answers HTTP 500, after the retries its provider is configured for", async () => {
    session.server.reply(...Array.from({ length: 6 }, () => ({ kind: "status" as const, status: 500, message: "the mock is down" })));
    const r = await run(
      `import { codex } from "std/agents"
      workflow main() -> string {
        agent a = codex()
        step s = a.ask("Hello")
        return s.text
      }`,
      1,
    );
    expect(r.code).toBe(1);
    expect(r.result!.error).toMatchObject({ kind: "failed", step: "s" });
    expect(r.result!.error!.message).toMatch(/^codex: \S/);
    // request_max_retries = 1 and stream_max_retries = 1: two requests for each of two attempts.
    expect(responsesRequests(session.server)).toHaveLength(4);
  });

  it("succeeds when codex reconnects after a failed stream: its error event then was news, not the outcome", async () => {
    // request_max_retries = 1: two 500s fail the first stream attempt; codex says "Reconnecting… 1/1" and the second one answers.
    session.server.reply({ kind: "status", status: 500 }, { kind: "status", status: 500 }, { kind: "text", text: "recovered" });
    const r = await run(
      `import { codex } from "std/agents"
      workflow main() -> string {
        agent a = codex()
        step s = a.ask("Hello")
        return s.text
      }`,
      1,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toBe("recovered");
    expect(responsesRequests(session.server)).toHaveLength(3);
  });

  it("fails the step with a clear message when the model's reply is not valid", async () => {
    session.server.reply({ kind: "invalid" }, { kind: "invalid" });
    const r = await run(`import { codex } from "std/agents"
      workflow main() -> string {
        agent a = codex()
        step s = a.ask("Hello")
        return s.text
      }`);
    expect(r.code).toBe(1);
    expect(r.result!.error!.message).toMatch(/^codex: \S/);
    expect(responsesRequests(session.server)).toHaveLength(1);
  });

  it("sends effort: as the request's reasoning effort, xhigh and minimal included", async () => {
    for (const effort of ["xhigh", "minimal"]) {
      session.server.reset();
      session.server.reply({ kind: "text", text: "ok" });
      const r = await run(`import { codex } from "std/agents"
        workflow main() -> string {
          agent a = codex(model: "gpt-5.1-codex", effort: "${effort}")
          step s = a.ask("Think")
          return s.text
        }`);
      expect(r.code, r.stderr).toBe(0);
      expect(responsesRequests(session.server)[0]!["reasoning"]).toMatchObject({ effort });
    }
  });

  it("tells the model the sandbox: it runs in", async () => {
    session.server.reply({ kind: "text", text: "ok" });
    const r = await run(`import { codex } from "std/agents"
      workflow main() -> string {
        agent a = codex(sandbox: "read-only")
        step s = a.ask("Look around")
        return s.text
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.stringify(responsesRequests(session.server)[0]!["input"])).toMatch(/read-only/);
  });

  it("passes an interactive prompt that starts with - as the prompt, not as an option", async () => {
    const r = await run(`import { codex } from "std/agents"
      workflow main() -> bool {
        agent a = codex()
        step s = a.ask("-x conformance marker", interactive: true)
        return s.ok
      }`);
    // Its arguments parsed, codex's interactive mode then wants a terminal, which the test has not.
    expect(r.stderr).not.toContain("unexpected argument");
    expect(r.stderr).toContain("stdin is not a terminal");
    expect(r.result!.result).toBe(false);
  });
});

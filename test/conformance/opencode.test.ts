/**
 * OpenCode (the real CLI, at the version of verified.ts) run by cmc against the mock OpenAI Chat
 * Completions API, configured as a custom provider in a private `opencode.json`.
 */
import { describe, expect, it } from "vitest";
import { cliBin, runWorkflow } from "./harness/index.js";
import { conformanceSession } from "./harness/session.js";
import { chatRequests, lastUserText, messagesOf, opencodeConfig, registerOpenAiChat } from "./mock/openai-chat.js";
import { hasScript, runOnTerminal } from "./terminal.js";

const session = conformanceSession(registerOpenAiChat);

function run(source: string) {
  session.home.write("home/.config/opencode/opencode.json", opencodeConfig(session.server));
  return runWorkflow(session.home, {
    source,
    env: session.home.env({ CMC_OPENCODE_BIN: cliBin("opencode"), OPENCODE_DISABLE_MODELS_FETCH: "true", OPENCODE_DISABLE_AUTOUPDATE: "true" }),
  });
}

describe("opencode against the mock OpenAI Chat Completions API", () => {
  it("returns the text, the session, and the tokens and cost of what the mock reported (priced by the config)", async () => {
    session.server.reply({ kind: "text", text: "Hello from the mock", usage: { input: 1000, output: 200 } });
    const r = await run(`import { opencode } from "std/agents"
      workflow main() -> { text: string, session: string, cost: float, input: int, output: int } {
        agent a = opencode(model: "mock/mock-model")
        step s = a.ask("Say hello")
        return { text: s.text, session: s.session, cost: s.cost, input: s.tokens.input, output: s.tokens.output }
      }`);
    expect(r.code, r.stderr).toBe(0);
    const out = r.result!.result as { text: string; session: string; cost: number; input: number; output: number };
    expect(out.text).toBe("Hello from the mock");
    expect(out.session).toMatch(/^ses_/);
    expect([out.input, out.output]).toEqual([1000, 200]);
    // $3 and $15 per million input and output tokens.
    expect(out.cost).toBeCloseTo(1000 * 3e-6 + 200 * 15e-6, 9);
    expect(lastUserText(chatRequests(session.server)[0]!)).toContain("Say hello");
  }, 90_000);

  it("returns typed output that cmc's prompt instruction asked for, validated", async () => {
    session.server.reply({ kind: "structured", value: { verdict: "ship", notes: ["tests pass"] } });
    const r = await run(`import { opencode } from "std/agents"
      type Review = { verdict: "ship" | "fix", notes: list<string> }
      workflow main() -> string {
        agent a = opencode()
        step s = a.ask("Review the change", output: Review)
        return "\${s.output.verdict} \${len(s.output.notes)}"
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toBe("ship 1");
    expect(lastUserText(chatRequests(session.server)[0]!)).toContain("Review the change");
  }, 90_000);

  it("continues a session: the second ask's request carries the first turn", async () => {
    session.server.reply({ kind: "text", text: "first answer" });
    session.server.reply({ kind: "text", text: "second answer" });
    const r = await run(`import { opencode } from "std/agents"
      workflow main() -> string {
        agent a = opencode()
        step one = a.ask("Remember the word kiwi")
        step two = a.ask("Which word?", session: one.session)
        return two.text
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toBe("second answer");
    const second = chatRequests(session.server)[1]!;
    const texts = messagesOf(second).map((m) => JSON.stringify(m.content));
    expect(texts.some((t) => t.includes("Remember the word kiwi"))).toBe(true);
    expect(texts.some((t) => t.includes("first answer"))).toBe(true);
  }, 120_000);

  it("fails the step clearly when the model answers HTTP 500 on every retry", async () => {
    for (let i = 0; i < 8; i++) session.server.reply({ kind: "status", status: 500, message: "mock overloaded" });
    const r = await run(`import { opencode } from "std/agents"
      workflow main() {
        agent a = opencode()
        step s = a.ask("Say hello")
      }`);
    expect(r.code).toBe(1);
    expect(r.result!.error?.step).toBe("s");
    expect(r.result!.error?.message).toMatch(/opencode/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it("fails the step clearly on a reply that is no valid stream", async () => {
    for (let i = 0; i < 8; i++) session.server.reply({ kind: "invalid" });
    const r = await run(`import { opencode } from "std/agents"
      workflow main() {
        agent a = opencode()
        step s = a.ask("Say hello")
      }`);
    expect(r.code).toBe(1);
    expect(r.result!.error?.step).toBe("s");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it("sends model: to the provider and runs as agent:, whose prompt reaches the model", async () => {
    session.server.reply({ kind: "text", text: "from other" });
    session.server.reply({ kind: "text", text: "from reviewer" });
    const r = await run(`import { opencode } from "std/agents"
      workflow main() -> string {
        agent other = opencode(model: "mock/other-model")
        agent reviewer = opencode(agent: "reviewer")
        step a = other.ask("Hi")
        step b = reviewer.ask("Review")
        return "\${a.text}|\${b.text}"
      }`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result!.result).toBe("from other|from reviewer");
    const [first, second] = chatRequests(session.server);
    expect((first!.body as { model?: string }).model).toBe("other-model");
    const system = messagesOf(second!).filter((m) => m.role === "system").map((m) => JSON.stringify(m.content)).join("\n");
    expect(system).toContain("You are the conformance reviewer agent.");
  }, 120_000);

  it.runIf(hasScript())("passes an interactive prompt that starts with - as the prompt, not as an option", async () => {
    session.server.reply({ kind: "text", text: "ok" });
    session.home.write("home/.config/opencode/opencode.json", opencodeConfig(session.server));
    const env = session.home.env({ CMC_OPENCODE_BIN: cliBin("opencode"), OPENCODE_DISABLE_MODELS_FETCH: "true", OPENCODE_DISABLE_AUTOUPDATE: "true" });
    const source = `import { opencode } from "std/agents"
      workflow main() -> bool {
        agent a = opencode()
        step s = a.ask("--help me with -x", interactive: true)
        return s.ok
      }`;
    const r = await runOnTerminal(session.home, source, env, () => chatRequests(session.server).length > 0);
    expect(r.done).toBe(true);
    expect(lastUserText(chatRequests(session.server)[0]!)).toBe("--help me with -x");
  }, 90_000);
});

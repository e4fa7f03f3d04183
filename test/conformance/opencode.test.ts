/**
 * OpenCode (the real CLI, at the version of verified.ts) run by cmc against the mock OpenAI Chat
 * Completions API, configured as a custom provider in a private `opencode.json`.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliBin, privateHome, runWorkflow, type PrivateHome } from "./harness/index.js";
import { MockServer } from "./mock/server.js";
import { chatRequests, lastUserText, opencodeConfig, registerOpenAiChat } from "./mock/openai-chat.js";
import { hasScript, runOnTerminal } from "./terminal.js";

let server: MockServer;
let home: PrivateHome;
beforeAll(async () => {
  server = registerOpenAiChat(await MockServer.start());
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  home = privateHome();
});
afterEach(() => home.remove());

function run(source: string) {
  home.write("home/.config/opencode/opencode.json", opencodeConfig(server));
  return runWorkflow(home, {
    source,
    env: home.env({ CMC_OPENCODE_BIN: cliBin("opencode"), OPENCODE_DISABLE_MODELS_FETCH: "true", OPENCODE_DISABLE_AUTOUPDATE: "true" }),
  });
}

describe("opencode against the mock OpenAI Chat Completions API", () => {
  it("returns the text, the session, and the tokens and cost of what the mock reported (priced by the config)", async () => {
    server.reply({ kind: "text", text: "Hello from the mock", usage: { input: 1000, output: 200 } });
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
    expect(lastUserText(chatRequests(server)[0]!)).toContain("Say hello");
  }, 90_000);

  it.runIf(hasScript())("passes an interactive prompt that starts with - as the prompt, not as an option", async () => {
    server.reply({ kind: "text", text: "ok" });
    home.write("home/.config/opencode/opencode.json", opencodeConfig(server));
    const env = home.env({ CMC_OPENCODE_BIN: cliBin("opencode"), OPENCODE_DISABLE_MODELS_FETCH: "true", OPENCODE_DISABLE_AUTOUPDATE: "true" });
    const source = `import { opencode } from "std/agents"
      workflow main() -> bool {
        agent a = opencode()
        step s = a.ask("--help me with -x", interactive: true)
        return s.ok
      }`;
    const r = await runOnTerminal(home, source, env, () => chatRequests(server).length > 0);
    expect(r.done).toBe(true);
    expect(lastUserText(chatRequests(server)[0]!)).toBe("--help me with -x");
  }, 90_000);
});

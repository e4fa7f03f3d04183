/**
 * The five coding-agent CLIs end to end: each adapter runs its stand-in (test/stand-ins) as a real
 * process and reads the documented output format.
 */
import { existsSync } from "node:fs";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ask } from "../../src/runtime/agents/index.js";
import { geminiSpec } from "../../src/runtime/agents/gemini.js";
import { outputSchema } from "../../src/runtime/agents/output.js";
import { StepError } from "../../src/runtime/errors.js";
import { T, type Type } from "../../src/compiler/types.js";
import { agent, argvLog, makeContext, request, useStandIns } from "./helpers.js";

const Plan: Type = T.record(
  { summary: T.string, tasks: T.list(T.record({ title: T.string, files: T.list(T.string) })) },
  "Plan",
);
const GOOD_PLAN = { summary: "two tasks", tasks: [{ title: "api", files: ["src/api.ts"] }, { title: "ui", files: [] }] };

interface Case {
  readonly ctor: string;
  readonly cli: string;
  readonly text: string;
  readonly session: string;
  readonly cost: number;
  readonly tokens: { input: number; output: number };
  readonly failure: string;
  /** The flags that continue session `sess-42`, as they appear in argv. */
  readonly resumeFlags: readonly string[];
}

const CASES: readonly Case[] = [
  {
    ctor: "claude",
    cli: "claude",
    text: "claude reply: Say hello",
    session: "5f0c2d1e-0000-4000-8000-00000000c1a0",
    cost: 0.0123,
    tokens: { input: 130, output: 50 },
    failure: 'claude: API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    resumeFlags: ["--resume", "sess-42"],
  },
  {
    ctor: "codex",
    cli: "codex",
    text: "codex reply: Say hello",
    session: "0199a1b2-c3d4-7e5f-8a9b-c0d1e2f3a4b5",
    cost: 0,
    tokens: { input: 200, output: 30 },
    failure: "codex: stream error: unexpected status 401 Unauthorized",
    resumeFlags: ["resume", "sess-42", "-"],
  },
  {
    ctor: "gemini",
    cli: "gemini",
    text: "gemini reply: Say hello",
    session: "a1b2c3d4-gemini-session",
    cost: 0,
    tokens: { input: 300, output: 40 },
    failure: "gemini: Quota exceeded for quota metric 'Gemini 2.5 Pro Requests' (exit code 1)",
    resumeFlags: ["--resume", "sess-42"],
  },
  {
    ctor: "opencode",
    cli: "opencode",
    text: "Looking at it.\nopencode reply: Say hello",
    session: "ses_5f3c1a2b3c4dOpenCode",
    cost: 0.03,
    tokens: { input: 280, output: 35 },
    failure: "opencode: Invalid API key",
    resumeFlags: ["-s", "sess-42"],
  },
  {
    ctor: "cursor",
    cli: "cursor-agent",
    text: "cursor reply: Say hello",
    session: "c0ffee00-cursor-chat",
    cost: 0,
    tokens: { input: 0, output: 0 },
    failure: "cursor: Error: You've hit your usage limit for the current plan",
    resumeFlags: ["--resume", "sess-42"],
  },
];

beforeAll(useStandIns);
let log: ReturnType<typeof argvLog>;
beforeEach(() => {
  log = argvLog();
});
afterEach(() => log.cleanup());

async function failureOf(promise: Promise<unknown>): Promise<StepError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StepError);
  return err as StepError;
}

describe.each(CASES)("$ctor", (c) => {
  it("returns the reply's text, session, cost and tokens", async () => {
    const ctx = makeContext();
    const reply = await ask(agent(c.ctor), request("Say hello\nand more"), ctx);
    expect(reply.ok).toBe(true);
    expect(reply.text).toBe(c.text);
    expect(reply.session).toBe(c.session);
    expect(reply.cost).toBeCloseTo(c.cost, 10);
    expect(reply.tokens).toEqual(c.tokens);
    expect(reply.output).toBeUndefined();
    expect(Number.isInteger(reply.duration) && reply.duration >= 0).toBe(true);
    expect(log.read().map((r) => r.cli)).toEqual([c.cli]);
  });

  it("streams the assistant's messages to progress as they arrive and keeps the raw stream in the log", async () => {
    const ctx = makeContext();
    await ask(agent(c.ctor), request("Say hello"), ctx);
    expect(ctx.messages.join("")).toContain(c.text.split("\n").at(-1)!);
    expect(ctx.logged()).toContain(c.session);
    if (c.cost > 0) expect(ctx.costs.at(-1)).toBeCloseTo(c.cost, 10);
  });

  it("fails with the agent's own message when the CLI reports a failure", async () => {
    const err = await failureOf(ask(agent(c.ctor), request("Say hello @FAIL"), makeContext()));
    expect(err.kind).toBe("failed");
    expect(err.message).toBe(c.failure);
    expect(err.retryable).toBe(true);
  });

  it("continues an earlier session with the CLI's resume flags and reports that session", async () => {
    const reply = await ask(agent(c.ctor), request("Say hello", { session: "sess-42" }), makeContext());
    expect(reply.session).toBe("sess-42");
    const argv = log.read()[0]!.argv;
    const at = argv.indexOf(c.resumeFlags[0]!);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(argv.slice(at, at + c.resumeFlags.length)).toEqual(c.resumeFlags);
  });

  it("returns structured output validated against the step's type", async () => {
    const reply = await ask(
      agent(c.ctor),
      request(`Plan it\n@JSON ${JSON.stringify(GOOD_PLAN)}`, { output: Plan }),
      makeContext(),
    );
    expect(reply.output).toEqual(GOOD_PLAN);
  });

  it("fails with invalid_output naming the field when the structured output does not match", async () => {
    const bad = { summary: "s", tasks: [{ title: 3, files: [] }] };
    const err = await failureOf(
      ask(agent(c.ctor), request(`Plan it\n@JSON ${JSON.stringify(bad)}`, { output: Plan }), makeContext()),
    );
    expect(err.kind).toBe("invalid_output");
    expect(err.message).toBe("reply field `tasks[0].title`: expected string, got number");
  });

  it("skips lines that are not JSON, writing a note to the log, and still answers", async () => {
    const ctx = makeContext();
    const reply = await ask(agent(c.ctor), request("Say hello @GARBAGE"), ctx);
    expect(reply.text).toBe(c.text + " @GARBAGE");
    expect(ctx.logged().match(/skipped a line that is not a JSON object/g)).toHaveLength(2);
  });
});

describe("failure detection beyond the exit code", () => {
  it("treats a claude result with is_error as a failure even when claude exits 0", async () => {
    const err = await failureOf(ask(agent("claude"), request("Go @FAIL @EXIT0"), makeContext()));
    expect(err.kind).toBe("failed");
    expect(err.message).toMatch(/^claude: API Error: 529/);
  });

  it("keeps both the cost and the tokens of a failed claude ask", async () => {
    const err = await failureOf(ask(agent("claude"), request("Go @FAIL @EXIT0"), makeContext()));
    expect(err.cost).toBeCloseTo(0.0123, 10);
    expect(err.tokens).toEqual({ input: 130, output: 50 });
  });

  it("keeps both the cost and the tokens of a reply whose structured output does not match", async () => {
    const err = await failureOf(ask(agent("claude"), request('Plan @JSON {"summary": 3}', { output: Plan }), makeContext()));
    expect(err.kind).toBe("invalid_output");
    expect(err.cost).toBeCloseTo(0.0123, 10);
    expect(err.tokens).toEqual({ input: 130, output: 50 });
  });

  it("treats a claude result with an error subtype as a failure, even without is_error", async () => {
    const err = await failureOf(ask(agent("claude"), request("Go @MAXTURNS"), makeContext()));
    expect(err.kind).toBe("failed");
    expect(err.message).toBe("claude: error_max_turns");
  });

  it("treats codex's turn.failed as a failure even when codex exits 0", async () => {
    const err = await failureOf(ask(agent("codex"), request("Go @FAIL @EXIT0"), makeContext()));
    expect(err.message).toBe("codex: stream error: unexpected status 401 Unauthorized");
  });

  it("treats a lone codex error event as a failure", async () => {
    const err = await failureOf(ask(agent("codex"), request("Go @ERROREVENT"), makeContext()));
    expect(err.message).toBe("codex: model gpt-9 does not exist");
  });

  it("names what gemini's exit code means", async () => {
    const err = await failureOf(ask(agent("gemini"), request("Go @FAIL @EXIT53"), makeContext()));
    expect(err.message).toBe(
      "gemini: Quota exceeded for quota metric 'Gemini 2.5 Pro Requests' (exit code 53: turn limit reached)",
    );
  });

  it("sums gemini's tokens over the models of stream-json's result, and keeps them when the run fails", async () => {
    expect((await ask(agent("gemini"), request("Go"), makeContext())).tokens).toEqual({ input: 300, output: 40 });
    const err = await failureOf(ask(agent("gemini"), request("Go @FAIL"), makeContext()));
    expect(err.tokens).toEqual({ input: 300, output: 40 });
  });

  it("still reads the tokens of gemini's --output-format json object and of stats without models", () => {
    const tokensOf = (e: Record<string, unknown>) => {
      const parser = geminiSpec.parser(() => undefined);
      parser.event(e);
      return parser.finish({ code: 0, stderr: "" }).tokens;
    };
    const json = { response: "hi", stats: { models: { a: { tokens: { prompt: 7, candidates: 2, thoughts: 1 } }, b: { tokens: { prompt: 3, candidates: 1 } } } } };
    expect(tokensOf(json)).toEqual({ input: 10, output: 4 });
    expect(tokensOf({ type: "result", status: "success", stats: { input_tokens: 12, output_tokens: 5 } })).toEqual({ input: 12, output: 5 });
  });

  describe("gemini in a folder it does not trust", () => {
    beforeEach(() => {
      process.env.STANDIN_GEMINI_FOLDER_TRUST = "on";
    });
    afterEach(() => {
      delete process.env.STANDIN_GEMINI_FOLDER_TRUST;
    });

    it("explains Gemini's refusal (exit code 55) and how to give trust, without terminal colour codes", async () => {
      const err = await failureOf(ask(agent("gemini"), request("Go"), makeContext()));
      expect(err.message).toMatch(/^gemini: Gemini CLI is not running in a trusted directory\. /);
      expect(err.message).toMatch(
        /\(exit code 55: the folder is not trusted: give the agent `trust: true` \(`gemini\(trust: true\)`\) to pass --skip-trust, or trust the folder in Gemini's interactive mode\)$/,
      );
      expect(err.message).not.toContain("\u001b");
      expect(err.retryable).toBe(false);
    });

    it("passes --skip-trust when the agent is given trust: true", async () => {
      const reply = await ask(agent("gemini", { trust: true }), request("Go"), makeContext());
      expect(reply.text).toBe("gemini reply: Go");
      expect(log.read()[0]!.argv).toContain("--skip-trust");
    });
  });

  it("names gemini's exit code 244 as the model API's HTTP 500", async () => {
    const err = await failureOf(ask(agent("gemini"), request("Go @FAIL @EXIT244"), makeContext()));
    expect(err.message).toMatch(/\(exit code 244: the model API answered HTTP 500\)$/);
  });

  it("removes terminal escape codes from every agent's stderr in failure messages", async () => {
    const script = "process.stderr.write('\\u001b[1m\\u001b[31merror:\\u001b[0m quota \\u001b]8;;https://x\\u0007link\\u001b]8;;\\u0007\\n'); process.exit(2)";
    const err = await failureOf(ask(agent("command", { argv: [process.execPath, "-e", script] }), request("x"), makeContext()));
    expect(err.message).toBe(`command: \`${process.execPath}\` exited with code 2: error: quota link`);
  });

  it("does not fail a gemini run on a warning event", async () => {
    const reply = await ask(agent("gemini"), request("Go @WARN"), makeContext());
    expect(reply.text).toBe("gemini reply: Go @WARN");
  });
});

describe("structured output plumbing", () => {
  it("gives claude the JSON Schema with --json-schema and reads structured_output", async () => {
    const reply = await ask(agent("claude"), request(`Plan\n@JSON ${JSON.stringify(GOOD_PLAN)}`, { output: Plan }), makeContext());
    const argv = log.read()[0]!.argv;
    expect(JSON.parse(argv[argv.indexOf("--json-schema") + 1]!)).toEqual(outputSchema(Plan));
    expect(reply.output).toEqual(GOOD_PLAN);
  });

  it("gives codex the JSON Schema in a temporary --output-schema file that is removed afterwards", async () => {
    await ask(agent("codex"), request(`Plan\n@JSON ${JSON.stringify(GOOD_PLAN)}`, { output: Plan }), makeContext());
    const [call] = log.read();
    expect(call!.schema).toEqual(outputSchema(Plan));
    expect(existsSync(call!.argv[call!.argv.indexOf("--output-schema") + 1]!)).toBe(false);
  });

  it("wraps a type that is not a record as { value } for the CLIs' native schemas and unwraps the reply", async () => {
    const names = T.list(T.string);
    for (const ctor of ["claude", "codex"]) {
      const reply = await ask(agent(ctor), request(`Names\n@JSON {"value":["a","b"]}`, { output: names }), makeContext());
      expect(reply.output).toEqual(["a", "b"]);
    }
    const [claudeCall, codexCall] = log.read();
    const wrapped = {
      type: "object",
      properties: { value: { type: "array", items: { type: "string" } } },
      required: ["value"],
      additionalProperties: false,
    };
    expect(JSON.parse(claudeCall!.argv[claudeCall!.argv.indexOf("--json-schema") + 1]!)).toMatchObject(wrapped);
    expect(codexCall!.schema).toMatchObject(wrapped);
  });

  it("appends the schema instruction to the prompt of CLIs without native schema support", async () => {
    const ctx = makeContext();
    await ask(agent("gemini"), request(`Plan\n@JSON ${JSON.stringify(GOOD_PLAN)}`, { output: Plan }), ctx);
    // gemini's stream echoes the user message, which lands in the step log
    expect(ctx.logged()).toContain("Reply with only a JSON object matching this JSON Schema");
  });

  it("fails with invalid_output when a reply that should be JSON is not", async () => {
    const err = await failureOf(ask(agent("opencode"), request("Plan", { output: Plan }), makeContext()));
    expect(err.kind).toBe("invalid_output");
    expect(err.message).toBe("the reply is not JSON: Looking at it. opencode reply: Plan");
  });
});

/** The exact command lines cmc runs for each agent constructor and its options. */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { AGENT_CONSTRUCTORS, adapterNameMismatches, ask, commandLine } from "../../src/runtime/agents/index.js";
import { nativeOutputSchema } from "../../src/runtime/agents/output.js";
import { StepError } from "../../src/runtime/errors.js";
import { T } from "../../src/compiler/types.js";
import { agent, argvLog, makeContext, request, useStandIns } from "./helpers.js";

beforeAll(useStandIns);

describe("commandLine", () => {
  it("lists the eight constructors of std/agents", () => {
    expect(AGENT_CONSTRUCTORS).toEqual(["claude", "codex", "gemini", "opencode", "cursor", "command", "scripted", "role"]);
  });

  it("has std/agents declare exactly the constructors of the one list, each with an adapter under its own name", () => {
    const source = readFileSync(new URL("../../stdlib/agents.cm", import.meta.url), "utf8");
    const declared = [...source.matchAll(/^export agent (\w+)\(/gm)].map((m) => m[1]);
    expect(declared).toEqual([...AGENT_CONSTRUCTORS]);
    expect(adapterNameMismatches()).toEqual([]);
    for (const name of AGENT_CONSTRUCTORS.filter((n) => n !== "role")) {
      const a = agent(name, { argv: ["prog"], file: "replies.json" });
      expect(commandLine(a, request("hi")).file, name).not.toBe("");
    }
    // A role is played by another agent before it asks (runtime/config); it has no adapter of its own.
    expect(() => commandLine(agent("role", { name: "architect" }), request("hi"))).toThrow(/a role asks only through the agent chosen to play it/);
  });

  it("builds claude's headless flags from every option", () => {
    const a = agent("claude", {
      model: "opus",
      system: "Be terse.",
      tools: ["Read", "Grep", "Bash(npm test)"],
      permission: "plan",
      maxTurns: 12,
      budget: 2.5,
    });
    expect(commandLine(a, request("hi", { session: "s1" }))).toEqual({
      file: "claude",
      args: [
        "-p", "--output-format", "stream-json", "--verbose",
        "--model", "opus",
        "--permission-mode", "plan",
        "--allowedTools", "Read,Grep,Bash(npm test)",
        "--append-system-prompt", "Be terse.",
        "--resume", "s1",
        "--max-turns", "12",
        "--max-budget-usd", "2.5",
      ],
    });
  });

  it("adds --json-schema for claude when the step gives output:", () => {
    const type = T.record({ ok: T.bool });
    const { args } = commandLine(agent("claude"), request("hi", { output: type }));
    expect(args.slice(-2)).toEqual(["--json-schema", JSON.stringify(nativeOutputSchema(type))]);
  });

  it("builds codex's exec flags, with the schema file and the resume subcommand before the stdin marker", () => {
    const a = agent("codex", { model: "gpt-5-codex", sandbox: "workspace-write", effort: "high" });
    expect(commandLine(a, request("hi")).args).toEqual([
      "exec", "--json", "--skip-git-repo-check", "-m", "gpt-5-codex", "-s", "workspace-write",
      "-c", 'model_reasoning_effort="high"', "-",
    ]);
    expect(commandLine(a, request("hi", { session: "t-1", output: T.string })).args.slice(-5)).toEqual([
      "--output-schema", "<output-schema.json>", "resume", "t-1", "-",
    ]);
  });

  it("adds --skip-trust for gemini only when the agent is given trust: true", () => {
    expect(commandLine(agent("gemini", { trust: true }), request("hi")).args).toEqual(["-p", "", "--output-format", "stream-json", "--skip-trust"]);
    expect(commandLine(agent("gemini", { trust: false }), request("hi")).args).not.toContain("--skip-trust");
    expect(() => commandLine(agent("gemini", { trust: "yes" }), request("hi"))).toThrow("gemini(): option `trust` must be a bool, got string");
  });

  it("builds gemini's flags with an empty -p so that the prompt is exactly stdin", () => {
    expect(commandLine(agent("gemini", { model: "gemini-2.5-pro", approval: "yolo" }), request("hi", { session: "3" }))).toEqual({
      file: "gemini",
      args: ["-p", "", "--output-format", "stream-json", "-m", "gemini-2.5-pro", "--approval-mode", "yolo", "--resume", "3"],
    });
  });

  it("builds opencode's and cursor's flags", () => {
    expect(commandLine(agent("opencode", { model: "anthropic/claude-sonnet-4-5", agent: "build" }), request("hi", { session: "ses_1" }))).toEqual({
      file: "opencode",
      args: ["run", "--format", "json", "-m", "anthropic/claude-sonnet-4-5", "--agent", "build", "-s", "ses_1"],
    });
    expect(commandLine(agent("cursor", { model: "gpt-5", force: true }), request("hi", { session: "c1" }))).toEqual({
      file: "cursor-agent",
      args: ["-p", "--output-format", "stream-json", "--model", "gpt-5", "--force", "--resume", "c1"],
    });
    expect(commandLine(agent("cursor", { force: false }), request("hi")).args).not.toContain("--force");
  });

  it("puts the prompt among the arguments of an interactive run and drops the headless flags", () => {
    const req = request("Fix it", { interactive: true, session: "s9" });
    expect(commandLine(agent("claude", { model: "opus", maxTurns: 3 }), req).args).toEqual(["--model", "opus", "--resume", "s9", "--", "Fix it"]);
    expect(commandLine(agent("codex", { model: "m" }), req).args).toEqual(["resume", "-m", "m", "s9", "--", "Fix it"]);
    expect(commandLine(agent("gemini"), req).args).toEqual(["--resume", "s9", "--prompt-interactive=Fix it"]);
    expect(commandLine(agent("opencode"), req).args).toEqual(["-s", "s9", "--prompt=Fix it"]);
    expect(commandLine(agent("cursor"), req).args).toEqual(["--resume", "s9", "Fix it"]);
  });

  it("shows command(argv) as its argv and scripted(file) as running no program", () => {
    expect(commandLine(agent("command", { argv: ["llm", "-m", "x"] }), request("hi"))).toEqual({ file: "llm", args: ["-m", "x"] });
    expect(commandLine(agent("scripted", { file: "replies.json" }), request("hi"))).toEqual({ file: "scripted", args: ["replies.json"] });
  });

  it("uses CMC_<CLI>_BIN in place of the program name", () => {
    process.env.CMC_GEMINI_BIN = "/opt/wrappers/gemini";
    try {
      expect(commandLine(agent("gemini"), request("hi")).file).toBe("/opt/wrappers/gemini");
    } finally {
      delete process.env.CMC_GEMINI_BIN;
    }
  });

  it("rejects an option of the wrong type and an unknown constructor as runtime errors", () => {
    expect(() => commandLine(agent("claude", { model: 3 }), request("hi"))).toThrow(
      new StepError("runtime", "claude(): option `model` must be a string, got number"),
    );
    expect(() => commandLine(agent("llama"), request("hi"))).toThrow(/unknown agent constructor `llama`/);
  });
});

describe("the command line that actually runs", () => {
  let log: ReturnType<typeof argvLog>;
  afterEach(() => log.cleanup());

  it("is the one commandLine shows, for every CLI", async () => {
    log = argvLog();
    const agents = [
      agent("claude", { model: "opus", tools: ["Read"], permission: "acceptEdits", maxTurns: 4, budget: 1, system: "S" }),
      agent("codex", { model: "gpt-5", sandbox: "read-only", effort: "low" }),
      agent("gemini", { model: "gemini-2.5-flash", approval: "auto_edit" }),
      agent("opencode", { model: "openai/gpt-5", agent: "plan" }),
      agent("cursor", { model: "sonnet-4", force: true }),
    ];
    const req = request("Say hi", { session: "abc" });
    for (const a of agents) await ask(a, req, makeContext());
    expect(log.read().map((r) => r.argv)).toEqual(agents.map((a) => commandLine(a, req).args));
  });

  it("hands the terminal to an interactive run and reports ok from its exit code with empty text", async () => {
    log = argvLog();
    const ok = await ask(agent("claude"), request("Fix it", { interactive: true, session: "s1" }), makeContext());
    expect(ok).toMatchObject({ ok: true, text: "", session: "s1", cost: 0 });
    const notOk = await ask(agent("cursor"), request("Fix it @FAIL", { interactive: true }), makeContext());
    expect(notOk).toMatchObject({ ok: false, text: "", session: "" });
    expect(log.read().map((r) => r.argv)).toEqual([["--resume", "s1", "--", "Fix it"], ["Fix it @FAIL"]]);
  });
});

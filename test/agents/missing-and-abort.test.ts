/** A CLI that is not installed names its install command; an abort kills the whole process group. */
import { mkdtempSync, readFileSync, existsSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ask } from "../../src/runtime/agents/index.js";
import { StepError } from "../../src/runtime/errors.js";
import { STAND_INS, agent, makeContext, request, useStandIns } from "./helpers.js";

beforeAll(useStandIns);

const INSTALL: Record<string, [string, string]> = {
  claude: ["CMC_CLAUDE_BIN", "npm install -g @anthropic-ai/claude-code"],
  codex: ["CMC_CODEX_BIN", "npm install -g @openai/codex"],
  gemini: ["CMC_GEMINI_BIN", "npm install -g @google/gemini-cli"],
  opencode: ["CMC_OPENCODE_BIN", "npm install -g opencode-ai"],
  cursor: ["CMC_CURSOR_BIN", "curl https://cursor.com/install -fsS | bash (see https://cursor.com/cli)"],
};

describe("a CLI that is not installed", () => {
  afterEach(() => {
    for (const [envVar] of Object.values(INSTALL)) delete process.env[envVar];
  });

  it.each(Object.entries(INSTALL))("%s fails naming how to install it, and is not retried", async (ctor, [, install]) => {
    const savedPath = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), "cmc-empty-path-"));
    try {
      const err = await ask(agent(ctor), request("hi"), makeContext()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StepError);
      expect((err as StepError).kind).toBe("failed");
      expect((err as StepError).message).toBe(`\`${ctor === "cursor" ? "cursor-agent" : ctor}\` is not installed: ${install}`);
      expect((err as StepError).retryable).toBe(false);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it.each(Object.entries(INSTALL))("%s names its variable when that names a missing program", async (ctor, [envVar]) => {
    process.env[envVar] = `/nonexistent/cmc-missing-${ctor}`;
    const err = await ask(agent(ctor), request("hi"), makeContext()).catch((e: unknown) => e);
    expect((err as StepError).message).toBe(
      `\`/nonexistent/cmc-missing-${ctor}\` (named by ${envVar}) was not found: fix ${envVar}, or unset it to run \`${ctor === "cursor" ? "cursor-agent" : ctor}\``,
    );
    expect((err as StepError).retryable).toBe(false);
  });

  it("runs cursor's agent as `agent` when only that name is installed", async () => {
    const savedPath = process.env.PATH;
    const bin = mkdtempSync(join(tmpdir(), "cmc-agent-only-"));
    symlinkSync(join(STAND_INS, "cursor-agent"), join(bin, "agent"));
    process.env.PATH = `${bin}${delimiter}${dirname(process.execPath)}`;
    try {
      const reply = await ask(agent("cursor"), request("hi"), makeContext());
      expect(reply.text).toBe("cursor reply: hi");
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it("is found under its usual name on PATH, or through CMC_<CLI>_BIN", async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), "cmc-empty-path-"));
    try {
      await expect(ask(agent("claude"), request("hi"), makeContext())).rejects.toThrow(
        "`claude` is not installed: npm install -g @anthropic-ai/claude-code",
      );
      process.env.CMC_CLAUDE_BIN = join(STAND_INS, "claude");
      // the stand-in needs node from the real PATH to start
      process.env.PATH = savedPath;
      const reply = await ask(agent("claude"), request("hi"), makeContext());
      expect(reply.text).toBe("claude reply: hi");
    } finally {
      process.env.PATH = savedPath;
    }
  });
});

/** Whether a process is alive and not a zombie. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

describe("a hanging agent", () => {
  afterEach(() => {
    delete process.env.STANDIN_PID_FILE;
  });

  it.each(["claude", "codex", "gemini", "opencode", "cursor"])(
    "%s streams progress while running and is killed with its children when the step's signal aborts",
    async (ctor) => {
      const pidFile = join(mkdtempSync(join(tmpdir(), "cmc-pid-")), "pids");
      process.env.STANDIN_PID_FILE = pidFile;
      const ctx = makeContext();
      const pending = ask(agent(ctor), request("Wait @HANG"), ctx);
      const outcome = pending.catch((e: unknown) => e);
      for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 25));
      const pids = readFileSync(pidFile, "utf8").trim().split(" ").map(Number);
      // the message printed before the hang reaches progress while the CLI still runs
      for (let i = 0; i < 200 && ctx.messages.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(ctx.messages).toEqual(["Thinking it over."]);
      expect(pids.every(isRunning)).toBe(true);

      const reason = new StepError("timeout", "the step ran past its timeout of 1s");
      ctx.controller.abort(reason);
      expect(await outcome).toBe(reason);
      expect(pids.filter(isRunning)).toEqual([]);
    },
  );
});

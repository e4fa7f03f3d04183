import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runShell } from "../../src/runtime/actions/sh.js";
import { StepError } from "../../src/runtime/errors.js";
import { context, type FileLog, fileLog, removeDir, runningInGroup, tempDir, waitFor } from "./helpers.js";

let workspace: string;
let outside: string;
let log: FileLog;

beforeEach(() => {
  workspace = tempDir("cmc-ws-");
  outside = tempDir("cmc-outside-");
  log = fileLog(path.join(outside, "step.log"));
});
afterEach(() => {
  log.close();
  removeDir(workspace);
  removeDir(outside);
});

describe("runShell", () => {
  it("runs a command string through /bin/sh in the workspace", async () => {
    const result = await runShell({ command: "echo $0 in $(pwd) | tr a-z A-Z", check: true }, context(workspace, log));
    expect(result).toMatchObject({ ok: true, code: 0, stdout: `/BIN/SH IN ${workspace.toUpperCase()}\n`, stderr: "" });
    expect(log.text()).toContain("/BIN/SH IN");
  });

  it("runs an argv without a shell, so its words are never interpreted", async () => {
    const result = await runShell({ command: ["printf", "%s|", "$HOME", "a; b", "*"], check: true }, context(workspace, log));
    expect(result.stdout).toBe("$HOME|a; b|*|");
  });

  it("with check: false resolves a failing command with ok false and its code", async () => {
    const result = await runShell({ command: "echo oops >&2; exit 4", check: false }, context(workspace, log));
    expect(result).toMatchObject({ ok: false, code: 4, stderr: "oops\n" });
  });

  it("with check: true fails the step naming the command, the code and the last stderr line", async () => {
    const attempt = runShell({ command: "echo warming up >&2; echo 'tests failed: 3' >&2; exit 2", check: true }, context(workspace, log));
    await expect(attempt).rejects.toBeInstanceOf(StepError);
    await expect(attempt).rejects.toMatchObject({
      kind: "failed",
      retryable: true,
      message: "`echo warming up >&2; echo 'tests failed: 3' >&2; exit 2` exited with code 2: tests failed: 3",
    });
  });

  it("says why from stdout when stderr is empty (git commit with nothing to commit)", async () => {
    const attempt = runShell({ command: "echo 'On branch main'; echo 'nothing to commit, working tree clean'; exit 1", check: true }, context(workspace, log));
    await expect(attempt).rejects.toThrow(/exited with code 1: nothing to commit, working tree clean$/);
  });

  it("keeps the failure message short when the last line is huge, and names E2BIG plainly", async () => {
    const huge = await runShell({ command: "head -c 2000000 /dev/zero | tr '\\0' y >&2; exit 3", check: true }, context(workspace, log)).catch((e: unknown) => e);
    expect((huge as StepError).message.length).toBeLessThan(700);
    const long = await runShell({ command: `printf %s ${"y".repeat(200_000)}`, check: true }, context(workspace, log)).catch((e: unknown) => e);
    expect((long as StepError).kind).toBe("runtime");
    expect((long as StepError).message).toContain("its command line is longer than the system allows");
    expect((long as StepError).message.length).toBeLessThan(300);
  });

  it("shortens a long command in the failure message and omits an empty stderr", async () => {
    const command = `${"true && ".repeat(20)}exit 1`;
    const attempt = runShell({ command, check: true }, context(workspace, log));
    await expect(attempt).rejects.toThrow(/^`true && true && .{40,}…` exited with code 1$/);
  });

  it("fails the step when an argv program does not exist", async () => {
    const attempt = runShell({ command: ["cmc-missing-tool", "--version"], check: false }, context(workspace, log));
    await expect(attempt).rejects.toMatchObject({ kind: "failed", message: "program `cmc-missing-tool` not found" });
  });

  it("passes stdin and env to the command", async () => {
    const result = await runShell(
      { command: 'read line; echo "$GREETING, $line"', stdin: "world\n", env: { GREETING: "hello" }, check: true },
      context(workspace, log),
    );
    expect(result.stdout).toBe("hello, world\n");
  });

  it("resolves cwd inside the workspace", async () => {
    mkdirSync(path.join(workspace, "pkg"));
    const result = await runShell({ command: "pwd", cwd: "pkg", check: true }, context(workspace, log));
    expect(result.stdout).toBe(`${path.join(workspace, "pkg")}\n`);
  });

  it("rejects a cwd that climbs out of the workspace", async () => {
    const attempt = runShell({ command: "touch escaped", cwd: "../", check: true }, context(workspace, log));
    await expect(attempt).rejects.toMatchObject({ kind: "runtime", message: expect.stringMatching(/outside the workspace.*--allow-outside/) });
  });

  it("rejects a cwd reached through a symlink that points outside, unless outside paths are allowed", async () => {
    symlinkSync(outside, path.join(workspace, "link"));
    const denied = runShell({ command: "pwd -P", cwd: "link", check: true }, context(workspace, log));
    await expect(denied).rejects.toMatchObject({ kind: "runtime" });
    const allowed = await runShell({ command: "pwd -P", cwd: "link", check: true }, context(workspace, log, undefined, true));
    expect(allowed.stdout).toBe(`${outside}\n`);
  });

  it("reports a cwd that is not a folder as a runtime error", async () => {
    writeFileSync(path.join(workspace, "file.txt"), "");
    const attempt = runShell({ command: "true", cwd: "file.txt", check: true }, context(workspace, log));
    await expect(attempt).rejects.toMatchObject({ kind: "runtime", message: expect.stringMatching(/not a directory/) });
  });

  it("on timeout kills the command's whole group and rejects with the signal's reason", async () => {
    const controller = new AbortController();
    const running = runShell({ command: "echo $$; sleep 30 & sleep 30; wait", check: true }, context(workspace, log, controller.signal));
    await waitFor(() => /^\d+\n/.test(log.text()));
    const pgid = Number(log.text().trim());
    await waitFor(() => runningInGroup(pgid).length === 3);
    const reason = new StepError("timeout", "step ran past its timeout of 1s");
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(runningInGroup(pgid)).toEqual([]);
  });
});

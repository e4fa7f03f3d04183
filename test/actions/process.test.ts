import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CommandNotFoundError, runProcess } from "../../src/runtime/actions/process.js";
import { StepError } from "../../src/runtime/errors.js";
import { type FileLog, fileLog, removeDir, runningInGroup, tempDir, waitFor } from "./helpers.js";

let dir: string;
let log: FileLog;
const never = new AbortController().signal;

beforeEach(() => {
  dir = tempDir();
  log = fileLog(path.join(dir, "step.log"));
});
afterEach(() => {
  log.close();
  removeDir(dir);
});

const sh = (script: string, extra: Partial<Parameters<typeof runProcess>[0]> = {}) =>
  runProcess({ file: "sh", args: ["-c", script], cwd: dir, signal: never, log, ...extra });

describe("runProcess", () => {
  it("reports the exit code and the captured stdout and stderr", async () => {
    const result = await sh("echo out; echo err >&2; exit 3");
    expect(result).toMatchObject({ code: 3, stdout: "out\n", stderr: "err\n", truncated: false });
    expect(result.duration).toBeGreaterThan(0);
    expect(log.text()).toContain("out\n");
    expect(log.text()).toContain("err\n");
  });

  it("reports a child killed by a signal as 128 plus the signal number", async () => {
    expect((await sh("kill -TERM $$")).code).toBe(143);
    expect((await sh("kill -KILL $$")).code).toBe(137);
  });

  it("writes stdin to the child and closes it", async () => {
    const result = await runProcess({ file: "cat", args: [], cwd: dir, signal: never, stdin: "line one\nline two" });
    expect(result.stdout).toBe("line one\nline two");
  });

  it("gives the child no stdin when none is given", async () => {
    const result = await sh("cat; echo done");
    expect(result).toMatchObject({ code: 0, stdout: "done\n" });
  });

  it("merges env over the parent's environment", async () => {
    const result = await sh('printf "%s|%s" "$CMC_TEST_VALUE" "${PATH:+has-path}"', { env: { CMC_TEST_VALUE: "a b" } });
    expect(result.stdout).toBe("a b|has-path");
  });

  it("runs in the given working directory", async () => {
    writeFileSync(path.join(dir, "marker.txt"), "here");
    expect((await sh("pwd; cat marker.txt")).stdout).toBe(`${dir}\nhere`);
  });

  it("throws CommandNotFoundError for a program that does not exist", async () => {
    const attempt = runProcess({ file: "cmc-no-such-program", args: [], cwd: dir, signal: never });
    await expect(attempt).rejects.toBeInstanceOf(CommandNotFoundError);
    await expect(attempt).rejects.toMatchObject({ command: "cmc-no-such-program" });
  });

  it("rejects a working directory that does not exist without blaming the program", async () => {
    const attempt = sh("true", { cwd: path.join(dir, "missing") });
    await expect(attempt).rejects.toThrow(/working directory .* does not exist/);
    await expect(attempt).rejects.not.toBeInstanceOf(CommandNotFoundError);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const reason = new Error("cancelled before start");
    await expect(sh("touch started", { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it("on abort kills the whole process group, grandchildren included, then rejects with the reason", async () => {
    const controller = new AbortController();
    let pgid = 0;
    const running = sh("echo $$; sleep 30 & sleep 30; wait", {
      signal: controller.signal,
      onStdoutLine: (line) => {
        pgid = Number(line);
      },
    });
    await waitFor(() => pgid > 0 && runningInGroup(pgid).length === 3);
    const reason = new Error("timed out");
    const started = Date.now();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(runningInGroup(pgid)).toEqual([]);
  });

  /** Runs `script`, which prints the pid of a `setsid` child first, until that child has left the group; `stop` gets it and the run. */
  async function withEscapedChild(
    script: string,
    extra: Partial<Parameters<typeof runProcess>[0]>,
    stop: (escaped: number, running: Promise<unknown>) => Promise<void>,
  ): Promise<void> {
    let escaped = 0;
    const running = sh(script, { ...extra, onStdoutLine: (line) => (escaped ||= Number(line)) });
    try {
      await waitFor(() => escaped > 0 && runningInGroup(escaped).length === 1); // setsid has made it a group of its own
      await stop(escaped, running);
    } finally {
      if (escaped > 0) process.kill(escaped, "SIGKILL");
    }
  }

  it("on abort ends on time when a process that left the group holds the output, and names it", async () => {
    const controller = new AbortController();
    const marks = { CMC_STEP: `escape-${process.pid}` };
    await withEscapedChild("setsid sleep 30 & echo $!; sleep 30", { signal: controller.signal, marks }, async (escaped, running) => {
      const started = Date.now();
      controller.abort(new StepError("timeout", "step `s` timed out after 2s"));
      const error: unknown = await running.then(() => undefined, (e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(error).toBeInstanceOf(StepError);
      const note = `a process it started outside its process group still holds its output and was left running (pid ${escaped})`;
      expect(error).toMatchObject({ kind: "timeout", message: `step \`s\` timed out after 2s; ${note}` });
      expect(log.text()).toContain(`[cmc] ${note}\n`);
    });
  });

  it("on abort names a marked process that left the group even when it let go of the output", async () => {
    const controller = new AbortController();
    const marks = { CMC_STEP: `quiet-${process.pid}` };
    await withEscapedChild("setsid sleep 30 >/dev/null 2>&1 & echo $!; sleep 30", { signal: controller.signal, marks }, async (escaped, running) => {
      controller.abort(new StepError("timeout", "step `s` timed out after 2s"));
      await expect(running).rejects.toMatchObject({
        kind: "timeout",
        message: `step \`s\` timed out after 2s; a process it started outside its process group was left running (pid ${escaped})`,
      });
    });
  });

  it("on a cancel with a process outside the group holding the output, rejects on time with the reason itself", async () => {
    const controller = new AbortController();
    await withEscapedChild("setsid sleep 30 & echo $!; wait", { signal: controller.signal }, async (_escaped, running) => {
      const reason = new Error("cancelled");
      const started = Date.now();
      controller.abort(reason);
      await expect(running).rejects.toBe(reason);
      expect(Date.now() - started).toBeLessThan(1500);
    });
  });

  it("sends SIGKILL to a group that ignores SIGTERM after the grace period", async () => {
    const controller = new AbortController();
    let pgid = 0;
    const running = sh("trap '' TERM; echo $$; sleep 30 & sleep 30; wait", {
      signal: controller.signal,
      onStdoutLine: (line) => {
        pgid = Number(line);
      },
    });
    await waitFor(() => pgid > 0 && runningInGroup(pgid).length === 3);
    const started = Date.now();
    controller.abort(new Error("stop"));
    await expect(running).rejects.toThrow("stop");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(runningInGroup(pgid)).toEqual([]);
  });

  it("streams output to the log while the process still runs", async () => {
    const controller = new AbortController();
    let settled = false;
    const running = sh("echo first line; sleep 30", { signal: controller.signal }).finally(() => {
      settled = true;
    });
    await waitFor(() => log.text().includes("first line\n"));
    expect(settled).toBe(false);
    controller.abort(new Error("done looking"));
    await expect(running).rejects.toThrow("done looking");
  });

  it("splits stdout into lines across chunk boundaries, multi-byte characters and CRLF included", async () => {
    const lines: string[] = [];
    await sh(String.raw`printf 'ab'; sleep 0.05; printf 'c\nd'; sleep 0.05; printf '\303'; sleep 0.05; printf '\251\r\n\nlast'`, {
      onStdoutLine: (line) => lines.push(line),
    });
    expect(lines).toEqual(["abc", "dé", "", "last"]);
  });

  it("keeps the head and tail of a huge stdout while the log gets all of it", async () => {
    const size = 200_000_000;
    const rssBefore = process.memoryUsage().rss;
    const result = await sh(`head -c ${size} /dev/zero | tr '\\0' 'a'; echo; echo THE END`, { maxCapture: 1000 });
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBeLessThan(1200);
    expect(result.stdout.startsWith("a".repeat(500))).toBe(true);
    expect(result.stdout).toMatch(/omitted/);
    expect(result.stdout.endsWith("aaa\nTHE END\n")).toBe(true);
    expect(rssGrowth).toBeLessThan(100 * 1024 * 1024);
    const { size: logSize } = await import("node:fs").then((fs) => fs.statSync(log.path));
    expect(logSize).toBe(size + "\nTHE END\n".length);
  });

  it("keeps the tail of a long stderr, where the error usually is", async () => {
    const result = await sh("i=0; while [ $i -lt 500 ]; do echo noise $i >&2; i=$((i+1)); done; echo fatal: broke >&2", {
      maxCapture: 100,
    });
    expect(result.truncated).toBe(true);
    expect(result.stderr.endsWith("noise 499\nfatal: broke\n")).toBe(true);
    expect(result.stderr.length).toBeLessThan(200);
    expect(result.stdout).toBe("");
  });

  it("rethrows an error from onStdoutLine once the child has ended", async () => {
    const attempt = sh("echo one; echo two", {
      onStdoutLine: () => {
        throw new Error("bad line");
      },
    });
    await expect(attempt).rejects.toThrow("bad line");
  });

  it("does not fail when the child exits without reading its stdin", async () => {
    const result = await runProcess({ file: "true", args: [], cwd: dir, signal: never, stdin: "x".repeat(5_000_000) });
    expect(result.code).toBe(0);
  });

  it("with inheritStdio hands the terminal over, captures nothing, and still reports the code", async () => {
    const result = await runProcess({ file: "sh", args: ["-c", "exit 5"], cwd: dir, signal: never, log, inheritStdio: true });
    expect(result).toMatchObject({ code: 5, stdout: "", stderr: "", truncated: false });
  });

  it("with inheritStdio still kills the child on abort", async () => {
    const controller = new AbortController();
    const running = runProcess({ file: "sleep", args: ["30"], cwd: dir, signal: controller.signal, inheritStdio: true });
    setTimeout(() => controller.abort(new Error("interactive step cancelled")), 100);
    const started = Date.now();
    await expect(running).rejects.toThrow("interactive step cancelled");
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

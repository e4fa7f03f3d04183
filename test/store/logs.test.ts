/** Step logs: file names that are safe and reversible, and append-mode log streams. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { expect, it } from "vitest";
import { createStepLog, encodeLogName } from "../../src/runtime/store/index.js";
import { storePerTest } from "./helpers.js";

const t = storePerTest();

it("puts a step's log under logs/<run>/ with brackets, slashes and hashes encoded", () => {
  const path = t.store.logPath("abc12345", "call/inner[2]#1");
  expect(path).toBe(join(t.dir, "logs", "abc12345", "call%2Finner%5B2%5D%231.log"));
  expect(statSync(dirname(path)).isDirectory()).toBe(true);
  expect(basename(t.store.logPath("abc12345", "build[2]"))).toBe("build%5B2%5D.log");
});

it("never lets a key or run id escape its folder", () => {
  for (const key of ["../../etc/passwd", "..", ".", "", "a/../../b", "\\x", "/abs", "%2F"]) {
    const path = t.store.logPath("../evil", key);
    expect(dirname(path)).toBe(join(t.dir, "logs", "..%2Fevil"));
    expect(basename(path)).not.toMatch(/[/\\]/);
  }
  expect(dirname(t.store.logPath("..", "k"))).toBe(join(t.dir, "logs", "%2E."));
  expect(dirname(t.store.logPath(".", "k"))).toBe(join(t.dir, "logs", "%2E"));
  expect(() => t.store.logPath("", "x")).toThrow(/needs a run id/);
});

it("encodes keys reversibly and keeps distinct keys in distinct files", () => {
  const keys = ["build[2]", "build%5B2%5D", "é/ü", "a b", "plan#1", "x.y-z_0", "%", "..", ".", "%2E", ""];
  for (const key of keys) expect(decodeURIComponent(encodeLogName(key))).toBe(key);
  expect(new Set(keys.map(encodeLogName)).size).toBe(keys.length);
  for (const name of keys.map(encodeLogName)) expect(name).toMatch(/^[A-Za-z0-9._%-]*$/);
});

it("shortens very long keys with a hash so distinct long keys stay distinct", () => {
  const a = encodeLogName(`${"loop[1]/".repeat(60)}a`);
  const b = encodeLogName(`${"loop[1]/".repeat(60)}b`);
  expect(a.length).toBeLessThanOrEqual(200);
  expect(a).not.toBe(b);
  expect(a).toContain("~");
});

it("appends to a step log, keeping what an earlier attempt wrote", async () => {
  const path = t.store.logPath("abc12345", "build[0]");
  const first = createStepLog(path);
  first.write("attempt 1\n");
  first.write(new TextEncoder().encode("bytes\n"));
  await first.close();
  const second = createStepLog(path);
  expect(second.path).toBe(path);
  second.write("attempt 2\n");
  await second.close();
  second.write("after close is ignored\n");
  expect(readFileSync(path, "utf8")).toBe("attempt 1\nbytes\nattempt 2\n");
});

it("creates the folders of a step log it is given", async () => {
  const path = join(t.dir, "elsewhere", "deep", "step.log");
  const log = createStepLog(path);
  log.write("x");
  await log.close();
  expect(existsSync(path)).toBe(true);
});

it("appends a loud step's output as it goes instead of holding it in memory", async () => {
  const path = t.store.logPath("abc12345", "loud");
  const log = createStepLog(path);
  const chunk = "x".repeat(64 * 1024);
  for (let i = 0; i < 40; i++) log.write(chunk);
  // 2.5 MiB written in one turn of the event loop: at most 1 MiB may still wait in memory.
  expect(statSync(path).size).toBeGreaterThanOrEqual(40 * chunk.length - 1024 * 1024);
  await log.close();
  expect(statSync(path).size).toBe(40 * chunk.length);
});

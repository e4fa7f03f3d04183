// Shared by the stand-in CLIs (test/stand-ins/<cli>): reading the prompt, the markers that select a
// behaviour, recording argv, and hanging until killed. Markers, each anywhere in the prompt:
//   @FAIL         the CLI reports a failure in its own way
//   @EXIT<n>      with @FAIL: exit with code n (default 1; @EXIT0 tests failures with exit 0)
//   @ERROREVENT   (codex) only an `error` event, exit 0
//   @WARN         (gemini) a warning `error` event in a successful run
//   @MAXTURNS     (claude, cursor) an `error_max_turns` result without `is_error` or text, exit 0
//   @GARBAGE      an unparseable line in the middle of the stream
//   @HANG         print the first event, then sleep until killed (with a child process)
//   @JSON <json>  the reply is this JSON (the rest of the line)
// $STANDIN_REPLY_FILE, when set, names a JSON array of `{ "when", "json", "files" }` entries for prompts
// written without markers (as real workflows are): the first entry whose `when` occurs in the prompt
// (an entry without `when` matches any prompt) replies with `json` as if `@JSON` had given it, and
// writes `files` (`{ "relative/path": "content" }`, relative to the working folder) the way an agent
// edits the workspace. The file is read on every call, so a test may rewrite it between runs.
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Reads all of stdin (empty when stdin is a terminal or closed). */
export function readStdin() {
  if (process.stdin.isTTY) return "";
  try {
    return readFileSync(0, "utf8");
  } catch {
    return "";
  }
}

/** Appends `{ cli, argv, ...extra }` as a JSON line to $STANDIN_ARGV_LOG, when set. */
export function recordArgv(cli, extra = {}) {
  const file = process.env.STANDIN_ARGV_LOG;
  if (file) appendFileSync(file, JSON.stringify({ cli, argv: process.argv.slice(2), ...extra }) + "\n");
}

/** The $STANDIN_REPLY_FILE entry for `prompt` (its files written), or undefined. */
function replyFileEntry(prompt) {
  const file = process.env.STANDIN_REPLY_FILE;
  if (!file) return undefined;
  const entries = JSON.parse(readFileSync(file, "utf8"));
  const entry = entries.find((e) => e.when === undefined || prompt.includes(e.when));
  for (const [name, content] of Object.entries(entry?.files ?? {})) {
    mkdirSync(dirname(name), { recursive: true });
    writeFileSync(name, content);
  }
  return entry;
}

/** The behaviour the prompt asks for (markers first, then $STANDIN_REPLY_FILE). */
export function markers(prompt) {
  const exit = /@EXIT(\d+)/.exec(prompt);
  const marked = /@JSON (.*)$/m.exec(prompt);
  const entry = marked ? undefined : replyFileEntry(prompt);
  const json = marked ? marked[1].trim() : entry?.json !== undefined ? JSON.stringify(entry.json) : undefined;
  return {
    fail: prompt.includes("@FAIL"),
    exitCode: exit ? Number(exit[1]) : 1,
    errorEvent: prompt.includes("@ERROREVENT"),
    warn: prompt.includes("@WARN"),
    garbage: prompt.includes("@GARBAGE"),
    hang: prompt.includes("@HANG"),
    maxTurns: prompt.includes("@MAXTURNS"),
    json,
  };
}

/** The first line of the prompt, which the default reply echoes. */
export function firstLine(prompt) {
  return prompt.trim().split("\n")[0] ?? "";
}

/** The value after `flag` (any of its names) in argv. */
export function flagValue(argv, ...names) {
  for (let i = 0; i < argv.length - 1; i++) if (names.includes(argv[i])) return argv[i + 1];
  return undefined;
}

export function emit(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}

/** Two lines no JSON reader accepts: a terminal warning and a JSON object cut off mid-way. */
export const GARBAGE_LINE = "\u001b[33mwarning:\u001b[0m cache is cold\n{\"type\":\"assistant\",\"message\":{\"content\":[";

/** Writes "<own pid> <child pid>" to $STANDIN_PID_FILE and never returns (until killed). */
export function hang() {
  const child = spawn("sleep", ["1000"], { stdio: "ignore" });
  if (process.env.STANDIN_PID_FILE) writeFileSync(process.env.STANDIN_PID_FILE, `${process.pid} ${child.pid}`);
  setInterval(() => {}, 1 << 30);
}

/** Interactive mode: say what was received on the terminal and exit (1 with @FAIL). */
export function interactive(cli, prompt) {
  process.stdout.write(`${cli} interactive: ${prompt}\n`);
  process.exit(prompt.includes("@FAIL") ? 1 : 0);
}

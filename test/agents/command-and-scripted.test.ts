/** `command(argv)` runs any program with the prompt on stdin; `scripted(file)` answers from a JSON file. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ask } from "../../src/runtime/agents/index.js";
import { StepError } from "../../src/runtime/errors.js";
import { T } from "../../src/compiler/types.js";
import { agent, makeContext, request } from "./helpers.js";

async function failure(promise: Promise<unknown>): Promise<StepError> {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(StepError);
  return err as StepError;
}

const node = process.execPath;

describe("command(argv)", () => {
  it("sends the prompt on stdin and replies with stdout, trimmed", async () => {
    const echo = agent("command", { argv: [node, "-e", "process.stdin.pipe(process.stdout)"] });
    const reply = await ask(echo, request("  hello there \n"), makeContext());
    expect(reply).toMatchObject({ ok: true, text: "hello there", session: "", cost: 0, tokens: { input: 0, output: 0 } });
  });

  it("runs in the workspace", async () => {
    const ctx = makeContext();
    const reply = await ask(agent("command", { argv: [node, "-e", "console.log(process.cwd())"] }), request("x"), ctx);
    expect(reply.text).toBe(ctx.workspace);
  });

  it("fails with the tail of stderr when the program exits non-zero", async () => {
    const a = agent("command", { argv: [node, "-e", "console.error('line 1\\nboom'); process.exit(3)"] });
    const err = await failure(ask(a, request("x"), makeContext()));
    expect(err.kind).toBe("failed");
    expect(err.message).toBe(`command: \`${node}\` exited with code 3: line 1\nboom`);
  });

  it("asks for JSON in the prompt and validates it when the step gives output:", async () => {
    // prints a fenced block when the prompt carries the schema instruction
    const script = "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(s.includes('JSON Schema')?'```json\\n{\"n\":'+(s.includes('bad')?'\"x\"':'7')+'}\\n```':'no schema'))";
    const a = agent("command", { argv: [node, "-e", script] });
    expect((await ask(a, request("count", { output: T.record({ n: T.int }) }), makeContext())).output).toEqual({ n: 7 });
    const err = await failure(ask(a, request("count bad", { output: T.record({ n: T.int }) }), makeContext()));
    expect(err.message).toBe("reply field `n`: expected int, got string");
  });

  it("says in the reply, the step log and the progress that a reply longer than 1 MiB was cut", async () => {
    const script = "process.stdout.write('head\\n' + 'x'.repeat(3 * 1024 * 1024) + '\\ntail')";
    const ctx = makeContext();
    const reply = await ask(agent("command", { argv: [node, "-e", script] }), request("x"), ctx);
    const omitted = 3 * 1024 * 1024 + 10 - 1024 * 1024;
    expect(reply.text.startsWith("head\n")).toBe(true);
    expect(reply.text.endsWith("\ntail")).toBe(true);
    expect(reply.text).toContain(`\n[… ${omitted} bytes omitted; the step log has all of it …]\n`);
    const note =
      `the reply is cut: stdout had ${omitted + 1024 * 1024} bytes, the reply keeps its first and last 512 KiB, ` +
      `with a marker line where ${omitted} bytes were left out; the step log has all of it`;
    expect(ctx.logged()).toContain(`\n[cmc] command: ${note}\n`);
    expect(ctx.messages.at(-1)).toBe(note);
  });

  it("names the cut when a reply longer than 1 MiB is no JSON for output:", async () => {
    const script = "process.stdout.write('{\"n\": \"' + 'x'.repeat(2 * 1024 * 1024) + '\"}')";
    const err = await failure(ask(agent("command", { argv: [node, "-e", script] }), request("count", { output: T.record({ n: T.string }) }), makeContext()));
    expect(err.kind).toBe("invalid_output");
    expect(err.message).toMatch(/^the reply is not JSON: .*\(the reply is cut: stdout had 2097161 bytes, .* the step log has all of it\)$/s);
  });

  it("names a program that does not exist", async () => {
    const err = await failure(ask(agent("command", { argv: ["cmc-no-such-program"] }), request("x"), makeContext()));
    expect(err.message).toBe("command: program `cmc-no-such-program` was not found (is it installed and on PATH?)");
    expect(err.retryable).toBe(false);
  });

  it("needs a non-empty argv", async () => {
    const err = await failure(ask(agent("command", { argv: [] }), request("x"), makeContext()));
    expect(err.kind).toBe("runtime");
  });
});

describe("scripted(file)", () => {
  function workspaceWith(replies: unknown): string {
    const dir = mkdtempSync(join(tmpdir(), "cmc-scripted-"));
    writeFileSync(join(dir, "replies.json"), JSON.stringify(replies));
    return dir;
  }
  const replies = [
    { when: "Plan", text: "the plan", output: { summary: "s", tasks: [] } },
    { when: "Deploy", fail: "deploys are frozen" },
    { when: "Review", text: '```json\n{"ok": true}\n```' },
    { text: "anything else" },
  ];
  const scripted = agent("scripted", { file: "replies.json" });

  it("answers with the first entry whose when occurs in the prompt", async () => {
    const ctx = makeContext(workspaceWith(replies));
    const reply = await ask(scripted, request("Make a Plan for login"), ctx);
    expect(reply).toMatchObject({ ok: true, text: "the plan", session: "scripted-1", cost: 0 });
    expect(reply.output).toBeUndefined();
    expect(ctx.messages).toEqual(["the plan"]);
  });

  it("does not consume entries: the same prompt gets the same reply every time", async () => {
    const ctx = makeContext(workspaceWith(replies));
    const first = await ask(scripted, request("Plan"), ctx);
    const second = await ask(scripted, request("Plan"), ctx);
    expect(second).toMatchObject({ text: first.text, session: first.session });
  });

  it("lets an entry without when answer any prompt, and keeps a session it was given", async () => {
    const reply = await ask(scripted, request("Hello", { session: "earlier" }), makeContext(workspaceWith(replies)));
    expect(reply).toMatchObject({ text: "anything else", session: "earlier" });
  });

  it("returns the entry's output validated, or JSON parsed from its text", async () => {
    const ws = workspaceWith(replies);
    const plan = T.record({ summary: T.string, tasks: T.list(T.string) });
    expect((await ask(scripted, request("Plan", { output: plan }), makeContext(ws))).output).toEqual({ summary: "s", tasks: [] });
    expect((await ask(scripted, request("Review", { output: T.record({ ok: T.bool }) }), makeContext(ws))).output).toEqual({ ok: true });
    const err = await failure(ask(scripted, request("Plan", { output: T.record({ summary: T.int }) }), makeContext(ws)));
    expect(err).toMatchObject({ kind: "invalid_output", message: "reply field `summary`: expected int, got string" });
  });

  it("fails with the entry's message when it says fail", async () => {
    const err = await failure(ask(scripted, request("Deploy now"), makeContext(workspaceWith(replies))));
    expect(err).toMatchObject({ kind: "failed", message: "deploys are frozen" });
  });

  it("fails naming the prompt's first line when no entry matches", async () => {
    const ws = workspaceWith([{ when: "Plan", text: "p" }]);
    const err = await failure(ask(scripted, request("Write the code\nfor real"), makeContext(ws)));
    expect(err).toMatchObject({ kind: "failed", message: "no scripted reply matches the prompt: Write the code" });
  });

  it("confines the file to the workspace and reports a malformed file", async () => {
    const outside = await failure(ask(agent("scripted", { file: "../elsewhere.json" }), request("x"), makeContext(workspaceWith([]))));
    expect(outside.kind).toBe("runtime");
    const malformed = await failure(ask(scripted, request("x"), makeContext(workspaceWith({ when: "x" }))));
    expect(malformed).toMatchObject({ kind: "runtime", message: "scripted file `replies.json`: expected a JSON array of replies" });
  });

  it("reads a file only while it is inside the workspace, even one it read before", async () => {
    const ws = mkdtempSync(join(tmpdir(), "cmc-scripted-"));
    mkdirSync(join(ws, "replies"));
    writeFileSync(join(ws, "replies", "r.json"), JSON.stringify([{ text: "inside" }]));
    const inFolder = agent("scripted", { file: "replies/r.json" });
    expect((await ask(inFolder, request("x"), makeContext(ws))).text).toBe("inside");
    // The same path now leads outside: the folder moves out and a symlink takes its place. What was
    // read inside may still answer, but the file is not read again out there once it changes.
    const out = mkdtempSync(join(tmpdir(), "cmc-outside-"));
    renameSync(join(ws, "replies"), join(out, "replies"));
    symlinkSync(join(out, "replies"), join(ws, "replies"));
    expect((await ask(inFolder, request("x"), makeContext(ws))).text).toBe("inside");
    writeFileSync(join(out, "replies", "r.json"), JSON.stringify([{ text: "outside" }]));
    expect((await failure(ask(inFolder, request("x"), makeContext(ws)))).message).toMatch(/outside the workspace/);
    // Another file swapped in through the symlink is refused at once.
    writeFileSync(join(ws, "plain.json"), JSON.stringify([{ text: "plain" }]));
    const plain = agent("scripted", { file: "plain.json" });
    expect((await ask(plain, request("x"), makeContext(ws))).text).toBe("plain");
    writeFileSync(join(out, "plain.json"), JSON.stringify([{ text: "elsewhere" }]));
    rmSync(join(ws, "plain.json"));
    symlinkSync(join(out, "plain.json"), join(ws, "plain.json"));
    expect((await failure(ask(plain, request("x"), makeContext(ws)))).message).toMatch(/outside the workspace/);
    // A file one workspace may read is refused to a workspace it is outside of.
    const inner = mkdtempSync(join(ws, "inner-"));
    writeFileSync(join(ws, "top.json"), JSON.stringify([{ text: "top" }]));
    expect((await ask(agent("scripted", { file: "top.json" }), request("x"), makeContext(ws))).text).toBe("top");
    const up = await failure(ask(agent("scripted", { file: "../top.json" }), request("x"), makeContext(inner)));
    expect(up.message).toMatch(/outside the workspace/);
  });
});

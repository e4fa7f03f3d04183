/**
 * An agent may stream hundreds of megabytes of text: the adapters keep a bounded reply (its head
 * and tail), as `sh` and `command` do, instead of every part.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { BoundedText } from "../../src/runtime/agents/bounded-text.js";
import { claudeSpec } from "../../src/runtime/agents/claude.js";
import { claudeStreamReader } from "../../src/runtime/agents/claude-stream.js";
import { geminiSpec } from "../../src/runtime/agents/gemini.js";
import { opencodeSpec } from "../../src/runtime/agents/opencode.js";
import { request } from "./helpers.js";

const MiB = 1024 * 1024;

/** A fresh copy of a text part each time, as JSON.parse of each streamed line gives one. */
function assistantEvent(text: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ type: "assistant", message: { content: [{ type: "text", text }] } })) as Record<string, unknown>;
}

describe("BoundedText", () => {
  it("keeps every piece, joined, while they fit", () => {
    const t = new BoundedText(100, "\n");
    for (const piece of ["one", "two", "three"]) t.push(piece);
    expect(t.text()).toBe("one\ntwo\nthree");
    expect(t.omitted).toBe(0);
  });

  it("keeps the first and the last half of its limit, with a marker saying how much was left out", () => {
    const t = new BoundedText(20);
    for (const piece of ["abcdefgh", "ijklmnop", "qrstuvwx", "yz012345", "6789"]) t.push(piece);
    expect(t.text()).toBe("abcdefghij\n[… 16 characters omitted; the step log has all of it …]\n0123456789");
  });

  it("stays exact over many small pieces and one huge one", () => {
    const t = new BoundedText(1000, "");
    let all = "";
    for (let i = 0; i < 5000; i++) {
      const piece = i === 2500 ? "#".repeat(5000) : String(i % 10);
      t.push(piece);
      all += piece;
    }
    expect(t.text()).toBe(`${all.slice(0, 500)}\n[… ${all.length - 1000} characters omitted; the step log has all of it …]\n${all.slice(-500)}`);
  });
});

describe("the claude adapter's memory", () => {
  it("does not grow with the agent's output: 100 MB of text parts retain less than 32 MB", () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const reader = claudeStreamReader(() => undefined);
    const part = "x".repeat(100 * 1024);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1000; i++) reader.event(assistantEvent(part));
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    expect(retained).toBeLessThan(32 * MiB);
    expect(reader.state.assistantText.omitted).toBeGreaterThan(90 * MiB);
  });

  it("replies with the head and tail of a long stream when the result has no text", () => {
    const parser = claudeSpec.parser(() => undefined, request("x"));
    parser.event(assistantEvent("first part"));
    for (let i = 0; i < 30; i++) parser.event(assistantEvent("y".repeat(100 * 1024)));
    parser.event(assistantEvent("last part"));
    parser.event({ type: "result", subtype: "success", is_error: false, session_id: "s" });
    const text = parser.finish({ code: 0, stderr: "" }).text;
    expect(text.length).toBeLessThan(MiB + 200);
    expect(text.startsWith("first part\nyyy")).toBe(true);
    expect(text.endsWith("yyy\nlast part")).toBe(true);
    expect(text).toMatch(/\n\[… \d+ characters omitted; the step log has all of it …\]\n/);
  });

  it("bounds gemini's streamed reply the same way", () => {
    const parser = geminiSpec.parser(() => undefined, request("x"));
    for (let i = 0; i < 30; i++) parser.event({ type: "message", role: "assistant", content: `${i}:${"z".repeat(100 * 1024)}`, delta: true });
    parser.event({ type: "result", status: "success", stats: {} });
    const text = parser.finish({ code: 0, stderr: "" }).text;
    expect(text.length).toBeLessThan(MiB + 200);
    expect(text.startsWith("0:zzz")).toBe(true);
    expect(text).toContain("characters omitted");
  });

  it("bounds opencode's text parts too, still replacing a part printed again", () => {
    const parser = opencodeSpec.parser(() => undefined, request("x"));
    const text = (id: string, t: string) => parser.event({ type: "text", sessionID: "s", part: { id, type: "text", text: t } });
    text("first", "first draft");
    text("first", "first part");
    for (let i = 0; i < 200; i++) text(`p${i}`, `${i}:${"w".repeat(100 * 1024)}`);
    text("last", "last draft");
    text("last", "last part");
    const reply = parser.finish({ code: 0, stderr: "" }).text;
    expect(reply.length).toBeLessThan(MiB + 40 * 100 * 1024);
    expect(reply.startsWith("first part\n0:www")).toBe(true);
    expect(reply.endsWith("www\nlast part")).toBe(true);
    expect(reply).toContain("characters omitted");
  });
});

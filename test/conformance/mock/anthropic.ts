/**
 * The Anthropic Messages API on the mock server (`POST /v1/messages`, streamed as SSE or not), as
 * Claude Code calls it with `ANTHROPIC_BASE_URL` pointed at the mock. Each model request takes the
 * next scripted reply; `count_tokens` is answered without taking one.
 */
import type { ServerResponse } from "node:http";
import { sendJson, sendSse, type MockServer, type Scripted, type Usage } from "./server.js";

/** The requests' `tools[].name` of Claude Code's structured-output tool. */
export function structuredOutputTool(body: unknown): string | undefined {
  const tools = (body as { tools?: { name?: string }[] } | undefined)?.tools ?? [];
  return tools.find((t) => /structured.?output/i.test(t.name ?? ""))?.name;
}

let counter = 0;

function usageOf(u: Usage | undefined): Record<string, number> {
  return {
    input_tokens: u?.input ?? 10,
    output_tokens: u?.output ?? 5,
    cache_creation_input_tokens: u?.cacheWrite ?? 0,
    cache_read_input_tokens: u?.cachedInput ?? 0,
  };
}

type Block = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown };

function blocksOf(reply: Extract<Scripted, { kind: "text" | "structured" | "tool" }>, body: unknown): Block[] {
  switch (reply.kind) {
    case "text":
      return [{ type: "text", text: reply.text }];
    case "tool":
      return [{ type: "tool_use", id: `toolu_mock${++counter}`, name: reply.name, input: reply.input }];
    case "structured": {
      const tool = structuredOutputTool(body);
      // As a model does when it was given no tool for it: it answers in prose.
      if (!tool) return [{ type: "text", text: "I was offered no structured-output tool, so here is my answer in words." }];
      return [{ type: "tool_use", id: `toolu_mock${++counter}`, name: tool, input: reply.value }];
    }
  }
}

function answer(res: ServerResponse, reply: Scripted, body: unknown): void {
  const model = (body as { model?: string } | undefined)?.model ?? "claude-sonnet-4-5";
  const stream = (body as { stream?: boolean } | undefined)?.stream === true;
  if (reply.kind === "status") {
    sendJson(res, reply.status, { type: "error", error: { type: "api_error", message: reply.message ?? `mock HTTP ${reply.status}` } });
    return;
  }
  if (reply.kind === "invalid") {
    res.writeHead(200, { "content-type": stream ? "text/event-stream" : "application/json" });
    res.end(stream ? "event: message_start\ndata: {this is not json\n\n" : "{this is not json");
    return;
  }
  const blocks = blocksOf(reply, body);
  const usage = usageOf(reply.usage);
  const stopReason = blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";
  const id = `msg_mock${++counter}`;
  if (!stream) {
    sendJson(res, 200, { id, type: "message", role: "assistant", model, content: blocks, stop_reason: stopReason, stop_sequence: null, usage });
    return;
  }
  const events: { event: string; data: unknown }[] = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
      },
    },
  ];
  blocks.forEach((block, index) => {
    if (block.type === "text") {
      events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "text", text: "" } } });
      events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } } });
    } else {
      events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { ...block, input: {} } } });
      events.push({
        event: "content_block_delta",
        data: { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } },
      });
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  events.push({ event: "message_delta", data: { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } } });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  sendSse(res, events);
}

/** Whether a request is Claude Code answering the structured-output tool it was just made to call. */
function answersStructuredOutput(body: unknown): boolean {
  const messages = (body as { messages?: { role: string; content: unknown }[] } | undefined)?.messages ?? [];
  const last = messages[messages.length - 1];
  if (!last || last.role !== "user" || !Array.isArray(last.content)) return false;
  const tool = structuredOutputTool(body);
  if (!tool) return false;
  const ids = new Set<string>();
  for (const m of messages) {
    if (m.role === "assistant" && Array.isArray(m.content)) {
      for (const c of m.content as { type: string; id?: string; name?: string }[]) if (c.type === "tool_use" && c.name === tool && c.id) ids.add(c.id);
    }
  }
  return (last.content as { type: string; tool_use_id?: string }[]).some((c) => c.type === "tool_result" && c.tool_use_id !== undefined && ids.has(c.tool_use_id));
}

/** The model requests (not token counts) the mock received. */
export function messageRequests(server: MockServer): { body: Record<string, unknown>; headers: Record<string, unknown> }[] {
  return server.requestsTo("/v1/messages").map((r) => ({ body: r.body as Record<string, unknown>, headers: r.headers as Record<string, unknown> }));
}

export function registerAnthropic(server: MockServer): MockServer {
  server.route("POST", "/v1/messages/count_tokens", ({ res }) => sendJson(res, 200, { input_tokens: 100 }));
  server.route("POST", "/v1/messages", ({ request, res, server: s }) => {
    // After the structured-output tool call, Claude Code sends its result back: the turn is done.
    const reply: Scripted = answersStructuredOutput(request.body) ? { kind: "text", text: "", usage: { input: 0, output: 0 } } : s.next();
    answer(res, reply, request.body);
  });
  return server;
}

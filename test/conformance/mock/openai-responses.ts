/**
 * The OpenAI Responses API on the mock server (`POST /v1/responses`, streamed as SSE), as codex
 * calls it through a `model_providers` entry with `wire_api = "responses"`. Each request takes the
 * next scripted reply; a structured reply is the message text in JSON, as the API answers a
 * request whose `text.format` is a JSON schema.
 */
import type { ServerResponse } from "node:http";
import { sendJson, sendSse, type MockServer, type Scripted } from "./server.js";

let counter = 0;

function outputItems(reply: Extract<Scripted, { kind: "text" | "structured" | "tool" }>): Record<string, unknown>[] {
  const id = `item_mock${++counter}`;
  switch (reply.kind) {
    case "text":
    case "structured": {
      const text = reply.kind === "text" ? reply.text : JSON.stringify(reply.value);
      return [{ type: "message", id, role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [] }] }];
    }
    case "tool":
      return [{ type: "function_call", id, call_id: `call_mock${counter}`, name: reply.name, arguments: JSON.stringify(reply.input), status: "completed" }];
  }
}

function answer(res: ServerResponse, reply: Scripted, body: unknown): void {
  if (reply.kind === "status") {
    sendJson(res, reply.status, { error: { type: "server_error", code: "server_error", message: reply.message ?? `mock HTTP ${reply.status}` } });
    return;
  }
  if (reply.kind === "invalid") {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end("event: response.created\ndata: {this is not json\n\n");
    return;
  }
  const model = (body as { model?: string } | undefined)?.model ?? "gpt-5-codex";
  const id = `resp_mock${++counter}`;
  const items = outputItems(reply);
  const input = reply.usage?.input ?? 10;
  const output = reply.usage?.output ?? 5;
  const usage = {
    input_tokens: input,
    input_tokens_details: { cached_tokens: reply.usage?.cachedInput ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
  const base = { id, object: "response", created_at: Math.floor(Date.now() / 1000), model };
  const events: { event: string; data: unknown }[] = [
    { event: "response.created", data: { type: "response.created", response: { ...base, status: "in_progress", output: [] } } },
  ];
  items.forEach((item, index) => {
    events.push({ event: "response.output_item.added", data: { type: "response.output_item.added", output_index: index, item } });
    if (item["type"] === "message") {
      const text = (item["content"] as { text: string }[])[0]!.text;
      events.push({ event: "response.output_text.delta", data: { type: "response.output_text.delta", item_id: item["id"], output_index: index, content_index: 0, delta: text } });
    }
    events.push({ event: "response.output_item.done", data: { type: "response.output_item.done", output_index: index, item } });
  });
  events.push({ event: "response.completed", data: { type: "response.completed", response: { ...base, status: "completed", output: items, usage } } });
  sendSse(res, events);
}

export function responsesRequests(server: MockServer): Record<string, unknown>[] {
  return server.requestsTo("/v1/responses").map((r) => r.body as Record<string, unknown>);
}

export function registerOpenAiResponses(server: MockServer): MockServer {
  server.route("POST", "/v1/responses", ({ request, res, server: s }) => answer(res, s.next(), request.body));
  return server;
}

/** `$CODEX_HOME/config.toml` pointing codex at the mock, its retries set by `retries`. */
export function codexConfig(server: MockServer, retries = 0): string {
  return `model = "gpt-5-codex"
model_provider = "mock"

[model_providers.mock]
name = "mock"
base_url = "${server.url}/v1"
wire_api = "responses"
env_key = "MOCK_OPENAI_API_KEY"
request_max_retries = ${retries}
stream_max_retries = ${retries}
`;
}

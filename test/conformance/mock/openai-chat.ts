/**
 * The OpenAI Chat Completions API on the mock server (`POST /v1/chat/completions`, streamed as SSE
 * `chat.completion.chunk`s ending in a usage chunk and `[DONE]`), as OpenCode calls it through a
 * custom provider (`@ai-sdk/openai-compatible` with a `baseURL`). OpenCode also asks the model for a
 * session title: those requests are answered apart ("Mock title"), so the queue scripts the chat.
 */
import type { ServerResponse } from "node:http";
import { sendJson, type MockServer, type RecordedRequest, type Scripted } from "./server.js";

const PATH = "/v1/chat/completions";

interface ChatBody {
  readonly model?: string;
  readonly messages?: readonly { readonly role: string; readonly content: unknown }[];
}

/** Whether a request is OpenCode's session-title request, not the chat. */
function isTitleRequest(body: ChatBody): boolean {
  const system = body.messages?.find((m) => m.role === "system");
  return typeof system?.content === "string" && system.content.startsWith("You are a title generator");
}

function chunkStream(res: ServerResponse, model: string, text: string, usage: { input: number; output: number }): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const base = { id: "chatcmpl-mock", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model };
  const half = Math.floor(text.length / 2);
  const chunks = [
    { ...base, choices: [{ index: 0, delta: { role: "assistant", content: text.slice(0, half) }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { content: text.slice(half) }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    { ...base, choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } },
  ];
  for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
  res.end("data: [DONE]\n\n");
}

function answer(res: ServerResponse, reply: Scripted, model: string): void {
  switch (reply.kind) {
    case "status":
      // OpenCode retries a 5xx 5 times, waiting `retry-after-ms` when the answer gives it (else 2 s, doubling).
      res.setHeader("retry-after-ms", "0");
      sendJson(res, reply.status, { error: { message: reply.message ?? `mock HTTP ${reply.status}`, type: "server_error", code: null } });
      return;
    case "invalid":
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("data: {this is not json\n\n");
      return;
    case "tool":
      throw new Error("the chat completions mock answers no tool calls");
    case "text":
      chunkStream(res, model, reply.text, reply.usage ?? { input: 10, output: 5 });
      return;
    case "structured":
      chunkStream(res, model, "```json\n" + JSON.stringify(reply.value) + "\n```", reply.usage ?? { input: 10, output: 5 });
  }
}

export function registerOpenAiChat(server: MockServer): MockServer {
  server.route("POST", PATH, ({ request, res, server: s }) => {
    const body = (request.body ?? {}) as ChatBody;
    const model = body.model ?? "mock-model";
    if (isTitleRequest(body)) chunkStream(res, model, "Mock title", { input: 1, output: 1 });
    else answer(res, s.next(), model);
  });
  return server;
}

/** The chat requests OpenCode made (not its title requests). */
export function chatRequests(server: MockServer): RecordedRequest[] {
  return server.requestsTo(PATH).filter((r) => !isTitleRequest((r.body ?? {}) as ChatBody));
}

export function messagesOf(request: RecordedRequest): { role: string; content: unknown }[] {
  return [...((request.body as ChatBody).messages ?? [])];
}

/** The text of a request's last user message. */
export function lastUserText(request: RecordedRequest): string {
  const user = messagesOf(request).filter((m) => m.role === "user").pop();
  const content = user?.content;
  if (typeof content === "string") return content;
  return Array.isArray(content) ? content.map((p: { text?: string }) => p.text ?? "").join("\n") : "";
}

/**
 * `opencode.json` with provider `mock` at the server (models `mock-model`, priced `cost` dollars per
 * million input and output tokens, and `other-model`), and an agent `reviewer` with its own prompt.
 */
export function opencodeConfig(server: MockServer, cost = { input: 3, output: 15 }): string {
  return JSON.stringify({
    $schema: "https://opencode.ai/config.json",
    autoupdate: false,
    share: "disabled",
    model: "mock/mock-model",
    provider: {
      mock: {
        npm: "@ai-sdk/openai-compatible",
        name: "Mock",
        options: { baseURL: `${server.url}/v1`, apiKey: "sk-conformance" },
        models: { "mock-model": { name: "Mock model", cost }, "other-model": { name: "Other model" } },
      },
    },
    agent: { reviewer: { description: "Reviews code", mode: "primary", prompt: "You are the conformance reviewer agent." } },
  });
}

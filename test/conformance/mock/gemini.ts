/**
 * The Gemini API on the mock server, as Gemini CLI calls it with `GOOGLE_GEMINI_BASE_URL`:
 * `POST /v1beta/models/<model>:streamGenerateContent?alt=sse` for the chat (SSE, one
 * `GenerateContentResponse` a `data:` line) and `…:generateContent` for its router's classifier,
 * which is answered apart (`flash` chosen, 7 input and 3 output tokens) so the queue scripts the chat.
 */
import type { ServerResponse } from "node:http";
import { sendJson, type MockServer, type RecordedRequest, type Scripted } from "./server.js";

const STREAM = /^\/v1beta\/models\/([^/:]+):streamGenerateContent$/;
const GENERATE = /^\/v1beta\/models\/([^/:]+):generateContent$/;

/** The tokens the mock's router reply reports (Gemini CLI counts its router model in `stats.models`). */
export const ROUTER_USAGE = { input: 7, output: 3 };

function usageMetadata(usage: { input: number; output: number }): Record<string, number> {
  return { promptTokenCount: usage.input, candidatesTokenCount: usage.output, totalTokenCount: usage.input + usage.output };
}

function stream(res: ServerResponse, reply: Scripted, model: string): void {
  if (reply.kind === "status") {
    sendJson(res, reply.status, { error: { code: reply.status, message: reply.message ?? `mock HTTP ${reply.status}`, status: "INTERNAL" } });
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  if (reply.kind === "invalid") {
    res.end("data: {this is not json\r\n\r\n");
    return;
  }
  if (reply.kind === "tool") throw new Error("the gemini mock answers no tool calls");
  const text = reply.kind === "text" ? reply.text : "```json\n" + JSON.stringify(reply.value) + "\n```";
  const half = Math.floor(text.length / 2);
  const chunk = (part: string, last: boolean) => ({
    candidates: [{ content: { role: "model", parts: [{ text: part }] }, index: 0, ...(last ? { finishReason: "STOP" } : {}) }],
    ...(last ? { usageMetadata: usageMetadata(reply.usage ?? { input: 10, output: 5 }) } : {}),
    modelVersion: model,
  });
  res.write(`data: ${JSON.stringify(chunk(text.slice(0, half), false))}\r\n\r\n`);
  res.end(`data: ${JSON.stringify(chunk(text.slice(half), true))}\r\n\r\n`);
}

export function registerGemini(server: MockServer): MockServer {
  server.route("POST", STREAM, ({ request, res, server: s }) => stream(res, s.next(), STREAM.exec(request.path)![1]!));
  server.route("POST", GENERATE, ({ res }) =>
    sendJson(res, 200, {
      candidates: [{ content: { role: "model", parts: [{ text: '{"reasoning":"a simple request","model_choice":"flash"}' }] }, finishReason: "STOP", index: 0 }],
      usageMetadata: usageMetadata(ROUTER_USAGE),
    }),
  );
  return server;
}

/** The chat requests Gemini CLI made (not its router's). */
export function chatRequests(server: MockServer): RecordedRequest[] {
  return server.requestsTo(STREAM);
}

/** The model a chat request was sent to (from its path). */
export function modelOf(request: RecordedRequest): string {
  return STREAM.exec(request.path)![1]!;
}

/** The texts of a request's last user turn (Gemini CLI sends its session context and the prompt as parts). */
export function lastUserText(request: RecordedRequest): string {
  const contents = (request.body as { contents: { role: string; parts: { text?: string }[] }[] }).contents;
  const user = contents.filter((c) => c.role === "user").pop();
  return (user?.parts ?? []).map((p) => p.text ?? "").join("\n");
}

/** The names of the functions (tools) a request offers the model. */
export function toolNames(request: RecordedRequest): string[] {
  const tools = (request.body as { tools?: { functionDeclarations?: { name: string }[] }[] }).tools ?? [];
  return tools.flatMap((t) => (t.functionDeclarations ?? []).map((f) => f.name));
}

/**
 * `~/.gemini/settings.json` for the mock: the API-key auth type (the base URL alone picks one headless
 * mode rejects, exit 41), `maxAttempts` model attempts (Gemini's default is 10), no telemetry or update check.
 */
export function geminiSettings(maxAttempts = 1): string {
  return JSON.stringify({
    security: { auth: { selectedType: "gemini-api-key" } },
    general: { maxAttempts, disableAutoUpdate: true, disableUpdateNag: true },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
  });
}

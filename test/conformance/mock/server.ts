/**
 * The mock model server of the conformance suite: a node:http server on 127.0.0.1 (a free port)
 * where each protocol module (anthropic.ts, openai-responses.ts, …) registers its routes. A test
 * scripts the replies as a queue, and reads back every request the CLI made.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Token counts a scripted reply reports; a protocol module maps them to its own usage fields. */
export interface Usage {
  readonly input: number;
  readonly output: number;
  /** Input read from the provider's prompt cache (counted within `input` by OpenAI, apart by Anthropic). */
  readonly cachedInput?: number;
  readonly cacheWrite?: number;
}

/** One scripted answer to one model request. */
export type Scripted =
  /** The assistant says `text`. */
  | { readonly kind: "text"; readonly text: string; readonly usage?: Usage }
  /**
   * The structured reply: through the CLI's structured-output tool when the request offers one
   * (Claude's), else as the message text in JSON (Codex's `text.format` schema).
   */
  | { readonly kind: "structured"; readonly value: unknown; readonly usage?: Usage }
  /** A call of a tool the request offers, by name. */
  | { readonly kind: "tool"; readonly name: string; readonly input: unknown; readonly usage?: Usage }
  /** An HTTP error status with a JSON error body in the protocol's shape. */
  | { readonly kind: "status"; readonly status: number; readonly message?: string }
  /** HTTP 200 with a body that is no valid reply of the protocol. */
  | { readonly kind: "invalid" };

/** A request the mock received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body, or the raw text when it is not JSON (`undefined` when empty). */
  readonly body: unknown;
  readonly at: number;
}

export interface RouteContext {
  readonly request: RecordedRequest;
  readonly res: ServerResponse;
  readonly server: MockServer;
}

export type RouteHandler = (ctx: RouteContext) => void | Promise<void>;

interface Route {
  readonly method: string;
  readonly path: string | RegExp;
  readonly handle: RouteHandler;
}

export class MockServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly queue: Scripted[] = [];
  /** What a model request gets when the queue is empty. */
  fallback: Scripted = { kind: "status", status: 500, message: "the mock model server has no scripted reply left" };

  private constructor(
    private readonly http: Server,
    readonly url: string,
  ) {}

  /** Starts a server on 127.0.0.1 at a free port. */
  static async start(): Promise<MockServer> {
    const http = createServer();
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as AddressInfo;
    const server = new MockServer(http, `http://127.0.0.1:${port}`);
    http.on("request", (req, res) => void server.dispatch(req, res));
    return server;
  }

  /** Adds a route; the first registered route that matches a request answers it. */
  route(method: string, path: string | RegExp, handle: RouteHandler): this {
    this.routes.push({ method: method.toUpperCase(), path, handle });
    return this;
  }

  /** Queues replies, answered in order to the model requests that take one. */
  reply(...items: Scripted[]): this {
    this.queue.push(...items);
    return this;
  }

  /** The next scripted reply (the fallback when none is left). */
  next(): Scripted {
    return this.queue.shift() ?? this.fallback;
  }

  /** How many scripted replies have not been taken. */
  get pending(): number {
    return this.queue.length;
  }

  /** The recorded requests to a path (a string is matched exactly, a RegExp tested). */
  requestsTo(path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => (typeof path === "string" ? r.path === path : path.test(r.path)));
  }

  /** Forgets the recorded requests and the queue. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown = raw === "" ? undefined : raw;
    try {
      if (raw !== "") body = JSON.parse(raw) as unknown;
    } catch {
      // kept as text
    }
    const url = new URL(req.url ?? "/", this.url);
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search,
      headers: req.headers,
      body,
      at: Date.now(),
    };
    this.requests.push(request);
    const route = this.routes.find(
      (r) => r.method === request.method && (typeof r.path === "string" ? r.path === request.path : r.path.test(request.path)),
    );
    try {
      if (route) await route.handle({ request, res, server: this });
      else sendJson(res, 404, { error: { type: "not_found", message: `the mock has no route for ${request.method} ${request.path}` } });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { error: { type: "mock_error", message: String(err) } });
      res.end();
    }
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

/** Writes Server-Sent Events: `event: <name>` and `data: <json>` for each. */
export function sendSse(res: ServerResponse, events: readonly { readonly event: string; readonly data: unknown }[]): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  for (const e of events) res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
  res.end();
}

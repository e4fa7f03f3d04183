/** The mock model server itself: routes, the reply queue and the recorded requests. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MockServer, sendJson } from "./mock/server.js";

let server: MockServer;
beforeEach(async () => {
  server = await MockServer.start();
  server.route("POST", "/v1/echo", ({ request, res, server: s }) => sendJson(res, 200, { got: request.body, reply: s.next() }));
});
afterEach(() => server.close());

describe("the mock model server", () => {
  it("listens on loopback only", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("answers model requests from the queue in order, then with its fallback, and records every request", async () => {
    server.reply({ kind: "text", text: "one" }, { kind: "status", status: 500 });
    const post = (body: unknown) =>
      fetch(`${server.url}/v1/echo?beta=true`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ reply: { kind: string } }>);
    expect((await post({ n: 1 })).reply).toEqual({ kind: "text", text: "one" });
    expect((await post({ n: 2 })).reply).toEqual({ kind: "status", status: 500 });
    expect((await post({ n: 3 })).reply.kind).toBe("status");
    expect(server.pending).toBe(0);
    expect(server.requestsTo("/v1/echo").map((r) => [r.body, r.query])).toEqual([
      [{ n: 1 }, "?beta=true"],
      [{ n: 2 }, "?beta=true"],
      [{ n: 3 }, "?beta=true"],
    ]);
  });

  it("answers an unknown route with 404 and still records it", async () => {
    const res = await fetch(`${server.url}/nowhere`);
    expect(res.status).toBe(404);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /nowhere"]);
  });
});

/**
 * What every conformance test file sets up: one mock model server for the file, speaking the
 * protocol `register` adds (its recordings reset before each test), and a private HOME per test.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { MockServer } from "../mock/server.js";
import { privateHome, type PrivateHome } from "./env.js";

export interface Session {
  readonly server: MockServer;
  readonly home: PrivateHome;
}

export function conformanceSession(register: (server: MockServer) => MockServer): Session {
  let server: MockServer | undefined;
  let home: PrivateHome | undefined;
  beforeAll(async () => {
    server = register(await MockServer.start());
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    server?.reset();
    home = privateHome();
  });
  afterEach(() => home?.remove());
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the conformance session's ${what} is used outside a test`);
    return value;
  };
  return {
    get server() {
      return started(server, "mock server");
    },
    get home() {
      return started(home, "private home");
    },
  };
}

/**
 * A language client for tests: starts `node bin/cmc.js lsp` as a real process and talks JSON-RPC
 * to it over stdio (vscode-jsonrpc), with helpers for opening documents and waiting for the
 * diagnostics the server publishes.
 */
import { execa, type ResultPromise } from "execa";
import { pathToFileURL } from "node:url";
import rpc from "vscode-jsonrpc/node.js";
import type { MessageConnection } from "vscode-jsonrpc/node.js";
import { cmcBin } from "../helpers/cli.js";

const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = rpc;

export interface PublishedDiagnostics {
  readonly uri: string;
  readonly diagnostics: { range: Range; severity: number; code: string; message: string; data?: unknown }[];
}

export interface Range {
  readonly start: { line: number; character: number };
  readonly end: { line: number; character: number };
}

export class LspClient {
  private readonly published = new Map<string, PublishedDiagnostics[]>();
  private readonly waiters: { uri: string; count: number; resolve: (d: PublishedDiagnostics) => void }[] = [];
  readonly stderr: string[] = [];
  private versions = new Map<string, number>();

  private constructor(
    readonly connection: MessageConnection,
    readonly process: ResultPromise,
    readonly root: string,
  ) {
    connection.onNotification("textDocument/publishDiagnostics", (params: PublishedDiagnostics) => {
      const list = this.published.get(params.uri) ?? [];
      list.push(params);
      this.published.set(params.uri, list);
      for (const w of [...this.waiters]) {
        if (w.uri === params.uri && list.length >= w.count) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(params);
        }
      }
    });
    connection.onNotification("window/logMessage", (params: { message: string }) => this.stderr.push(params.message));
  }

  /** Starts `cmc lsp` in `root` and initializes it with `root` as the workspace folder. */
  static async start(root: string): Promise<LspClient> {
    const child = execa(process.execPath, [cmcBin, "lsp", "--stdio"], { cwd: root, reject: false, buffer: false, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(connection, child, root);
    child.stderr!.on("data", (chunk: Buffer) => client.stderr.push(chunk.toString()));
    connection.listen();
    await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: "test" }],
      capabilities: {},
    });
    await connection.sendNotification("initialized", {});
    return client;
  }

  uri(file: string): string {
    return pathToFileURL(`${this.root}/${file}`).href;
  }

  /** How many diagnostics notifications `file` has had so far. */
  publishedCount(file: string): number {
    return this.published.get(this.uri(file))?.length ?? 0;
  }

  /** The last diagnostics notification for `file` so far. */
  latest(file: string): PublishedDiagnostics | undefined {
    return this.published.get(this.uri(file))?.at(-1);
  }

  /** Resolves once the server has handled everything sent before (a request's answer follows them). */
  async settled(): Promise<void> {
    await this.connection.sendRequest("textDocument/documentSymbol", { textDocument: { uri: this.uri("settled.cm") } }).catch(() => undefined);
  }

  /** Resolves with the `count`-th diagnostics notification for `file` (1-based). */
  diagnostics(file: string, count = 1): Promise<PublishedDiagnostics> {
    const uri = this.uri(file);
    const list = this.published.get(uri) ?? [];
    if (list.length >= count) return Promise.resolve(list[count - 1]!);
    return new Promise((resolve) => this.waiters.push({ uri, count, resolve }));
  }

  async open(file: string, text: string, languageId = "cm"): Promise<void> {
    this.versions.set(file, 1);
    await this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: this.uri(file), languageId, version: 1, text } });
  }

  /** Replaces the whole text of an open document. */
  async change(file: string, text: string): Promise<void> {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification("textDocument/didChange", { textDocument: { uri: this.uri(file), version }, contentChanges: [{ text }] });
  }

  /** Changes an open document by one ranged edit. */
  async edit(file: string, range: Range, text: string): Promise<void> {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification("textDocument/didChange", { textDocument: { uri: this.uri(file), version }, contentChanges: [{ range, text }] });
  }

  request<R>(method: string, params: object): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Shuts the server down and resolves with its exit code. */
  async stop(): Promise<number | undefined> {
    await this.connection.sendRequest("shutdown");
    await this.connection.sendNotification("exit");
    const result = await this.process;
    this.connection.dispose();
    return result.exitCode;
  }
}

/** `text` with its cursor marker `‸` removed, and the LSP position where it was. */
export function withoutCursor(text: string): { text: string; position?: { line: number; character: number } } {
  const at = text.indexOf("‸");
  if (at < 0) return { text };
  const before = text.slice(0, at);
  const line = before.split("\n").length - 1;
  const character = at - (before.lastIndexOf("\n") + 1);
  return { text: before + text.slice(at + 1), position: { line, character } };
}

/** Shared fixtures for the store tests: temporary stores, a sample run, and child processes. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import type { IrProgram } from "../../src/compiler/ir/ir.js";
import type { NewRun } from "../../src/runtime/store/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "cmc-store-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The smallest valid IR program. */
export const emptyIr: IrProgram = { version: 1, root: "main.cm", workflows: {}, globals: {} };

/** A `NewRun` for `main.cm:main`, with optional overrides. */
export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    workflow: "main.cm:main",
    file: "main.cm",
    workspace: "/tmp/ws",
    inputs: { name: "world" },
    mode: "autonomous",
    options: { concurrency: 4, allowOutside: false },
    ir: emptyIr,
    ...overrides,
  };
}

/** A running `test/store/child.ts` with its stdout as lines. */
export interface Child {
  readonly process: ChildProcess;
  /** The next line the child prints. */
  line(): Promise<string>;
  send(text: string): void;
  exited: Promise<number | null>;
}

/** Starts `child.ts` in its own node process (through vite-node, which compiles the TypeScript). */
export function startChild(...args: string[]): Child {
  const child = spawn(join(root, "node_modules", ".bin", "vite-node"), [join(root, "test", "store", "child.ts"), ...args], {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (text) => {
    const next = waiting.shift();
    if (next) next(text);
    else queue.push(text);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    process: child,
    line: () => {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        waiting.push(resolve);
        void exited.then((code) => reject(new Error(`child exited (${code}) before printing`)));
      });
    },
    send: (text) => child.stdin!.write(`${text}\n`),
    exited,
  };
}

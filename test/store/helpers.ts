/** Shared fixtures for the store tests: temporary stores, a sample run, and child processes. */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { build, stop } from "esbuild";
import type { IrProgram } from "../../src/compiler/ir/ir.js";
import { afterEach, beforeEach } from "vitest";
import { openStore, type NewRun, type RunStore } from "../../src/runtime/store/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "cmc-store-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Before each test of the calling file, a store opened in a fresh temporary folder; after it, the
 * store (or whatever a test put in `t.store`, e.g. a reopened one) is closed and the folder removed.
 */
export function storePerTest(): { dir: string; store: RunStore } {
  const t = {} as { dir: string; store: RunStore };
  let cleanup = (): void => {};
  beforeEach(() => {
    ({ dir: t.dir, cleanup } = tempDir());
    t.store = openStore(t.dir);
  });
  afterEach(async () => {
    await t.store.close();
    cleanup();
  });
  return t;
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

let childScript: Promise<string> | undefined;

/**
 * `child.ts` compiled to plain JavaScript (esbuild, which vitest already brings), so a child
 * starts in a fraction of the time a TypeScript runner needs. The bundle sits under
 * node_modules/.cache so that its bare imports (lmdb, zod) resolve, named by its content hash so
 * that test processes share it and reruns reuse it.
 */
function compiledChild(): Promise<string> {
  childScript ??= compile();
  return childScript;
}

async function compile(): Promise<string> {
  const result = await build({
    entryPoints: [join(root, "test", "store", "child.ts")],
    bundle: true,
    write: false,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
  });
  // esbuild's service process would keep this test process alive.
  await stop();
  const code = result.outputFiles[0]!.text;
  const folder = join(root, "node_modules", ".cache", "cmc-store-test");
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `child-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return file;
}

/** Starts `child.ts` in its own node process. */
export async function startChild(...args: string[]): Promise<Child> {
  const child = spawn(process.execPath, [await compiledChild(), ...args], {
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

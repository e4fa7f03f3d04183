/**
 * Runs an example workflow for real: copied into a temporary workspace, through the built CLI, with
 * the stand-in agent CLIs first on PATH. Replies to prompts come from a $STANDIN_REPLY_FILE the test
 * writes; gates are decided through `cmc approve` / `cmc reject` and the run continued with `cmc resume`.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { repoRoot, type CliResult } from "../helpers/cli.js";
import { workspace, type RunJson, type Workspace } from "../runtime/workspace.js";

const STAND_INS = path.join(repoRoot, "test", "stand-ins");

/** One canned answer of a stand-in CLI: see test/stand-ins/_common.mjs. */
export interface StandInReply {
  readonly when?: string;
  readonly json?: unknown;
  readonly files?: Readonly<Record<string, string>>;
}

/** One invocation of a stand-in CLI, as recorded in $STANDIN_ARGV_LOG. */
export interface Invocation {
  readonly cli: string;
  readonly argv: readonly string[];
}

/** How a test answers a waiting gate. */
export type Answer = { readonly approve: true; readonly reason?: string } | { readonly approve: false; readonly reason: string };

export interface ExampleWorkspace extends Workspace {
  /** Writes a file, creating its folders. */
  write(name: string, text: string): string;
  /** `cmc …` in the workspace with the stand-ins on PATH and the reply and argv files set. */
  run(args: readonly string[]): Promise<CliResult>;
  /** Writes the stand-ins' reply file (read again on every agent call). */
  replies(entries: readonly StandInReply[]): void;
  /** The stand-in invocations so far, in order. */
  invocations(): Invocation[];
  /** Gate keys the run waits on, from `cmc status RUN`; escalations are marked `(escalated)`. */
  pending(run: string): Promise<string[]>;
  /**
   * Decides every waiting gate with `answer(key)` and resumes, until the run no longer parks.
   * Returns the last `--json` result and the keys decided, in order.
   */
  drive(first: CliResult, answer: (key: string) => Answer | "resume"): Promise<{ final: RunJson; code: number; decided: string[] }>;
  /** `git …` in the workspace. */
  git(...args: string[]): string;
}

/** A git identity and no user or system configuration, for commits made in tests. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: "Ada Example",
  GIT_AUTHOR_EMAIL: "ada@example.com",
  GIT_COMMITTER_NAME: "Ada Example",
  GIT_COMMITTER_EMAIL: "ada@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

/** A fresh workspace holding `examples/<name>` (copied to the same relative path), or no example. */
export function exampleWorkspace(name?: string): ExampleWorkspace {
  const ws = workspace();
  if (name !== undefined) {
    mkdirSync(path.join(ws.dir, "examples"));
    copyFileSync(path.join(repoRoot, "examples", name), path.join(ws.dir, "examples", name));
  }
  // The stand-ins' files live beside the project, ignored by git like the run store.
  mkdirSync(path.join(ws.dir, ".standin"));
  const replyFile = path.join(ws.dir, ".standin", "replies.json");
  const argvFile = path.join(ws.dir, ".standin", "argv.jsonl");
  writeFileSync(replyFile, "[]");
  const env = {
    PATH: `${STAND_INS}${path.delimiter}${process.env.PATH ?? ""}`,
    STANDIN_REPLY_FILE: replyFile,
    STANDIN_ARGV_LOG: argvFile,
    USER: "ada",
    ...GIT_ENV,
  };
  const run = (args: readonly string[]) => ws.cmc(args, { env });

  const pending = async (id: string) => {
    const status = await run(["status", id]);
    const lines = status.stdout.split("\n");
    const from = lines.indexOf("waiting for a person:");
    if (from < 0) return [];
    return lines
      .slice(from + 1)
      .filter((l) => /^ {2}\S/.test(l))
      .map((l) => {
        // `  gate \`key\` asks:` or `  \`key\` escalated:`, each followed by its text and commands, indented deeper.
        const m = /^ {2}(?:gate `([^`]+)` asks|`([^`]+)` escalated):$/.exec(l);
        if (!m) throw new Error(`unexpected status line: ${l}`);
        return m[1] ?? `${m[2]} (escalated)`;
      });
  };

  return {
    ...ws,
    write(name, text) {
      mkdirSync(path.dirname(path.join(ws.dir, name)), { recursive: true });
      return ws.write(name, text);
    },
    run,
    replies: (entries) => writeFileSync(replyFile, JSON.stringify(entries, null, 2)),
    invocations: () =>
      existsSync(argvFile)
        ? readFileSync(argvFile, "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as Invocation)
        : [],
    pending,
    async drive(first, answer) {
      let result = first;
      const decided: string[] = [];
      for (let round = 0; result.code === 3; round++) {
        if (round > 20) throw new Error("the run kept parking");
        const id = ws.json(result).run;
        for (const key of await pending(id)) {
          const a = answer(key);
          if (a === "resume") continue;
          const args = a.approve ? ["approve", id, key, ...(a.reason ? ["--reason", a.reason] : [])] : ["reject", id, key, "--reason", a.reason];
          const decision = await run(args);
          if (decision.code !== 0) throw new Error(`cmc ${args.join(" ")} failed: ${decision.stderr}`);
          decided.push(key);
        }
        result = await run(["resume", id, "--json"]);
      }
      return { final: ws.json(result), code: result.code, decided };
    },
    git: (...args) => execFileSync("git", args, { cwd: ws.dir, env: { ...process.env, ...GIT_ENV }, encoding: "utf8" }),
  };
}

/** Initialises a git repository with `.gitignore` and everything in the workspace committed on `main`. */
export function initRepo(ws: ExampleWorkspace): void {
  ws.write(".gitignore", ".cmc/\n.standin/\nnode_modules/\n");
  ws.git("init", "-q", "-b", "main");
  ws.git("add", "-A");
  ws.git("commit", "-q", "-m", "Initial commit");
}

/** A package.json whose `npm test` runs `node test.js`, and that test: it checks `check` (JS source). */
export function npmProject(ws: ExampleWorkspace, check: string): void {
  ws.write("package.json", JSON.stringify({ name: "demo", version: "1.0.0", private: true, scripts: { test: "node test.js" } }, null, 2));
  ws.write("test.js", `const assert = require("node:assert");\n${check}\nconsole.log("all tests pass");\n`);
}

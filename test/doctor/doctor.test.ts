/**
 * `cmc doctor` through the real CLI against stand-in CLIs (`stand-ins/version-cli`, linked under
 * each CLI's name into a private PATH folder), in a private HOME: missing, wrong version, not
 * logged in, all good; and the store's health.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";
import { nodeHost } from "../../src/cli/node-host.js";
import { LOGIN } from "../../src/runtime/agents/login.js";
import { VERIFIED } from "../../src/runtime/agents/verified.js";
import { openStore } from "../../src/runtime/store/index.js";
import { repoRoot, runCli } from "../helpers/cli.js";

const STAND_IN = path.join(repoRoot, "test/doctor/stand-ins/version-cli");
const PROGRAMS = { claude: "claude", codex: "codex", gemini: "gemini", opencode: "opencode", cursor: "cursor-agent" } as const;
type Cli = keyof typeof PROGRAMS;

interface Report {
  ok: boolean;
  agents: { name: string; status: string; version: string | null; verified: boolean; loggedIn: string | null; fix?: string; path: string | null }[];
  system: { name: string; status: string; summary: string; fix?: string }[];
}

let root: string;
let bin: string;
let home: string;
let project: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "cmc-doctor-"));
  bin = path.join(root, "bin");
  home = path.join(root, "home");
  project = path.join(root, "project");
  for (const d of [bin, home, project]) mkdirSync(d);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function install(...clis: Cli[]): void {
  for (const cli of clis) symlinkSync(STAND_IN, path.join(bin, PROGRAMS[cli]));
}

function logIn(cli: Cli): void {
  const file = LOGIN[cli].credentials({ HOME: home });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `{"token":"stand-in"}`);
}

/** Every variable a CLI's login or location could come from, unset: only what a test gives counts. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { HOME: home, PATH: `${bin}:/usr/bin:/bin`, CMC_STORE: undefined };
  for (const facts of Object.values(LOGIN)) for (const v of facts.env) env[v] = undefined;
  for (const v of ["CLAUDE_CONFIG_DIR", "CODEX_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"]) env[v] = undefined;
  for (const cli of Object.keys(PROGRAMS)) env[`CMC_${cli.toUpperCase()}_BIN`] = undefined;
  return { ...env, ...extra };
}

async function doctor(extra: Record<string, string> = {}): Promise<{ code: number; report: Report; text: string }> {
  const json = await runCli(["doctor", "--json"], { cwd: project, env: cleanEnv(extra) });
  const text = await runCli(["doctor"], { cwd: project, env: cleanEnv(extra) });
  expect(text.code).toBe(json.code);
  return { code: json.code, report: JSON.parse(json.stdout) as Report, text: text.stdout };
}

const agent = (r: Report, name: Cli) => r.agents.find((a) => a.name === name)!;

describe("cmc doctor", () => {
  it("with no agent CLI installed fails and says how to install each", async () => {
    const { code, report, text } = await doctor();
    expect(code).toBe(1);
    expect(report.agents.map((a) => a.status)).toEqual(["absent", "absent", "absent", "absent", "absent"]);
    expect(agent(report, "claude").fix).toBe("npm install -g @anthropic-ai/claude-code");
    expect(report.system[0]).toMatchObject({ name: "agents", status: "fail" });
    expect(text).toContain("- codex     not installed (`codex` is not on PATH)\n              fix: npm install -g @openai/codex");
    expect(text).toMatch(/1 problem to fix\n$/);
  });

  it("fails for a CLI the project's cmc.json uses that is not installed, even with another ready", async () => {
    install("claude");
    logIn("claude");
    writeFileSync(path.join(project, "cmc.json"), `{ "roles": { "coder": "codex:gpt-5" } }`);
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(agent(report, "claude").status).toBe("ok");
    expect(agent(report, "codex")).toMatchObject({ status: "fail", fix: "npm install -g @openai/codex" });
    expect(agent(report, "gemini").status).toBe("absent");
  });

  it("warns about a version cmc was not verified with, and says which one to install", async () => {
    install("claude");
    const { code, report, text } = await doctor({ STANDIN_VERSION: "2.0.3", ANTHROPIC_API_KEY: "sk-test" });
    expect(code).toBe(0);
    expect(agent(report, "claude")).toMatchObject({ status: "warn", version: "2.0.3", verified: false, loggedIn: "yes" });
    expect(agent(report, "claude").fix).toBe(
      "cmc's adapter was verified with 2.1.197; if its steps misbehave, install that version: npm install -g @anthropic-ai/claude-code@2.1.197",
    );
    expect(text).toContain("! claude    2.0.3, logged in (ANTHROPIC_API_KEY is set)");
  });

  it("fails for an installed CLI that is not logged in, with the command that logs it in", async () => {
    install("codex");
    const { code, report, text } = await doctor();
    expect(code).toBe(1);
    expect(agent(report, "codex")).toMatchObject({ status: "fail", version: "0.171.0", verified: true, loggedIn: "no", fix: "run `codex login`, or set OPENAI_API_KEY" });
    expect(text).toContain("✗ codex     0.171.0 (verified), not logged in");
  });

  it("fails for a CLI whose --version does not answer", async () => {
    install("gemini");
    logIn("gemini");
    const { report } = await doctor({ STANDIN_VERSION_FAIL: "1" });
    expect(agent(report, "gemini").status).toBe("fail");
    expect(agent(report, "gemini").fix).toContain("npm install -g @google/gemini-cli");
  });

  it("with every CLI installed at its verified version and logged in says all is well", async () => {
    install("claude", "codex", "gemini", "opencode", "cursor");
    for (const cli of ["claude", "codex", "gemini", "opencode"] as const) logIn(cli);
    const { code, report, text } = await doctor({ CURSOR_API_KEY: "key" });
    expect(report.agents.map((a) => [a.name, a.status])).toEqual([
      ["claude", "ok"],
      ["codex", "ok"],
      ["gemini", "ok"],
      ["opencode", "ok"],
      // No Cursor version has been verified: found and logged in, it is a warning, not a failure.
      ["cursor", "warn"],
    ]);
    expect(agent(report, "claude").path).toBe(path.join(bin, "claude"));
    expect(report.system.map((c) => [c.name, c.status])).toEqual([
      ["cmc.json", "ok"],
      ["node", "ok"],
      ["store", "ok"],
      ["disk", "ok"],
    ]);
    expect(code).toBe(0);
    expect(text).toMatch(/all is well\n$/);
  });

  it("reports a bad cmc.json as a failed check with the key and the fix, and still checks the agents", async () => {
    install("claude");
    logIn("claude");
    writeFileSync(path.join(project, "cmc.json"), `{ "roles": { "coder": "claud" } }`);
    const { code, report, text } = await doctor();
    expect(code).toBe(1);
    expect(report.system.find((c) => c.name === "cmc.json")).toMatchObject({ status: "fail", summary: "cmc.json: `roles.coder`: unknown agent `claud`" });
    expect(agent(report, "claude").status).toBe("ok");
    expect(text).toContain("fix: use one of claude, codex");
    writeFileSync(path.join(project, "cmc.json"), `{ "roles": { "coder": "claude" } }`);
    expect((await doctor()).report.system.find((c) => c.name === "cmc.json")).toMatchObject({ status: "ok", summary: "cmc.json: 1 role mapped" });
  });

  it("finds a CLI that CMC_<CLI>_BIN names, and fails when that variable names nothing", async () => {
    logIn("claude");
    const pinned = path.join(root, "pinned", "claude");
    mkdirSync(path.dirname(pinned));
    symlinkSync(STAND_IN, pinned);
    const good = await doctor({ CMC_CLAUDE_BIN: pinned });
    expect(agent(good.report, "claude")).toMatchObject({ status: "ok", path: pinned, version: "2.1.197" });
    const bad = await doctor({ CMC_CLAUDE_BIN: path.join(root, "nowhere") });
    expect(agent(bad.report, "claude").status).toBe("fail");
    expect(agent(bad.report, "claude").fix).toContain("fix CMC_CLAUDE_BIN");
  });

  it("reports the store's format and size, and each run a dead driver still holds, with the commands for it", async () => {
    install("claude");
    logIn("claude");
    writeFileSync(path.join(project, "w.cm"), `workflow main() {\n  step s = sh("true")\n}\n`);
    const ir = compile("w.cm", nodeHost(project)).ir!;
    const store = openStore(path.join(project, ".cmc"));
    const run = await store.createRun({ workflow: "w.cm:main", file: "w.cm", workspace: project, inputs: {}, mode: "supervised", options: { concurrency: 1, allowOutside: false }, ir });
    const gone = spawnSync("true").pid!;
    await store.claim(run.id, { pid: gone, host: hostname(), since: Date.now() });
    await store.close();

    const { code, report, text } = await doctor();
    expect(code).toBe(0);
    expect(report.system.find((c) => c.name === "store")!.summary).toMatch(/^\.cmc: format 2, 1 run, [\d.]+ kB$/);
    expect(report.system.find((c) => c.name === `run ${run.id}`)).toMatchObject({
      status: "warn",
      fix: `\`cmc resume ${run.id}\` to continue it, or \`cmc cancel ${run.id}\` to end it`,
    });
    expect(text).toContain(`held by process ${gone}`);
  });

  it("fails for a corrupt store and says how to start afresh", async () => {
    install("claude");
    logIn("claude");
    mkdirSync(path.join(project, ".cmc/db"), { recursive: true });
    writeFileSync(path.join(project, ".cmc/db/data.mdb"), "not an LMDB file, not at all, no".repeat(300));
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(report.system.find((c) => c.name === "store")).toMatchObject({ status: "fail", fix: "move .cmc aside (`mv .cmc .cmc.broken`); a fresh store starts with the next run" });
  });
});

describe("the verified versions", () => {
  it("are the ones docs/agents.md lists", () => {
    const doc = readFileSync(path.join(repoRoot, "docs/agents.md"), "utf8");
    const table = doc.slice(doc.indexOf("| CLI | verified with |"));
    for (const [name, v] of Object.entries(VERIFIED)) {
      const row = table.split("\n").find((l) => l.startsWith(`| \`${name}\` |`));
      expect([name, row?.split("|")[2]?.trim()]).toEqual([name, v.versions.length > 0 ? `${v.product} ${v.versions.join(", ")}` : "none yet"]);
    }
  });
});

/**
 * `cmc init` through the real CLI: on a real pseudo-terminal (tmux), with plain prompts on a pipe,
 * and with `--yes`; the workflow it writes checks and runs with the scripted agent; a second run
 * never replaces a file nobody said to replace; templates from a folder, a package and a tarball.
 */
import { execa } from "execa";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cmcBin, repoRoot, runCli } from "../helpers/cli.js";
import { startPty, type Pty } from "./pty.js";

const STAND_IN = path.join(repoRoot, "test/doctor/stand-ins/version-cli");

let root: string;
let bin: string;
let project: string;
let pty: Pty | undefined;

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "cmc-init-")));
  bin = path.join(root, "bin");
  project = path.join(root, "project");
  mkdirSync(bin);
  mkdirSync(project);
});
afterEach(async () => {
  await pty?.close();
  pty = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** Puts stand-ins for these CLIs on the private PATH. */
function install(...programs: string[]): void {
  for (const p of programs) symlinkSync(STAND_IN, path.join(bin, p));
}

const env = () => ({ PATH: `${bin}:/usr/bin:/bin`, HOME: root, CMC_STORE: undefined, CMC_CLAUDE_BIN: undefined, CMC_CODEX_BIN: undefined, CMC_GEMINI_BIN: undefined, CMC_OPENCODE_BIN: undefined, CMC_CURSOR_BIN: undefined });
const cmc = (args: string[], input?: string) => runCli(args, { cwd: project, env: env(), ...(input !== undefined ? { input } : {}) });
const read = (file: string) => readFileSync(path.join(project, file), "utf8");
const config = () => JSON.parse(read("cmc.json")) as { roles: Record<string, unknown>; agents: Record<string, unknown> };

/** Runs the written feature workflow with scripted agents playing both of its roles. */
async function runFeature(): Promise<{ code: number; out: { status: string; result: unknown } }> {
  writeFileSync(
    path.join(project, "replies.json"),
    JSON.stringify([
      { when: "Plan this", text: "the plan", output: { summary: "greet people", tasks: [{ title: "write greet.txt", files: ["greet.txt"] }] } },
      { when: "Implement", text: "done" },
    ]),
  );
  const r = await cmc([
    "run", "workflows/feature.cm", "--mode", "autonomous", "--json",
    "--agent", "architect=scripted:replies.json", "--agent", "coder=scripted:replies.json",
    "--input", "goal=a greeting", "--input", "test=true",
  ]);
  return { code: r.code, out: JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") };
}

describe("cmc init on a terminal", () => {
  it("asks for the template, the agents among those installed and who plays each role, then writes the project", async () => {
    install("claude", "codex");
    pty = await startPty([process.execPath, cmcBin, "init"], project, { ...env(), TERM: "xterm-256color", LANG: "C.UTF-8" });
    await pty.waitFor("Which workflow should the project start with?");
    await pty.send("Enter"); // feature
    const agents = await pty.waitFor(/Which coding agents will this project use\?[\s\S]*Space: select/);
    expect(agents).toMatch(/◼ claude/);
    expect(agents).toMatch(/◼ codex/);
    expect(agents).toMatch(/◻ gemini/);
    await pty.send("Enter");
    await pty.waitFor("Who plays the `architect` role?");
    await pty.send("Down", "Enter"); // codex instead of the default, claude
    await pty.waitFor("Who plays the `coder` role?");
    await pty.send("Enter"); // codex, the workflow's default
    const done = await pty.waitFor("[exit 0]");
    expect(done).toContain("wrote cmc.json, workflows/feature.cm, .gitignore");
    expect(done).toContain(`next: cmc check workflows && cmc run workflows/feature.cm --input goal="…"`);

    expect(config()).toEqual({ roles: { architect: "codex", coder: { agent: "codex", sandbox: "workspace-write" } }, agents: {} });
    expect(read("workflows/feature.cm")).toBe(readFileSync(path.join(repoRoot, "templates/feature/feature.cm"), "utf8"));
    expect(read(".gitignore")).toBe(".cmc/\n");
    expect((await cmc(["check", "workflows"])).code).toBe(0);
    const run = await runFeature();
    expect(run.out).toMatchObject({ status: "succeeded", result: { summary: "greet people", built: 1 } });
    expect(run.code).toBe(0);
  });

  it("asks before replacing a file, and keeps it unless told otherwise", async () => {
    writeFileSync(path.join(project, "cmc.json"), `{ "roles": { "coder": "claude" } }\n`);
    pty = await startPty([process.execPath, cmcBin, "init", "--template", "review", "--agents", "claude"], project, { ...env(), TERM: "xterm-256color", LANG: "C.UTF-8" });
    await pty.waitFor("cmc.json exists. Overwrite it?");
    await pty.send("Enter"); // the default: no
    const done = await pty.waitFor("[exit 0]");
    expect(done).toContain("kept cmc.json as it was");
    expect(read("cmc.json")).toBe(`{ "roles": { "coder": "claude" } }\n`);
    expect(existsSync(path.join(project, "workflows/review.cm"))).toBe(true);
  });

  it("writes nothing when the person presses Ctrl-C at a question", async () => {
    pty = await startPty([process.execPath, cmcBin, "init"], project, { ...env(), TERM: "xterm-256color", LANG: "C.UTF-8" });
    await pty.waitFor(/Which workflow should the project start with\?[\s\S]*Enter: confirm/);
    await pty.send("C-c");
    const done = await pty.waitFor("[exit 1]");
    expect(done).toContain("cancelled: nothing was written");
    expect(existsSync(path.join(project, "cmc.json"))).toBe(false);
    expect(existsSync(path.join(project, ".gitignore"))).toBe(false);
  });
});

describe("cmc init without a terminal", () => {
  it("with --yes takes the installed agents and the roles' defaults, and the workflow checks and runs", async () => {
    install("claude", "codex");
    const r = await cmc(["init", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`next: cmc check workflows && cmc run workflows/feature.cm --input goal="…"\n`);
    expect(config().roles).toEqual({
      architect: { agent: "claude", model: "opus", permission: "plan" },
      coder: { agent: "codex", sandbox: "workspace-write" },
    });
    expect((await cmc(["check", "workflows", "--strict"])).code).toBe(0);
    expect((await runFeature()).out.status).toBe("succeeded");
  });

  it("refuses to replace what a first init wrote, and writes nothing", async () => {
    expect((await cmc(["init", "--yes", "--template", "bugfix"])).code).toBe(0);
    writeFileSync(path.join(project, "workflows/bugfix.cm"), "// edited by the team\n");
    const again = await cmc(["init", "--yes", "--template", "bugfix", "--agents", "claude"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("error: cmc init would overwrite cmc.json, workflows/bugfix.cm; nothing was written");
    expect(read("workflows/bugfix.cm")).toBe("// edited by the team\n");
    expect(config().roles).toEqual({});
    const forced = await cmc(["init", "--yes", "--force", "--template", "bugfix", "--agents", "claude"]);
    expect(forced.code).toBe(0);
    expect(config().roles).toEqual({ coder: "claude", reviewer: { agent: "claude", permission: "plan" } });
  });

  it("asks plain questions on a pipe, one answer a line", async () => {
    install("claude", "gemini");
    const r = await cmc(["init"], "review\ngemini\n");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Which workflow should the project start with? (feature, bugfix, review; empty for feature): review");
    expect(r.stderr).toContain("Which coding agents will this project use? (comma-separated: claude, codex, gemini, opencode, cursor; empty for claude,gemini): gemini");
    expect(config().roles).toEqual({ reviewer: "gemini" });
  });

  it("maps roles from --agent, and adds .cmc/ to an existing .gitignore once", async () => {
    writeFileSync(path.join(project, ".gitignore"), "node_modules");
    const r = await cmc(["init", "--yes", "--agent", "architect=scripted:replies.json", "--agent", "coder=codex:gpt-5,claude"]);
    expect(r.code).toBe(0);
    expect(config().roles).toEqual({ architect: "scripted:replies.json", coder: ["codex:gpt-5", "claude"] });
    expect(read(".gitignore")).toBe("node_modules\n.cmc/\n");
    rmSync(path.join(project, "cmc.json"));
    rmSync(path.join(project, "workflows"), { recursive: true });
    expect((await cmc(["init", "--yes"])).code).toBe(0);
    expect(read(".gitignore")).toBe("node_modules\n.cmc/\n");
  });
});

describe("cmc init --template", () => {
  const starter = (dir: string) => {
    mkdirSync(path.join(dir, "lib"), { recursive: true });
    writeFileSync(path.join(dir, "lib/prompts.cm"), `export let intro = "You are careful."\n`);
    writeFileSync(
      path.join(dir, "triage.cm"),
      `import { role, scripted } from "std/agents"\nimport { intro } from "./lib/prompts.cm"\n\nexport workflow triage(issue: string) -> string {\n  agent triager = role("triager", default: scripted(file: "replies.json"))\n  step t = triager.ask("\${intro} Triage: \${issue}")\n  return t.text\n}\n`,
    );
  };

  it("copies a local folder's modules, relative imports and all, and the workflow runs", async () => {
    starter(path.join(root, "starter"));
    const r = await cmc(["init", "--yes", "--template", "../starter"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`next: cmc check workflows && cmc run workflows/triage.cm --input issue="…"\n`);
    writeFileSync(path.join(project, "replies.json"), `[{ "text": "a bug" }]`);
    const run = await cmc(["run", "workflows/triage.cm", "--input", "issue=crash"]);
    expect([run.code, run.stdout]).toEqual([0, `"a bug"\n`]);
  });

  it("uses an npm package installed in node_modules, from the folder its package.json names", async () => {
    const pkg = path.join(project, "node_modules/@team/starters");
    starter(path.join(pkg, "cm"));
    writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "@team/starters", version: "1.0.0", cmc: { template: "cm" } }));
    const r = await cmc(["init", "--yes", "--template", "@team/starters"]);
    expect(r.code).toBe(0);
    expect(read("workflows/lib/prompts.cm")).toContain("You are careful.");
  });

  it("unpacks a package tarball", async () => {
    const pkg = path.join(root, "pkg");
    starter(pkg);
    writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "starter", version: "2.0.0" }));
    await execa("npm", ["pack", pkg, "--pack-destination", root, "--silent"], { cwd: root });
    const r = await cmc(["init", "--yes", "--template", "../starter-2.0.0.tgz"]);
    expect(r.code).toBe(0);
    expect(read("workflows/triage.cm")).toContain("workflow triage");
  });

  it("refuses a template that does not check, or is not there, and writes nothing", async () => {
    const broken = path.join(root, "broken");
    mkdirSync(broken);
    writeFileSync(path.join(broken, "w.cm"), `workflow main() {\n  step s = sh(nope)\n}\n`);
    const r = await cmc(["init", "--yes", "--template", "../broken"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[E0207]: unknown name `nope`");
    expect(r.stderr).toContain("template ../broken does not check; nothing was written");
    const missing = await cmc(["init", "--yes", "--template", "./nowhere"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("template ./nowhere: no such file or folder");
    expect(existsSync(path.join(project, "cmc.json"))).toBe(false);
  });
});

describe("the templates cmc ships", () => {
  it.each(["feature", "bugfix", "review"])("%s checks with no diagnostics, warnings included", async (name) => {
    const r = await runCli(["check", "--strict", `templates/${name}`], { cwd: repoRoot });
    expect([r.code, r.stderr]).toEqual([0, ""]);
  });
});

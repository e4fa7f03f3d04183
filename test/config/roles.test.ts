/**
 * Roles through the real CLI: who plays a role from cmc.json, from `--agent`, by fallback and by
 * default; the config's agent defaults; `cmc status` naming who played which role; and a role
 * nothing maps as a located diagnostic of `cmc check`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { workspace, type Workspace } from "../runtime/workspace.js";

const WORKFLOW = `import { role, scripted } from "std/agents"

workflow main() -> string {
  agent architect = role("architect", default: scripted(file: "default.json"))
  agent coder = role("coder")
  step plan = architect.ask("Plan it")
  step build = coder.ask("Build it")
  return "\${plan.text} / \${build.text}"
}
`;

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.write("main.cm", WORKFLOW);
  ws.write("default.json", `[{ "text": "default plan" }]`);
  ws.write("mapped.json", `[{ "text": "mapped" }]`);
  ws.write("flagged.json", `[{ "text": "flagged" }]`);
});
afterEach(() => ws.remove());

interface Steps {
  steps: { id: string; agent?: string; role?: string }[];
}

describe("roles", () => {
  it("are played by the agents cmc.json maps them to, else by their default", async () => {
    ws.write("cmc.json", `{ "roles": { "coder": "scripted:mapped.json" } }`);
    const r = await ws.cmc(["run", "main.cm", "--json"]);
    expect(r.code).toBe(0);
    const out = ws.json(r) as unknown as Steps & { result: string };
    expect(out.result).toBe("default plan / mapped");
    expect(out.steps.map((s) => [s.id, s.role, s.agent])).toEqual([
      ["plan", "architect", "scripted (file default.json)"],
      ["build", "coder", "scripted (file mapped.json)"],
    ]);
  });

  it("are played by the agent --agent names for this run, over cmc.json", async () => {
    ws.write("cmc.json", `{ "roles": { "coder": "scripted:mapped.json" } }`);
    const r = await ws.cmc(["run", "main.cm", "--json", "--agent", "coder=scripted:flagged.json", "--agent", "architect=scripted:mapped.json"]);
    expect(ws.json(r).result).toBe("mapped / flagged");
  });

  it("fall back to the next mapped agent when the first one's CLI is not installed", async () => {
    ws.write("cmc.json", `{ "roles": { "coder": ["codex:gpt-5", "scripted:mapped.json"] } }`);
    const r = await ws.cmc(["run", "main.cm", "--json"], { env: { CMC_CODEX_BIN: path.join(ws.dir, "no-codex-here") } });
    expect(ws.json(r).result).toBe("default plan / mapped");
  });

  it("run a mapped CLI with the model the mapping names and the config's defaults for that CLI", async () => {
    ws.write("cmc.json", `{ "roles": { "coder": "claude:opus" }, "agents": { "claude": { "permission": "plan", "model": "sonnet" } } }`);
    const log = path.join(ws.dir, "argv.log");
    const r = await ws.cmc(["run", "main.cm", "--json"], {
      env: { CMC_CLAUDE_BIN: path.join(repoRoot, "test/stand-ins/claude"), STANDIN_ARGV_LOG: log },
    });
    expect(r.code).toBe(0);
    const argv = JSON.parse(readFileSync(log, "utf8").trim()).argv as string[];
    expect(argv[argv.indexOf("--model") + 1]).toBe("opus");
    expect(argv[argv.indexOf("--permission-mode") + 1]).toBe("plan");
  });

  it("leave the config's agent defaults to fill in what an agent built in the workflow leaves out", async () => {
    ws.write("plain.cm", `import { claude } from "std/agents"\n\nworkflow main() -> string {\n  agent writer = claude(permission: "acceptEdits")\n  step s = writer.ask("Write")\n  return s.text\n}\n`);
    ws.write("cmc.json", `{ "agents": { "claude": { "model": "sonnet", "permission": "plan" } } }`);
    const log = path.join(ws.dir, "argv.log");
    const r = await ws.cmc(["run", "plain.cm"], { env: { CMC_CLAUDE_BIN: path.join(repoRoot, "test/stand-ins/claude"), STANDIN_ARGV_LOG: log } });
    expect(r.code).toBe(0);
    const argv = JSON.parse(readFileSync(log, "utf8").trim()).argv as string[];
    expect(argv[argv.indexOf("--model") + 1]).toBe("sonnet");
    expect(argv[argv.indexOf("--permission-mode") + 1]).toBe("acceptEdits");
  });

  it("are listed with the agent that played them by cmc status", async () => {
    const r = await ws.cmc(["run", "main.cm", "--json", "--agent", "coder=scripted:flagged.json"]);
    const status = await ws.cmc(["status", ws.json(r).run]);
    expect(status.stdout).toMatch(/succeeded +plan +architect: scripted \(file default\.json\)/);
    expect(status.stdout).toMatch(/succeeded +build +coder: scripted \(file flagged\.json\)/);
  });

  it("without an agent are a located error of cmc check, which cmc.json or --agent resolves", async () => {
    const check = await ws.cmc(["check", "main.cm", "--format", "json"]);
    expect(check.code).toBe(1);
    const [d] = JSON.parse(check.stdout) as { code: string; message: string; file: string; line: number; column: number; help: string }[];
    expect(d).toMatchObject({ code: "E0240", message: "role `coder` has no agent", file: "main.cm", line: 5, column: 17 });
    expect(d!.help).toContain(`"roles": { "coder": "claude" }`);

    const run = await ws.cmc(["run", "main.cm"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error[E0240]: role `coder` has no agent");
    expect((await ws.cmc(["run", "main.cm", "--agent", "coder=scripted:flagged.json"])).code).toBe(0);

    ws.write("cmc.json", `{ "roles": { "coder": "codex" } }`);
    expect((await ws.cmc(["check", "main.cm"])).code).toBe(0);
  });

  it("are played on resume by the agents the run started with, whatever cmc.json says by then", async () => {
    ws.write("gated.cm", `import { role } from "std/agents"

workflow main() -> string {
  agent coder = role("coder")
  step first = coder.ask("First")
  step gate = approve("Go on?")
  step second = coder.ask("Second")
  return "\${first.text} / \${second.text}"
}
`);
    ws.write("cmc.json", `{ "roles": { "coder": "scripted:mapped.json" } }`);
    const parked = await ws.cmc(["run", "gated.cm", "--json"]);
    expect(parked.code).toBe(3);
    const id = ws.json(parked).run;
    ws.write("cmc.json", `{ "roles": { "coder": "scripted:flagged.json" } }`);
    expect((await ws.cmc(["approve", id, "gate"])).code).toBe(0);
    const resumed = await ws.cmc(["resume", id, "--json"]);
    expect(ws.json(resumed).result).toBe("mapped / mapped");
  });

  it("refuse an --agent flag for a role the workflow does not declare", async () => {
    const r = await ws.cmc(["run", "main.cm", "--agent", "coderr=scripted:flagged.json", "--agent", "coder=scripted:flagged.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: --agent coderr=…: main.cm declares no role `coderr`; its roles are `architect`, `coder`");
    expect(ws.has(".cmc")).toBe(false);
  });

  it("refuse a bad cmc.json with the file, the key and the fix, and run nothing", async () => {
    ws.write("cmc.json", `{ "roles": { "coder": "gpt-5" } }`);
    const r = await ws.cmc(["run", "main.cm"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: cmc.json: `roles.coder`: unknown agent `gpt-5`\n  fix: use one of claude, codex");
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(ws.has(".cmc")).toBe(false);
    const check = await ws.cmc(["check", "main.cm"]);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain("error: cmc.json: `roles.coder`: unknown agent `gpt-5`\n  fix: use one of claude, codex");
  });
});

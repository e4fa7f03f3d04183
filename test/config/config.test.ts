/** `cmc.json`: what a valid file gives, and that every mistake names the file, the key and the fix. */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";
import { nodeHost } from "../../src/cli/node-host.js";
import { AGENT_OPTIONS, ConfigError, parseConfig, withAgentFlags } from "../../src/runtime/config/index.js";
import { repoRoot } from "../helpers/cli.js";

function problem(text: string): ConfigError {
  try {
    parseConfig(text, "cmc.json");
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("the config was accepted");
}

describe("cmc.json", () => {
  it("maps roles to agents, in the short and the long form, with fallbacks", () => {
    const settings = parseConfig(
      JSON.stringify({
        roles: {
          architect: "claude:opus",
          coder: ["codex:gpt-5", "claude"],
          tester: { agent: "gemini", model: "gemini-2.5-pro", approval: "yolo" },
          fake: "scripted:replies.json",
        },
        agents: { claude: { permission: "plan", budget: 2 } },
      }),
      "cmc.json",
    );
    expect(settings.roles).toEqual({
      architect: [{ $agent: "claude", options: { model: "opus" } }],
      coder: [
        { $agent: "codex", options: { model: "gpt-5" } },
        { $agent: "claude", options: {} },
      ],
      tester: [{ $agent: "gemini", options: { model: "gemini-2.5-pro", approval: "yolo" } }],
      fake: [{ $agent: "scripted", options: { file: "replies.json" } }],
    });
    expect(settings.defaults).toEqual({ claude: { permission: "plan", budget: 2 } });
  });

  it("refuses an unknown top-level key and lists the keys it takes", () => {
    const e = problem(`{ "role": { "architect": "claude" } }`);
    expect(e.file).toBe("cmc.json");
    expect(e.key).toBe("role");
    expect(e.message).toContain("unknown key `role`");
    expect(e.fix).toContain("`roles`");
  });

  it("refuses an unknown option of an agent's defaults and lists its options", () => {
    const e = problem(`{ "agents": { "claude": { "modle": "opus" } } }`);
    expect(e.key).toBe("agents.claude.modle");
    expect(e.fix).toContain("`model`");
  });

  it("refuses a value of the wrong type", () => {
    const e = problem(`{ "agents": { "claude": { "maxTurns": "ten" } } }`);
    expect(e.key).toBe("agents.claude.maxTurns");
    expect(e.problem).toContain("expected a number");
  });

  it("refuses an option value outside its choices and lists them", () => {
    const e = problem(`{ "agents": { "codex": { "sandbox": "none" } } }`);
    expect(e.key).toBe("agents.codex.sandbox");
    expect(e.fix).toContain(`"workspace-write"`);
  });

  it("refuses a role mapped to an unknown agent and names the agents there are", () => {
    const e = problem(`{ "roles": { "coder": ["codex", "claud:opus"] } }`);
    expect(e.key).toBe("roles.coder.1");
    expect(e.problem).toBe("unknown agent `claud`");
    expect(e.fix).toContain("claude, codex, gemini, opencode, cursor");
    expect(e.message).toMatch(/^cmc\.json: `roles\.coder\.1`: unknown agent `claud`\n {2}fix: /);
  });

  it("refuses a role entry of the wrong type, and an option the role's agent does not take", () => {
    expect(problem(`{ "roles": { "coder": 3 } }`).problem).toBe("expected an agent, got number 3");
    const e = problem(`{ "roles": { "coder": { "agent": "codex", "permission": "plan" } } }`);
    expect(e.key).toBe("roles.coder.permission");
    expect(e.fix).toContain("`sandbox`");
  });

  it("refuses a role name that role(…) could not use", () => {
    expect(problem(`{ "roles": { "the architect": "claude" } }`).key).toBe("roles.the architect");
  });

  it("says where invalid JSON breaks", () => {
    const e = problem(`{\n  "roles": { "a": "claude", }\n}`);
    expect(e.problem).toMatch(/line 2, column \d+/);
  });

  it("lets --agent flags replace a role's entry, with comma-separated fallbacks", () => {
    const base = parseConfig(`{ "roles": { "coder": "claude" } }`, "cmc.json");
    const flagged = withAgentFlags(base, ["coder=codex:gpt-5,claude:sonnet", "architect=scripted:r.json"]);
    expect(flagged.roles.coder).toEqual([
      { $agent: "codex", options: { model: "gpt-5" } },
      { $agent: "claude", options: { model: "sonnet" } },
    ]);
    expect(flagged.roles.architect).toEqual([{ $agent: "scripted", options: { file: "r.json" } }]);
    expect(() => withAgentFlags(base, ["coder"])).toThrow(/--agent: expected role=agent/);
    expect(() => withAgentFlags(base, ["coder=gpt"])).toThrow(/unknown agent `gpt`/);
  });

  it("takes for each agent exactly the options its std/agents constructor declares", () => {
    const result = compile("std/agents", nodeHost(repoRoot));
    const declared = new Map<string, string[]>();
    for (const decl of result.modules.get("std/agents")!.decls) {
      if (decl.kind === "AgentCtorDecl") declared.set(decl.name.name, decl.params.map((p) => p.name.name));
    }
    for (const [agent, schema] of Object.entries(AGENT_OPTIONS)) {
      expect([agent, Object.keys(schema.shape)]).toEqual([agent, declared.get(agent)]);
    }
  });
});

describe("role(…) in the checker", () => {
  const check = (source: string, roles?: string[]) => {
    const disk = nodeHost(repoRoot);
    return compile("doc.cm", {
      resolve: disk.resolve.bind(disk),
      read: (file) => (file === "doc.cm" ? source : disk.read(file)),
      ...(roles ? { roles: new Set(roles) } : {}),
    }).diagnostics.map((d) => `${d.code} ${d.message}`);
  };
  const program = (role: string) => `import { role } from "std/agents"\nworkflow main(who: string) {\n  agent a = ${role}\n  step s = a.ask("hi \${who}")\n}\n`;

  it("needs the role's name written out", () => {
    expect(check(program(`role(who, default: role("x"))`), ["x"])).toEqual(["E0241 a role's name must be a string literal"]);
    expect(check(program(`role("two words")`), [])).toEqual(["E0241 `two words` is not a role name"]);
  });

  it("reports a role without default only against the roles a project maps", () => {
    expect(check(program(`role("coder")`), ["architect"])).toEqual(["E0240 role `coder` has no agent"]);
    expect(check(program(`role("coder")`), ["coder"])).toEqual([]);
    expect(check(program(`role("coder")`))).toEqual([]);
  });
});

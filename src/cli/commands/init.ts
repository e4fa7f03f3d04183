/**
 * `cmc init [--template T] [--agents a,b] [--agent role=agent]… [--yes] [--force]`: asks which
 * agents to use and who plays each role of the template, then writes `cmc.json`, the template's
 * workflows under `workflows/` and `.cmc/` in `.gitignore`, and prints the command to run next.
 * An existing file is replaced only when the person says so at the question, or with `--force`.
 */
import { compile } from "../../compiler/index.js";
import type { IrProgram } from "../../compiler/ir/ir.js";
import { agentAvailable } from "../../runtime/agents/available.js";
import type { AgentValue } from "../../runtime/agents/types.js";
import { CLI_AGENTS, ConfigError, NO_AGENT_SETTINGS, rolesIn, withAgentFlags, type DeclaredRole } from "../../runtime/config/index.js";
import {
  BUILTIN_TEMPLATES,
  configText,
  existing,
  planProject,
  resolveTemplate,
  TemplateError,
  writePlanned,
  WORKFLOWS_DIR,
  type AgentEntry,
  type RoleEntry,
  type Template,
} from "../../runtime/init/index.js";
import { AskCancelled, clackAsker, defaultsAsker, plainAsker, type Asker } from "../asker.js";
import { EXIT, UsageError } from "../exit.js";
import { nodeHost } from "../node-host.js";
import { reportToStderr } from "../render-diagnostics.js";
import { templatesDir } from "../templates-dir.js";

export interface InitOptions {
  template?: string;
  agents?: string;
  agent: string[];
  yes: boolean;
  force: boolean;
}

const TEMPLATE_HINTS: Record<(typeof BUILTIN_TEMPLATES)[number], string> = {
  feature: "plan → approve → build in parallel → tests green",
  bugfix: "fix with a reviewer → tests green",
  review: "review the working tree's diff",
};

/** Each template module compiled where it is; undefined (diagnostics printed) when one has errors. */
function compileTemplate(template: Template): { file: string; ir: IrProgram }[] | undefined {
  const host = nodeHost(template.dir);
  const out: { file: string; ir: IrProgram }[] = [];
  for (const file of template.files) {
    const result = compile(file, host);
    if (!result.ir) {
      reportToStderr(result.diagnostics, result.sources);
      return undefined;
    }
    out.push({ file, ir: result.ir });
  }
  return out;
}

/** What cmc.json says for an agent: `"claude"`, `"claude:opus"`, or the object of its options. */
function entryOf(agent: AgentValue): AgentEntry {
  const keys = Object.keys(agent.options);
  if (keys.length === 0) return agent.$agent;
  if (agent.$agent === "scripted" && keys.length === 1) return `scripted:${String(agent.options.file)}`;
  if (keys.length === 1 && keys[0] === "model") return `${agent.$agent}:${String(agent.options.model)}`;
  return { agent: agent.$agent, ...agent.options };
}

/** The agents to use: `--agents`, else asked among the CLIs, those installed offered first and chosen. */
async function chooseAgents(asker: Asker, flag: string | undefined): Promise<string[]> {
  if (flag !== undefined) {
    const picked = flag === "none" ? [] : flag.split(",").map((a) => a.trim()).filter((a) => a !== "");
    const unknown = picked.filter((a) => !(CLI_AGENTS as readonly string[]).includes(a));
    if (unknown.length > 0) throw new UsageError(`--agents: unknown agent ${unknown.map((a) => `\`${a}\``).join(", ")}; use ${CLI_AGENTS.join(", ")} (comma-separated), or none`);
    return picked;
  }
  const found = CLI_AGENTS.filter((a) => agentAvailable({ $agent: a, options: {} }));
  const options = CLI_AGENTS.map((a) => ({ value: a, label: a, hint: found.includes(a) ? "installed" : "not installed" }));
  return asker.pickMany("Which coding agents will this project use?", options, found);
}

/** Who plays each role: a `--agent` flag, else asked among the chosen agents (the role's default first). */
async function chooseRoles(asker: Asker, roles: readonly DeclaredRole[], agents: readonly string[], flags: readonly string[]): Promise<Record<string, RoleEntry>> {
  let flagged;
  try {
    flagged = withAgentFlags(NO_AGENT_SETTINGS, flags).roles;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const entries: Record<string, RoleEntry> = {};
  for (const [role, mapped] of Object.entries(flagged)) {
    const entry = mapped.map(entryOf);
    entries[role] = entry.length === 1 ? entry[0]! : entry;
  }
  for (const role of roles) {
    if (role.name in entries || agents.length === 0) continue;
    const own = role.default && agents.includes(role.default.$agent) ? role.default.$agent : agents[0]!;
    const options = agents.map((a) => ({ value: a, label: a, ...(a === role.default?.$agent ? { hint: "the workflow's default" } : {}) }));
    const pick = agents.length > 1 ? await asker.pickOne(`Who plays the \`${role.name}\` role?`, options, own) : own;
    entries[role.name] = role.default && pick === role.default.$agent ? entryOf(role.default) : pick;
  }
  return entries;
}

/** The command that runs the template's first workflow, its required inputs shown. */
function nextCommand(compiled: readonly { file: string; ir: IrProgram }[]): string {
  const ownOf = (c: { ir: IrProgram }) => Object.values(c.ir.workflows).filter((w) => w.module === c.ir.root);
  // The first module with a workflow of its own (a template may also hold modules of helpers).
  const first = compiled.find((c) => ownOf(c).length > 0) ?? compiled[0]!;
  const own = ownOf(first);
  const workflow = own.find((w) => w.exported) ?? own[0];
  const flag = own.length > 1 && workflow ? ` --workflow ${workflow.name}` : "";
  const inputs = (workflow?.params ?? []).filter((p) => !p.default && p.type.kind !== "optional").map((p) => ` --input ${p.name}="…"`).join("");
  return `cmc run ${WORKFLOWS_DIR}/${first.file}${flag}${inputs}`;
}

export async function init(opts: InitOptions): Promise<number> {
  const cwd = process.cwd();
  const terminal = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const asker = opts.yes ? defaultsAsker() : terminal ? clackAsker("cmc init") : plainAsker();
  try {
    const spec =
      opts.template ??
      (await asker.pickOne(
        "Which workflow should the project start with?",
        BUILTIN_TEMPLATES.map((t) => ({ value: t, label: t, hint: TEMPLATE_HINTS[t] })),
        "feature",
      ));
    let template: Template;
    try {
      template = await resolveTemplate(spec, cwd, templatesDir());
    } catch (error) {
      if (error instanceof TemplateError) throw new UsageError(error.message);
      throw error;
    }
    try {
      const compiled = compileTemplate(template);
      if (!compiled) {
        process.stderr.write(`error: template ${spec} does not check; nothing was written\n`);
        return EXIT.failed;
      }
      // Each role once, as the first module that declares it declares it.
      const roles: DeclaredRole[] = [];
      for (const r of compiled.flatMap((c) => rolesIn(c.ir))) if (!roles.some((k) => k.name === r.name)) roles.push(r);
      const agents = await chooseAgents(asker, opts.agents);
      const entries = await chooseRoles(asker, roles, agents, opts.agent);
      let files = planProject(cwd, template, configText(entries));
      const clash = existing(cwd, files);
      if (clash.length > 0 && !opts.force) {
        if (opts.yes) {
          process.stderr.write(
            `error: cmc init would overwrite ${clash.map((f) => f.path).join(", ")}; nothing was written\n` +
              "  fix: move them aside, run `cmc init` without --yes to choose, or add --force to overwrite them\n",
          );
          return EXIT.failed;
        }
        const keep = new Set<string>();
        for (const f of clash) if (!(await asker.confirm(`${f.path} exists. Overwrite it?`, false))) keep.add(f.path);
        files = files.filter((f) => !keep.has(f.path));
        for (const kept of keep) asker.note(`kept ${kept} as it was`);
      }
      writePlanned(cwd, files);
      const wrote = files.map((f) => (f.append ? `${f.path} (added .cmc/)` : f.path));
      const next = nextCommand(compiled);
      asker.done(wrote.length > 0 ? `wrote ${wrote.join(", ")}` : "wrote nothing");
      process.stdout.write(`next: cmc check ${WORKFLOWS_DIR} && ${next}\n`);
      return EXIT.ok;
    } finally {
      template.dispose();
    }
  } catch (error) {
    if (error instanceof AskCancelled) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}

/** `cmc doctor`'s agent checks: each CLI found or not, its version against the verified ones, its login. */
import { execa } from "execa";
import { locateCli } from "../agents/available.js";
import { cliSpec } from "../agents/index.js";
import { LOGIN, loginState } from "../agents/login.js";
import { parseVersion, VERIFIED } from "../agents/verified.js";
import { CLI_AGENTS, type AgentSettings, type CliAgent } from "../config/schema.js";
import type { AgentCheck } from "./types.js";

/** The CLIs the project's settings name: in a role's entry, or with defaults. */
export function agentsUsed(settings: AgentSettings): Set<string> {
  const used = new Set<string>(Object.keys(settings.defaults));
  for (const entry of Object.values(settings.roles)) for (const agent of entry) used.add(agent.$agent);
  return used;
}

/** What `program --version` prints, or why it could not be read. */
async function versionOf(program: string): Promise<{ output: string } | { error: string }> {
  try {
    const r = await execa(program, ["--version"], { reject: false, timeout: 10_000, stdin: "ignore", all: true });
    if (r.timedOut) return { error: "`--version` did not answer within 10 s" };
    if (r.exitCode !== 0) return { error: `\`--version\` exited with ${r.exitCode}${r.all ? `: ${r.all.trim().split("\n")[0]}` : ""}` };
    return { output: r.all ?? "" };
  } catch (error) {
    return { error: (error as Error).message.split("\n")[0]! };
  }
}

/** Checks one CLI. */
export async function checkAgent(name: CliAgent, used: boolean, env: NodeJS.ProcessEnv = process.env): Promise<AgentCheck> {
  const spec = cliSpec(name)!;
  const located = locateCli(name)!;
  const verified = VERIFIED[name];
  const base = { name, program: located.program, verifiedVersions: verified.versions, used };
  if (located.path === undefined) {
    const fix = located.via ? `fix ${located.via} (it names \`${located.program}\`, which is not an executable), or unset it` : spec.install;
    return {
      ...base,
      path: null,
      version: null,
      verified: false,
      loggedIn: null,
      status: used || located.via ? "fail" : "absent",
      summary: located.via ? `\`${located.program}\` (named by ${located.via}) was not found` : `not installed (\`${spec.program}\`${spec.alias ? ` or \`${spec.alias}\`` : ""} is not on PATH)`,
      fix,
    };
  }
  const found = { ...base, path: located.path };
  const login = loginState(name, env);
  const loggedIn = login.state;
  const answer = await versionOf(located.path);
  if ("error" in answer) {
    return { ...found, version: null, verified: false, loggedIn, status: "fail", summary: `found at ${located.path}, but ${answer.error}`, fix: `reinstall it: ${spec.install}` };
  }
  const version = parseVersion(answer.output) ?? null;
  const isVerified = version !== null && verified.versions.includes(version);
  const loginText = login.state === "yes" ? `logged in (${login.how})` : login.state === "no" ? "not logged in" : "login not visible to cmc";
  const summary = `${version ?? "unknown version"}${isVerified ? " (verified)" : ""}, ${loginText}, ${located.path}`;
  if (login.state === "no") return { ...found, version, verified: isVerified, loggedIn, status: "fail", summary, fix: LOGIN[name].fix };
  if (!isVerified) {
    const pin = verified.npm && verified.versions.length > 0 ? `: npm install -g ${verified.npm}@${verified.versions[verified.versions.length - 1]}` : "";
    const what = verified.versions.length > 0 ? `cmc's adapter was verified with ${verified.versions.join(", ")}` : "no version of it has been verified with cmc's adapter yet";
    return { ...found, version, verified: false, loggedIn, status: "warn", summary, fix: `${what}; if its steps misbehave, install that version${pin}` };
  }
  if (login.state === "unknown") return { ...found, version, verified: true, loggedIn, status: "warn", summary, fix: "run `claude auth status` to see whether it is logged in" };
  return { ...found, version, verified: true, loggedIn, status: "ok", summary };
}

/** Checks every CLI, concurrently. */
export function checkAgents(settings: AgentSettings, env: NodeJS.ProcessEnv = process.env): Promise<AgentCheck[]> {
  const used = agentsUsed(settings);
  return Promise.all(CLI_AGENTS.map((name) => checkAgent(name, used.has(name), env)));
}

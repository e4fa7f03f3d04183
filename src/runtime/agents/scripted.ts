/**
 * `scripted(file: path)` — replies read from a JSON file, for testing workflows without models.
 * The file is an array of `{ when?, text?, output?, fail? }`; each ask is answered by the first
 * entry whose `when` occurs in the prompt (or that has no `when`). Entries are not consumed: the
 * same prompt always gets the same entry. The file is read again whenever it changed since the last ask.
 */
import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { StepError } from "../errors.js";
import type { ActionContext } from "../actions/types.js";
import { resolveInside } from "../workspace.js";
import { stringOption } from "./options.js";
import { extractJson, validateOutput } from "./output.js";
import type { AgentValue, AskRequest, Reply } from "./types.js";

/** One reply of a scripted file. */
export interface ScriptedEntry {
  /** Answers prompts containing this text; absent → any prompt. */
  readonly when?: string;
  /** The reply text; absent → the JSON of `output`, or "". */
  readonly text?: string;
  /** The structured output; absent → parsed from `text` when the step asks for `output:`. */
  readonly output?: unknown;
  /** Makes the ask fail (kind `failed`) with this message. */
  readonly fail?: string;
}

/** The file named by `scripted(file:)` (or the constructor's only positional argument). */
export function scriptedFile(agent: AgentValue): string {
  const file = stringOption(agent, agent.options["file"] !== undefined ? "file" : "0");
  if (!file) throw new StepError("runtime", "scripted(): `file` must name a JSON file: scripted(file: \"replies.json\")", false);
  return file;
}

/**
 * The last parse of each scripted file, with the identity it had then and the workspace it was
 * found inside of. A file whose device, inode, size and times are unchanged is neither read again
 * nor its real path resolved again for the same workspace, so thousands of asks in a fan-out cost
 * one read and one `realpath`. A file is read only while it is inside: a path that comes to lead
 * outside (a swapped symlink) stats as another file, or as this one changed once it is edited there.
 */
const parsed = new Map<string, { readonly stamp: string; readonly entries: ScriptedEntry[]; readonly inside: string | undefined }>();

/**
 * Reads and checks the scripted file `shown`, resolved against the workspace. Unless `allowOutside`,
 * a file outside the workspace is refused, as every path a step touches.
 */
export async function readScript(workspace: string, shown: string, allowOutside: boolean): Promise<ScriptedEntry[]> {
  const file = path.resolve(workspace, shown);
  let stamp: string | undefined;
  try {
    const st = statSync(file, { bigint: true });
    stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    // Missing or unreadable: the read below reports it.
  }
  const cached = stamp === undefined ? undefined : parsed.get(file);
  const same = cached !== undefined && cached.stamp === stamp;
  if (same && (allowOutside || cached.inside === workspace)) return cached.entries;
  resolveInside(workspace, shown, allowOutside);
  const entries = same ? cached.entries : await readScriptFile(file, shown);
  if (stamp !== undefined) parsed.set(file, { stamp, entries, inside: allowOutside ? undefined : workspace });
  return entries;
}

async function readScriptFile(path: string, shown: string): Promise<ScriptedEntry[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new StepError("runtime", `scripted file \`${shown}\`: ${(err as Error).message}`, false);
  }
  const bad = (msg: string): never => {
    throw new StepError("runtime", `scripted file \`${shown}\`: ${msg}`, false);
  };
  if (!Array.isArray(data)) return bad("expected a JSON array of replies");
  return data.map((entry: unknown, i): ScriptedEntry => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return bad(`entry ${i + 1} is not an object`);
    const e = entry as Record<string, unknown>;
    for (const key of ["when", "text", "fail"] as const) {
      if (e[key] !== undefined && typeof e[key] !== "string") bad(`entry ${i + 1}: \`${key}\` must be a string`);
    }
    return e as ScriptedEntry;
  });
}

/** Answers an ask from the file. */
export async function askScripted(agent: AgentValue, req: AskRequest, ctx: ActionContext): Promise<Reply> {
  const started = performance.now();
  ctx.signal.throwIfAborted();
  const shown = scriptedFile(agent);
  const entries = await readScript(ctx.workspace, shown, ctx.allowOutside);
  const index = entries.findIndex((e) => e.when === undefined || req.prompt.includes(e.when));
  const entry = entries[index];
  if (!entry) {
    const firstLine = req.prompt.trim().split("\n")[0] ?? "";
    throw new StepError("failed", `no scripted reply matches the prompt: ${firstLine}`);
  }
  // No step log: the reply's session (`scripted-<entry>`) already records which entry answered, and
  // creating a log file per ask would cost more than the ask itself in a wide fan-out.
  if (entry.fail !== undefined) throw new StepError("failed", entry.fail);
  const text = entry.text ?? (entry.output !== undefined ? JSON.stringify(entry.output) : "");
  if (text) ctx.progress?.({ message: text });
  const reply: Reply = {
    ok: true,
    text,
    session: req.session ?? `scripted-${index + 1}`,
    cost: 0,
    tokens: { input: 0, output: 0 },
    duration: Math.round(performance.now() - started),
  };
  if (!req.output) return reply;
  const raw = entry.output !== undefined ? entry.output : extractJson(text);
  return { ...reply, output: validateOutput(req.output, raw) };
}

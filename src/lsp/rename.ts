/**
 * Rename: every identifier that names the definition under the cursor, across the workspace.
 * A rename is tried before it is offered: the programs that read a changed file are checked with
 * the new texts, and a rename that adds an error (a clash) or changes what any name refers to
 * (a capture) is refused with the reason.
 */
import type { Loc } from "../compiler/check/errors.js";
import type { Analysis } from "../compiler/service/analysis.js";
import { KEYWORDS } from "../compiler/service/completion.js";
import { referencesTo, symbolAt } from "../compiler/service/symbol-at.js";
import { RequestError } from "./errors.js";
import type { Workspace } from "./workspace.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function applyEdits(text: string, spans: readonly Loc["span"][], newName: string): string {
  let out = text;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) out = out.slice(0, span.start) + newName + out.slice(span.end);
  return out;
}

function errorCounts(a: Analysis): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of a.result.diagnostics) if (d.severity === "error") counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  return counts;
}

/** The identifiers to replace with `newName`; a RequestError saying why when the rename is refused. */
export function renameEdits(ws: Workspace, key: string, offset: number, newName: string): Loc[] {
  if (!NAME.test(newName)) {
    throw new RequestError(`\`${newName}\` is not a name: a name starts with a letter or \`_\` and has only letters, digits and \`_\``);
  }
  if (KEYWORDS.includes(newName)) throw new RequestError(`\`${newName}\` is a keyword of the language and cannot be a name`);
  const analysis = ws.analysis(key);
  if (!analysis.program?.modules.get(key)?.parsed) throw new RequestError(`${key} has syntax errors: fix them before renaming`);
  const sym = symbolAt(analysis, key, offset);
  if (!sym) throw new RequestError("nothing to rename here: put the cursor on a name");
  if (sym.def.file.startsWith("std/")) throw new RequestError(`\`${sym.def.file}\` is the standard library: its names cannot be renamed`);
  const source = analysis.result.sources.get(sym.def.file) ?? "";
  const oldName = source.slice(sym.def.span.start, sym.def.span.end);
  if (oldName === newName) return [];

  const analyses = new Map<string, Analysis>([[key, analysis]]);
  for (const k of ws.workspaceKeys()) if (!analyses.has(k)) analyses.set(k, ws.analysis(k));
  const refs = referencesTo(analyses.values(), sym.def);

  const spansByFile = new Map<string, Loc["span"][]>();
  for (const r of refs) (spansByFile.get(r.file) ?? spansByFile.set(r.file, []).get(r.file)!).push(r.span);
  const overlay = new Map<string, string>();
  for (const [file, spans] of spansByFile) {
    const text = ws.text(file)?.text;
    if (text === undefined) throw new RequestError(`cannot read ${file}`);
    overlay.set(file, applyEdits(text, spans, newName));
  }
  const shift = (spansByFile.get(sym.def.file) ?? []).filter((s) => s.start < sym.def.span.start).length * (newName.length - oldName.length);
  const renamedDef: Loc = { file: sym.def.file, span: { start: sym.def.span.start + shift, end: sym.def.span.start + shift + newName.length } };

  const after: Analysis[] = [];
  for (const a of analyses.values()) {
    if (![...overlay.keys()].some((file) => a.result.sources.has(file))) continue;
    const tried = ws.analysisWith(a.entry, overlay);
    const before = errorCounts(a);
    const added = tried.result.diagnostics.find(
      (d) => d.severity === "error" && (errorCounts(tried).get(d.code) ?? 0) > (before.get(d.code) ?? 0),
    );
    if (added) throw new RequestError(`renaming \`${oldName}\` to \`${newName}\` would clash: ${added.message} (${added.file})`);
    after.push(tried);
  }
  const renamed = referencesTo(after, renamedDef);
  if (renamed.length !== refs.length) {
    throw new RequestError(`renaming \`${oldName}\` to \`${newName}\` would change what other names refer to: \`${newName}\` is already visible there`);
  }
  return refs;
}

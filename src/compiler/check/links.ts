/** Telling a recorder (`recorder.ts`) where a top-level name used in a module is declared. */
import type { Ident } from "../ast/ast.js";
import type { ScopeEntry } from "./model.js";
import type { Recorder } from "./recorder.js";

/**
 * Links a use of a top-level name to its declaration, or to the import's alias when it is
 * imported under another name (so renaming the declaration leaves the alias and its uses alone).
 */
export function linkGlobal(recorder: Recorder, file: string, use: Ident, entry: ScopeEntry): void {
  const sym = entry.sym;
  if (sym.kind === "broken") return;
  const kind = sym.kind === "ctor" ? "ctor" : sym.kind;
  if (entry.imported && sym.decl.name.name !== use.name) recorder.link({ file, span: use.span }, { file, span: entry.span }, kind);
  else recorder.link({ file, span: use.span }, { file: sym.module, span: sym.decl.name.span }, kind);
}

/**
 * Quick fixes read from diagnostics: a `help` of "did you mean `x`?" replaces the span with `x`;
 * an unknown name that a module exports is imported from it.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Module } from "../ast/ast.js";
import type { Span } from "../span.js";

export interface TextFix {
  readonly title: string;
  readonly span: Span;
  readonly text: string;
}

/** The replacement a diagnostic's help suggests, if it suggests one. */
export function fixOf(d: Pick<Diagnostic, "help" | "span">): TextFix | undefined {
  const name = /^did you mean `([^`]+)`\?$/.exec(d.help ?? "");
  if (name) return { title: `Change to \`${name[1]}\``, span: d.span, text: name[1]! };
  const literal = /^did you mean ("(?:[^"\\]|\\.)*")\?$/.exec(d.help ?? "");
  if (literal) return { title: `Change to ${literal[1]}`, span: d.span, text: literal[1]! };
  return undefined;
}

/** A module an unknown name could be imported from: how the importing file names it, and its AST. */
export interface ImportCandidate {
  readonly specifier: string;
  readonly module: Module;
}

/**
 * For an unknown name (E0207), the imports that would define it: one fix per candidate module that
 * exports a declaration by that name, adding it to the file's import of that module or adding an
 * import line at the top.
 */
export function importFixes(d: Pick<Diagnostic, "code" | "message">, file: Module, candidates: readonly ImportCandidate[]): TextFix[] {
  const name = d.code === "E0207" ? /^unknown name `([^`]+)`$/.exec(d.message)?.[1] : undefined;
  if (!name) return [];
  const fixes: TextFix[] = [];
  for (const c of candidates) {
    if (!c.module.decls.some((decl) => decl.exported && decl.name.name === name)) continue;
    const title = `Import \`${name}\` from "${c.specifier}"`;
    const existing = file.imports.find((i) => i.from === c.specifier && i.names.length > 0);
    if (existing) {
      const last = existing.names[existing.names.length - 1]!;
      fixes.push({ title, span: { start: last.span.end, end: last.span.end }, text: `, ${name}` });
    } else fixes.push({ title, span: { start: 0, end: 0 }, text: `import { ${name} } from "${c.specifier}"\n` });
  }
  return fixes;
}

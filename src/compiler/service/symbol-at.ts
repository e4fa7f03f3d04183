/** Which definition the identifier at an offset names, and every identifier that names it. */
import type { Ident, Node } from "../ast/ast.js";
import type { Loc } from "../check/errors.js";
import type { SymbolKind } from "../check/recorder.js";
import type { Span } from "../span.js";
import { moduleOf, type Analysis } from "./analysis.js";
import { nodesAt } from "./node-at.js";

export interface SymbolAt {
  /** The identifier under the cursor. */
  readonly span: Span;
  /** The identifier that defines what it names. */
  readonly def: Loc;
  readonly kind: SymbolKind;
}

const within = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

/** The kind of definition whose name `ident` is, when `parent` declares it. */
function declaredKind(parent: Node, ident: Ident): SymbolKind | undefined {
  const named = (parent as { name?: Ident }).name === ident;
  switch (parent.kind) {
    case "WorkflowDecl":
      return named ? "workflow" : undefined;
    case "TypeDecl":
      return named ? "type" : undefined;
    case "LetDecl":
    case "LetStmt":
      return named ? "let" : undefined;
    case "AgentDecl":
    case "AgentStmt":
      return named ? "agent" : undefined;
    case "AgentCtorDecl":
      return named ? "ctor" : undefined;
    case "Param":
      return named ? "param" : undefined;
    case "StepStmt":
      return named ? "step" : undefined;
    case "RecordTypeField":
      return named ? "field" : undefined;
    case "ImportName":
      return (parent as { alias?: Ident }).alias === ident ? "import" : undefined;
    case "ForStmt":
      return (parent as { variable?: Ident }).variable === ident ? "loop" : undefined;
    case "TryStmt":
      return (parent as { errorName?: Ident }).errorName === ident ? "catch" : undefined;
    default:
      return undefined;
  }
}

/** The symbol at `offset` in `file`: a linked use, or a definition's own name. */
export function symbolAt(a: Analysis, file: string, offset: number): SymbolAt | undefined {
  for (const r of a.index.referencesIn(file)) {
    if (within(r.span, offset) && r.kind !== "import") return { span: r.span, def: r.def, kind: r.kind };
  }
  const module = moduleOf(a, file);
  if (!module) return undefined;
  const path = nodesAt(module, offset);
  const ident = path[path.length - 1];
  const parent = path[path.length - 2];
  if (ident?.kind !== "Ident" || !parent) return undefined;
  const kind = declaredKind(parent, ident as Ident);
  return kind ? { span: ident.span, def: { file, span: ident.span }, kind } : undefined;
}

/** The import specifier at `offset`, linked to the module it names. */
export function importAt(a: Analysis, file: string, offset: number): Loc | undefined {
  for (const r of a.index.referencesIn(file)) if (r.kind === "import" && within(r.span, offset)) return r.def;
  return undefined;
}

const sameLoc = (x: Loc, y: Loc): boolean => x.file === y.file && x.span.start === y.span.start;

/**
 * Every identifier, in any of `analyses`, that names `def`, the definition itself first; each
 * once, even where several programs share a module.
 */
export function referencesTo(analyses: Iterable<Analysis>, def: Loc): Loc[] {
  const out: Loc[] = [def];
  const seen = new Set([`${def.file}\0${def.span.start}`]);
  for (const a of analyses) {
    for (const file of a.index.files()) {
      for (const r of a.index.referencesIn(file)) {
        const key = `${file}\0${r.span.start}`;
        if (r.kind === "import" || seen.has(key) || !sameLoc(r.def, def)) continue;
        seen.add(key);
        out.push({ file, span: r.span });
      }
    }
  }
  return out;
}

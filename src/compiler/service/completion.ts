/**
 * Completion candidates at an offset: record fields (and `ask`) after `.` or `?.`, the named
 * arguments of the call around the cursor, and otherwise keywords, built-ins and the names the
 * checker's own scopes make visible there.
 */
import type { Block, Node, Stmt } from "../ast/ast.js";
import { ACTION_NAMES, BUILTIN_FNS, BUILTIN_TYPE_NAMES } from "../check/builtins.js";
import type { SymbolKind, VisibleName } from "../check/recorder.js";
import { childBlocks } from "../check/walk.js";
import { keywordList } from "../lexer/fast-scan.js";
import { typeToString, type Type } from "../types.js";
import { moduleOf, type Analysis } from "./analysis.js";
import { calleeOf, callAt } from "./calls-at.js";
import { typeOf } from "./hover.js";
import { nodesAt } from "./node-at.js";

export type CompletionKind = SymbolKind | "keyword" | "function" | "argument" | "method";

export interface Candidate {
  readonly label: string;
  readonly kind: CompletionKind;
  /** The type or signature, for the detail line. */
  readonly detail?: string;
  /** What to insert when it differs from the label (`timeout: `). */
  readonly insert?: string;
}

/** Every keyword of the language, hard and soft. */
export const KEYWORDS: readonly string[] = keywordList;

const POSTFIX_KINDS = new Set(["NameExpr", "MemberExpr", "IndexExpr", "CallExpr"]);

/** The candidates after `object.`: its record fields, or `ask` on an agent. */
function membersOf(t: Type, optionalChain: boolean): Candidate[] {
  const inner = t.kind === "optional" && optionalChain ? t.inner : t;
  if (inner.kind === "record") return inner.fields.map((f) => ({ label: f.name, kind: "field", detail: typeToString(f.type) }));
  if (inner.kind === "agent") return [{ label: "ask", kind: "method", detail: "ask(prompt, output:, session:, …) -> Reply" }];
  return [];
}

/** The type of the expression that ends where the `.` at `dot` starts. */
function objectBefore(a: Analysis, file: string, dot: number): Type | undefined {
  const module = moduleOf(a, file);
  if (!module) return undefined;
  let best: Node | undefined;
  for (const n of nodesAt(module, dot)) {
    if (POSTFIX_KINDS.has(n.kind) && n.span.end === dot && (!best || n.span.start <= best.span.start)) best = n;
  }
  return best ? typeOf(a, best as never) : undefined;
}

function blocksAt(path: readonly Node[]): Block[] {
  const out: Block[] = [];
  for (const n of path) {
    if (n.kind === "Block") out.push(n as Block);
    if (n.kind === "ParallelStmt") out.push(...childBlocks(n as Stmt));
  }
  return out;
}

/** The local names and steps visible at `offset`, as the checker saw them around the nearest statement. */
export function visibleAt(a: Analysis, file: string, offset: number): readonly VisibleName[] {
  const module = moduleOf(a, file);
  if (!module) return [];
  const blocks = blocksAt(nodesAt(module, offset)).filter((b) => b.span.start <= offset && offset <= b.span.end);
  for (let i = blocks.length - 1; i >= 0; i--) {
    const stmts = blocks[i]!.statements.filter((s): s is Stmt => s !== undefined);
    const containing = stmts.find((s) => s.span.start <= offset && offset <= s.span.end);
    if (containing) {
      const before = a.index.visibleAround.get(containing)?.before;
      if (before) return before;
      continue;
    }
    const prev = [...stmts].reverse().find((s) => s.span.end <= offset);
    const next = stmts.find((s) => s.span.start >= offset);
    const found = (prev && a.index.visibleAround.get(prev)?.after) ?? (next && a.index.visibleAround.get(next)?.before);
    if (found) return found;
  }
  return [];
}

/** Inside `import { … } from "m"`: the names `m` exports that the import does not name yet. */
function importedNames(a: Analysis, file: string, offset: number): Candidate[] | undefined {
  const imp = moduleOf(a, file)?.imports.find((i) => i.span.start <= offset && offset < i.fromSpan.start);
  if (!imp) return undefined;
  const target = a.index.referencesIn(file).find((r) => r.kind === "import" && r.span.start === imp.fromSpan.start)?.def.file;
  const declared = target !== undefined ? a.program?.modules.get(target)?.declared : undefined;
  const named = new Set(imp.names.filter((n) => !(n.span.start <= offset && offset <= n.span.end)).map((n) => n.name.name));
  const out: Candidate[] = [];
  for (const [name, sym] of declared ?? []) {
    if (sym.kind !== "broken" && sym.decl.exported && !named.has(name)) out.push({ label: name, kind: sym.kind, ...(sym.decl.doc ? { detail: sym.decl.doc } : {}) });
  }
  return out;
}

/** The named arguments the call around `offset` still takes. */
function namedArguments(a: Analysis, file: string, offset: number): Candidate[] {
  const call = callAt(a, file, offset);
  const callee = call && calleeOf(a, file, call);
  if (!call || !callee) return [];
  const others = call.args.filter((arg) => !(arg.span.start <= offset && offset <= arg.span.end));
  const given = new Set(others.flatMap((arg) => (arg.name ? [arg.name.name] : [])));
  const positional = others.filter((arg) => !arg.name).length;
  callee.params.slice(0, Math.min(positional, callee.positional)).forEach((p) => given.add(p.name));
  return callee.params
    .filter((p) => !given.has(p.name))
    .map((p) => ({ label: `${p.name}:`, kind: "argument", detail: p.type, insert: `${p.name}: ` }));
}

/**
 * The candidates at `offset` of `file`, whose current text before the cursor is `before` (the
 * analysis may be of an earlier text: what precedes the cursor is what matters).
 */
export function completionsAt(a: Analysis, file: string, offset: number, before: string): Candidate[] {
  const member = /(\?)?\.\s*[A-Za-z_0-9]*$/.exec(before);
  if (member && !/(^|[^\w])\d+$/.test(before.slice(0, member.index))) {
    const dot = offset - member[0].length;
    const t = objectBefore(a, file, dot);
    return t ? membersOf(t, member[1] !== undefined) : [];
  }
  const imported = importedNames(a, file, offset);
  if (imported) return imported;
  const out: Candidate[] = [];
  const typePosition = /(:|->|output:)\s*[A-Za-z_0-9<]*$/.test(before) && !/\(\s*[^()]*$/.test(before.split("\n").pop() ?? "");
  if (typePosition || /^\s*type\s+\w+\s*=\s*[\w\s|<]*$/.test(before.split("\n").pop() ?? "")) {
    for (const name of BUILTIN_TYPE_NAMES) out.push({ label: name, kind: "type" });
  }
  out.push(...namedArguments(a, file, offset));
  const seen = new Set<string>();
  for (const v of visibleAt(a, file, offset)) {
    if (seen.has(v.name)) continue;
    seen.add(v.name);
    out.push({ label: v.name, kind: v.kind, detail: typeToString(v.type) });
  }
  const scope = a.program?.modules.get(file)?.scope;
  for (const [name, entry] of scope ?? []) {
    if (seen.has(name) || entry.sym.kind === "broken") continue;
    seen.add(name);
    out.push({ label: name, kind: entry.sym.kind });
  }
  for (const name of [...Object.keys(BUILTIN_FNS), ...ACTION_NAMES, "prev"]) {
    if (!seen.has(name)) out.push({ label: name, kind: "function" });
  }
  for (const k of KEYWORDS) out.push({ label: k, kind: "keyword" });
  return out;
}

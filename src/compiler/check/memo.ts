/**
 * Checking a module again after an edit without checking again the workflows the edit did not
 * touch. What checking each workflow found is kept: the diagnostics located in it, the top-level
 * values it reads, its calls and its role uses. A workflow whose text is unchanged is not checked
 * again while all it can see is unchanged too: the module's imports and other declarations
 * (workflows by their headers) and the other modules' texts. The module's own diagnostics are what
 * a whole check gives (test/check/memo.test.ts holds them so); the checked program's side tables
 * are not complete, so lowering and editor queries need a whole check.
 */
import type { WorkflowDecl } from "../ast/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { editBetween } from "../edit.js";
import type { Span } from "../span.js";
import type { Loc } from "./errors.js";
import type { CallEdge, CheckState, ModuleInfo, RoleUse, ValueSym } from "./model.js";

/** What checking one workflow found, with offsets into the text it was checked in. */
export interface WorkflowFacts {
  readonly span: Span;
  readonly diagnostics: readonly Diagnostic[];
  readonly uses: readonly { readonly module: string; readonly name: string }[];
  readonly calls: readonly CallEdge[];
  readonly roles: readonly RoleUse[];
}

interface Kept {
  readonly text: string;
  readonly environment: readonly string[];
  /** By the workflow's start offset. */
  readonly facts: ReadonlyMap<number, WorkflowFacts>;
}

/** A check of one module in progress: the workflows it reuses, and the uses of those it checks. */
export interface MemoRun {
  readonly module: ModuleInfo;
  readonly environment: readonly string[];
  readonly reused: ReadonlyMap<WorkflowDecl, WorkflowFacts>;
  readonly uses: Map<WorkflowDecl, Set<ValueSym>>;
  /** Where the diagnostics of the declaration checks begin in the state. */
  readonly firstDiagnostic: number;
}

export class CheckMemo {
  private kept: Kept | undefined;

  /** Starts the check of `module`: which workflows need not be checked again, with their findings. */
  begin(state: CheckState, module: ModuleInfo): MemoRun {
    const environment = environmentOf(state, module);
    const run = { module, environment, uses: new Map(), firstDiagnostic: state.diagnostics.length };
    const kept = this.kept;
    if (!kept || !module.parsed || !sameList(kept.environment, environment)) return { ...run, reused: new Map() };
    const { from, oldEnd, newEnd } = editBetween(kept.text, module.source);
    const delta = newEnd - oldEnd;
    const linesMoved = newlines(module.source, from, newEnd) !== newlines(kept.text, from, oldEnd);
    const reused = new Map<WorkflowDecl, WorkflowFacts>();
    for (const decl of workflows(module)) {
      const { start, end } = decl.span;
      const shift = end <= from ? 0 : start >= newEnd ? delta : undefined;
      const facts = shift === undefined ? undefined : kept.facts.get(start - shift);
      if (shift === undefined || !facts || facts.span.end - facts.span.start !== end - start) continue;
      // A diagnostic may name a line ("defined at line 12").
      if (shift !== 0 && linesMoved && facts.diagnostics.length > 0) continue;
      reused.set(decl, shift === 0 ? facts : moved(facts, shift));
    }
    return { ...run, reused };
  }

  /** Tells the state what a workflow found when it was last checked, instead of checking it. */
  replay(state: CheckState, facts: WorkflowFacts): void {
    for (const d of facts.diagnostics) state.report(d);
    for (const use of facts.uses) {
      const sym = state.modules.get(use.module)?.declared.get(use.name);
      if (sym?.kind === "let" || sym?.kind === "agent") state.usedDecls.add(sym.decl);
    }
    for (const call of facts.calls) state.callEdges.push(call);
    for (const role of facts.roles) state.roleUses.push(role);
  }

  /**
   * Ends the check after the declaration checks (before the whole-program rules): drops what the
   * checks of other declarations reported again in a reused workflow, and keeps each workflow's findings.
   */
  end(state: CheckState, run: MemoRun): void {
    const { module, reused } = run;
    const decls = workflows(module);
    const at = (loc: Loc): WorkflowDecl | undefined => (loc.file === module.key ? containing(decls, loc.span.start) : undefined);
    const replayed = new Set<Diagnostic>();
    for (const facts of reused.values()) for (const d of facts.diagnostics) replayed.add(d);
    const found = state.diagnostics.splice(run.firstDiagnostic);
    const kept = found.filter((d) => {
      const decl = at(d);
      return !(decl && reused.has(decl) && !replayed.has(d));
    });
    for (const d of kept) state.diagnostics.push(d);
    const diagnostics = grouped(kept, at);
    const calls = grouped(state.callEdges, (call) => at(call.loc));
    const roles = grouped(state.roleUses, (role) => at(role.loc));
    const facts = new Map<number, WorkflowFacts>();
    for (const decl of decls) {
      const uses = reused.get(decl)?.uses ?? [...(run.uses.get(decl) ?? [])].map((sym) => ({ module: sym.module, name: sym.decl.name.name }));
      // Kept with spans of their own: the parser may move the tree's offsets in place later.
      const found = { span: decl.span, diagnostics: diagnostics.get(decl) ?? [], uses, calls: calls.get(decl) ?? [], roles: roles.get(decl) ?? [] };
      facts.set(decl.span.start, moved(found, 0));
    }
    this.kept = module.parsed ? { text: module.source, environment: run.environment, facts } : undefined;
  }

  /** Forgets the last check (after a check that failed). */
  clear(): void {
    this.kept = undefined;
  }
}

/** `items` by the workflow each lies in (those in none left out). */
function grouped<T>(items: readonly T[], workflowOf: (item: T) => WorkflowDecl | undefined): Map<WorkflowDecl, T[]> {
  const out = new Map<WorkflowDecl, T[]>();
  for (const item of items) {
    const decl = workflowOf(item);
    if (!decl) continue;
    const list = out.get(decl);
    if (list) list.push(item);
    else out.set(decl, [item]);
  }
  return out;
}

/** Everything a workflow's check can see besides its own text. */
function environmentOf(state: CheckState, module: ModuleInfo): string[] {
  const { source, ast } = module;
  const out = [module.key];
  for (const imp of ast?.imports ?? []) out.push(source.slice(imp.span.start, imp.span.end));
  for (const decl of ast?.decls ?? []) {
    out.push(source.slice(decl.span.start, decl.kind === "WorkflowDecl" ? decl.body.span.start : decl.span.end));
  }
  for (const [key, other] of state.modules) if (key !== module.key) out.push(key, other.source);
  return out;
}

function workflows(module: ModuleInfo): WorkflowDecl[] {
  return (module.ast?.decls ?? []).filter((d): d is WorkflowDecl => d.kind === "WorkflowDecl" && !module.damaged.has(d));
}

/** The workflow of `decls` (in source order) whose span holds `offset`. */
function containing(decls: readonly WorkflowDecl[], offset: number): WorkflowDecl | undefined {
  let lo = 0;
  let hi = decls.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const { start, end } = decls[mid]!.span;
    if (offset < start) hi = mid - 1;
    else if (offset >= end) lo = mid + 1;
    else return decls[mid];
  }
  return undefined;
}

function moved(facts: WorkflowFacts, shift: number): WorkflowFacts {
  const span = (s: Span): Span => ({ start: s.start + shift, end: s.end + shift });
  const loc = <T extends { readonly loc: Loc }>(x: T): T => ({ ...x, loc: { file: x.loc.file, span: span(x.loc.span) } });
  return {
    span: span(facts.span),
    diagnostics: facts.diagnostics.map((d) => ({ ...d, span: span(d.span) })),
    uses: facts.uses,
    calls: facts.calls.map(loc),
    roles: facts.roles.map(loc),
  };
}

function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

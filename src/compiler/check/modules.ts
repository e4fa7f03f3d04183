/**
 * Loading a program's modules: parse the entry and its imports transitively through the host,
 * detect import cycles, and build each module's top-level scope (declarations and imports).
 */
import type { Decl, Import, Module } from "../ast/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import type { CompilerHost } from "../host.js";
import { E } from "./errors.js";
import { isChecked, type CheckState, type ModuleInfo, type Sym } from "./model.js";
import { suggest } from "./suggest.js";

/** The parser's entry point, injected so the checker does not depend on how parsing is done. */
export type ParseFn = (text: string, file: string) => { module: Module; diagnostics: Diagnostic[] };

interface ImportEdge {
  readonly from: string;
  readonly imp: Import;
  /** The resolved module key, or undefined when the module does not exist. */
  readonly to?: string;
}

/** Reads, parses and links every module reachable from `entry`; reports module-level errors into `state`. */
export function loadModules(state: CheckState, entry: string, host: CompilerHost, parse: ParseFn): void {
  const edges = new Map<string, ImportEdge[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const key = queue.shift()!;
    if (state.modules.has(key)) continue;
    const info = parseModule(state, key, host, parse, key === entry);
    state.modules.set(key, info);
    const out: ImportEdge[] = [];
    for (const imp of info.ast?.imports ?? []) {
      let to: string | undefined;
      try {
        to = host.resolve(key, imp.from);
      } catch {
        to = undefined;
      }
      if (to !== undefined && safeRead(host, to) === undefined) to = undefined;
      if (to === undefined) {
        if (isChecked(info)) state.report(E.moduleNotFound({ file: key, span: imp.fromSpan }, imp.from));
      } else queue.push(to);
      out.push({ from: key, imp, ...(to !== undefined ? { to } : {}) });
    }
    edges.set(key, out);
  }

  const cyclic = findCycles(state, entry, edges);
  for (const info of state.modules.values()) collectDeclarations(info);
  for (const info of state.modules.values()) {
    if (isChecked(info)) linkImports(state, info, edges.get(info.key) ?? [], cyclic);
  }
}

function safeRead(host: CompilerHost, key: string): string | undefined {
  try {
    const text = host.read(key);
    return typeof text === "string" ? text : undefined;
  } catch {
    return undefined;
  }
}

function parseModule(state: CheckState, key: string, host: CompilerHost, parse: ParseFn, isEntry: boolean): ModuleInfo {
  const source = safeRead(host, key);
  const empty = { key, declared: new Map(), scope: new Map(), damaged: new Set<Decl>() };
  if (source === undefined) {
    if (isEntry) state.report(E.moduleNotFound({ file: key, span: { start: 0, end: 0 } }, key));
    return { ...empty, source: "", parsed: false };
  }
  let result: ReturnType<ParseFn>;
  try {
    result = parse(source, key);
  } catch (err) {
    state.report({
      code: "E0100",
      severity: "error",
      message: `the parser failed on this file: ${err instanceof Error ? err.message : String(err)}`,
      file: key,
      span: { start: 0, end: 0 },
    });
    return { ...empty, source, parsed: false };
  }
  const diagnostics = Array.isArray(result?.diagnostics) ? result.diagnostics : [];
  for (const d of diagnostics) state.report(d);
  const ast = result?.module;
  const errors = diagnostics.filter((d) => d.severity === "error");
  const parsed = ast !== undefined && errors.length === 0;
  return { ...empty, source, parsed, damaged: damagedBy(errors, ast?.decls ?? []), ...(ast ? { ast } : {}) };
}

/** The declarations `errors` spoil (see `ModuleInfo.damaged`); `decls` are in source order. */
function damagedBy(errors: readonly Diagnostic[], decls: readonly Decl[]): Set<Decl> {
  const damaged = new Set<Decl>();
  for (const error of errors) {
    let i = decls.length - 1;
    while (i >= 0 && decls[i]!.span.start > error.span.start) i--;
    if (i < 0) return new Set(decls);
    damaged.add(decls[i]!);
  }
  return damaged;
}

/** Depth-first search over imports; each import that closes a cycle is reported and returned. */
function findCycles(state: CheckState, entry: string, edges: ReadonlyMap<string, ImportEdge[]>): Set<Import> {
  const cyclic = new Set<Import>();
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (key: string): void => {
    stack.push(key);
    for (const edge of edges.get(key) ?? []) {
      if (edge.to === undefined) continue;
      const at = stack.indexOf(edge.to);
      if (at >= 0) {
        cyclic.add(edge.imp);
        const from = state.modules.get(key);
        if (from && isChecked(from)) {
          state.report(E.importCycle({ file: key, span: edge.imp.fromSpan }, [...stack.slice(at), edge.to]));
        }
      } else if (!done.has(edge.to)) visit(edge.to);
    }
    stack.pop();
    done.add(key);
  };
  visit(entry);
  for (const key of edges.keys()) if (!done.has(key)) visit(key);
  return cyclic;
}

function symbolOf(module: string, decl: Decl): Sym {
  switch (decl.kind) {
    case "TypeDecl":
      return { kind: "type", module, decl };
    case "WorkflowDecl":
      return { kind: "workflow", module, decl };
    case "AgentDecl":
      return { kind: "agent", module, decl };
    case "LetDecl":
      return { kind: "let", module, decl };
    case "AgentCtorDecl":
      return { kind: "ctor", module, decl };
  }
}

function collectDeclarations(info: ModuleInfo): void {
  for (const decl of info.ast?.decls ?? []) {
    const name = decl?.name?.name;
    if (typeof name !== "string" || info.declared.has(name)) continue;
    info.declared.set(name, info.damaged.has(decl) ? { kind: "broken" } : symbolOf(info.key, decl));
  }
}

/** Builds the module scope: imported names first (in source order), then declarations. */
function linkImports(state: CheckState, info: ModuleInfo, edges: readonly ImportEdge[], cyclic: ReadonlySet<Import>): void {
  const report = (d: Diagnostic): void => state.report(d);
  const where = "in this module";
  for (const edge of edges) {
    const target = edge.to !== undefined ? state.modules.get(edge.to) : undefined;
    const usable = target !== undefined && target.parsed && !cyclic.has(edge.imp);
    if (target) state.recorder?.link({ file: info.key, span: edge.imp.fromSpan }, { file: target.key, span: { start: 0, end: 0 } }, "import");
    for (const name of edge.imp.names ?? []) {
      if (typeof name?.name?.name !== "string") continue;
      const local = name.alias ?? name.name;
      let sym: Sym = { kind: "broken" };
      if (usable) {
        const found = target.declared.get(name.name.name);
        if (found && found.kind !== "broken" && found.decl.exported) {
          sym = found;
          state.recorder?.link({ file: info.key, span: name.name.span }, { file: target.key, span: found.decl.name.span }, found.kind);
        }
        else {
          const exported = [...target.declared.entries()]
            .filter(([, s]) => s.kind !== "broken" && s.decl.exported)
            .map(([n]) => n);
          report(
            E.notExported(
              { file: info.key, span: name.name.span },
              name.name.name,
              target.key,
              found !== undefined,
              suggest(name.name.name, exported),
            ),
          );
        }
      }
      if (info.scope.has(local.name)) {
        report(E.duplicateName({ file: info.key, span: local.span }, local.name, where));
        continue;
      }
      info.scope.set(local.name, { sym, span: local.span, imported: true });
    }
  }
  for (const decl of info.ast?.decls ?? []) {
    const name = decl?.name;
    if (typeof name?.name !== "string") continue;
    const sym = info.declared.get(name.name);
    if (info.scope.has(name.name) || sym === undefined || (sym.kind !== "broken" && sym.decl !== decl)) {
      report(E.duplicateName({ file: info.key, span: name.span }, name.name, where));
      continue;
    }
    info.scope.set(name.name, { sym, span: name.span, imported: false });
  }
}

/**
 * The compiler's public entry points: `check` (parse and type-check a program) and `compile`
 * (check, then lower to the IR when there are no errors). Pure: all reading goes through the host.
 */
import type { Module } from "./ast/ast.js";
import { CheckState, checkProgram } from "./check/index.js";
import { hasErrors, type Diagnostic } from "./diagnostics.js";
import type { CompilerHost } from "./host.js";
import type { IrProgram } from "./ir/ir.js";
import { lowerProgram } from "./ir/lower.js";
import { parse } from "./parser/index.js";

export interface CheckResult {
  /** Every module that was read and parsed, by module key. */
  modules: ReadonlyMap<string, Module>;
  /** The text of every module read, by module key, for rendering diagnostics. */
  sources: ReadonlyMap<string, string>;
  /** Diagnostics of every module, sorted by file then offset. */
  diagnostics: Diagnostic[];
}

function internalError(entry: string, err: unknown): Diagnostic {
  return {
    code: "E0001",
    severity: "error",
    message: "internal compiler error",
    file: entry,
    span: { start: 0, end: 0 },
    help: `please report this: ${err instanceof Error ? err.message : String(err)}`,
  };
}

function result(state: CheckState): CheckResult {
  const modules = new Map<string, Module>();
  const sources = new Map<string, string>();
  for (const [key, info] of state.modules) {
    if (info.ast) modules.set(key, info.ast);
    sources.set(key, info.source);
  }
  const diagnostics = state.diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) =>
      a.d.file < b.d.file ? -1 : a.d.file > b.d.file ? 1 : a.d.span.start - b.d.span.start || a.i - b.i,
    )
    .map(({ d }) => d);
  return { modules, sources, diagnostics };
}

function run(entry: string, host: CompilerHost): { state?: CheckState; result: CheckResult } {
  const state = new CheckState(entry);
  try {
    checkProgram(state, entry, host, parse);
    return { state, result: result(state) };
  } catch (err) {
    const partial = result(state);
    return { result: { ...partial, diagnostics: [...partial.diagnostics, internalError(entry, err)] } };
  }
}

/** Parses `entry` and its imports transitively and checks them all. Never throws. */
export function check(entry: string, host: CompilerHost): CheckResult {
  return run(entry, host).result;
}

/** Checks the program, then lowers it to the IR when there are no errors. Never throws. */
export function compile(entry: string, host: CompilerHost): CheckResult & { ir?: IrProgram } {
  const { state, result: checked } = run(entry, host);
  if (!state || hasErrors(checked.diagnostics)) return checked;
  try {
    return { ...checked, ir: lowerProgram(state.program()) };
  } catch (err) {
    return { ...checked, diagnostics: [...checked.diagnostics, internalError(entry, err)] };
  }
}

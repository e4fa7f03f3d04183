/**
 * The compiler's public entry points: `check` (parse and type-check a program) and `compile`
 * (check, then lower to the IR when there are no errors). Pure: all reading goes through the host.
 */
import type { Module } from "./ast/ast.js";
import { CheckState, checkProgram, type CheckMemo, type CheckedProgram, type ParseFn } from "./check/index.js";
import type { Recorder } from "./check/recorder.js";
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

/** How a front end that keeps state between checks (the language server) runs one. */
export interface CheckOptions {
  /** Told every type, link and scope as checking goes (`service/`). */
  readonly recorder?: Recorder;
  /** Replaces the parser, e.g. by one that reuses the AST of a text it parsed before. */
  readonly parse?: ParseFn;
  /** Checks only this module's declarations (see `checkProgram`): an importer re-checked for its own diagnostics. */
  readonly onlyModule?: string;
}

function run(entry: string, host: CompilerHost, options: CheckOptions = {}, memo?: CheckMemo): { state?: CheckState; result: CheckResult } {
  const state = new CheckState(entry);
  state.recorder = options.recorder;
  try {
    checkProgram(state, entry, host, options.parse ?? parse, options.onlyModule, memo);
    return { state, result: result(state) };
  } catch (err) {
    memo?.clear();
    const partial = result(state);
    return { result: { ...partial, diagnostics: [...partial.diagnostics, internalError(entry, err)] } };
  }
}

/** Parses `entry` and its imports transitively and checks them all. Never throws. */
export function check(entry: string, host: CompilerHost): CheckResult {
  return run(entry, host).result;
}

/**
 * `check` with a recorder and a parser of the caller's; also returns the checked program's side
 * tables (undefined when the checker failed). Never throws.
 */
export function checkWith(entry: string, host: CompilerHost, options: CheckOptions): CheckResult & { program?: CheckedProgram } {
  const { state, result: checked } = run(entry, host, options);
  return state ? { ...checked, program: state.program() } : checked;
}

/**
 * The diagnostics of module `entry` (only its own: other modules are loaded, not checked), checking
 * again only the workflows an edit touched since the last call with the same `memo`. Never throws.
 */
export function diagnose(entry: string, host: CompilerHost, memo: CheckMemo, options: Omit<CheckOptions, "onlyModule"> = {}): CheckResult {
  return run(entry, host, { ...options, onlyModule: entry }, memo).result;
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

/**
 * One checked program as an editor sees it: the checker's result plus the semantic index its
 * recorder filled (types, links, locals, scopes). Pure: reading goes through the host.
 */
import type { Module } from "../ast/ast.js";
import type { CheckedProgram, ParseFn } from "../check/index.js";
import type { CompilerHost } from "../host.js";
import { checkWith, type CheckResult } from "../index.js";
import { SemanticIndex, type Focus } from "./semantic-index.js";

export interface Analysis {
  /** The module key the program was checked from. */
  readonly entry: string;
  readonly result: CheckResult;
  /** Undefined only when the checker itself failed (an internal error diagnostic says so). */
  readonly program?: CheckedProgram;
  readonly index: SemanticIndex;
}

export interface AnalyzeOptions {
  /** Replaces the parser (one that reuses the AST of a text it parsed before). */
  readonly parse?: ParseFn;
  /**
   * Checks only the entry's declarations: the entry's own diagnostics, types and links are all
   * there, other modules are loaded and linked but not checked (their own analyses have theirs).
   */
  readonly entryOnly?: boolean;
  /** Where to keep the names visible around statements (for completion); nowhere when absent. */
  readonly focus?: Focus;
}

/** Checks the program rooted at `entry` and indexes it for queries. Never throws. */
export function analyze(entry: string, host: CompilerHost, options: AnalyzeOptions = {}): Analysis {
  const index = new SemanticIndex(options.focus);
  const checked = checkWith(entry, host, {
    recorder: index,
    ...(options.parse ? { parse: options.parse } : {}),
    ...(options.entryOnly ? { onlyModule: entry } : {}),
  });
  const { program, ...result } = checked;
  return { entry, result, ...(program ? { program } : {}), index };
}

/** The parsed module `file` of the analysis, if it was read. */
export function moduleOf(a: Analysis, file: string): Module | undefined {
  return a.result.modules.get(file);
}

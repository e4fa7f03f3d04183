/**
 * One checked program as an editor sees it: the checker's result plus the semantic index its
 * recorder filled (types, links, locals, scopes). Pure: reading goes through the host.
 */
import type { Module } from "../ast/ast.js";
import type { CheckedProgram, ParseFn } from "../check/index.js";
import type { CompilerHost } from "../host.js";
import { checkWith, type CheckResult } from "../index.js";
import { SemanticIndex } from "./semantic-index.js";

export interface Analysis {
  /** The module key the program was checked from. */
  readonly entry: string;
  readonly result: CheckResult;
  /** Undefined only when the checker itself failed (an internal error diagnostic says so). */
  readonly program?: CheckedProgram;
  readonly index: SemanticIndex;
}

/** Checks the program rooted at `entry` and indexes it for queries. Never throws. */
export function analyze(entry: string, host: CompilerHost, parse?: ParseFn): Analysis {
  const index = new SemanticIndex();
  const checked = checkWith(entry, host, { recorder: index, ...(parse ? { parse } : {}) });
  const { program, ...result } = checked;
  return { entry, result, ...(program ? { program } : {}), index };
}

/** The parsed module `file` of the analysis, if it was read. */
export function moduleOf(a: Analysis, file: string): Module | undefined {
  return a.result.modules.get(file);
}

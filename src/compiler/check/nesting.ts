/**
 * How deeply a workflow's blocks may nest. The IR of a program is stored, validated and run by
 * recursive code, so nesting without a bound would overflow the stack after `cmc check` passed
 * (LANGUAGE.md §5's limits: docs/language.md). Else-if chains are flat in the IR and do not count.
 */
import type { Block, Stmt } from "../ast/ast.js";
import { E } from "./errors.js";
import type { CheckState, ModuleInfo } from "./model.js";

/** Blocks (`if`, `parallel`, `for`, `repeat`, `try`, `{ … }` branches) nested inside one another, at most. */
export const MAX_BLOCK_DEPTH = 100;

/** The blocks a statement holds directly, each one level deeper than the statement. */
function innerBlocks(stmt: Stmt): readonly (readonly Stmt[])[] {
  switch (stmt.kind) {
    case "IfStmt": {
      const blocks: (readonly Stmt[])[] = [];
      for (let arm: Stmt | Block | undefined = stmt; arm; ) {
        if (arm.kind === "IfStmt") {
          blocks.push(arm.then.statements);
          arm = arm.otherwise;
        } else {
          blocks.push((arm as Block).statements);
          arm = undefined;
        }
      }
      return blocks;
    }
    case "ParallelStmt":
      return [stmt.branches];
    case "BlockStmt":
      return [stmt.block.statements];
    case "ForStmt":
      return [stmt.body.statements];
    case "RepeatStmt":
      return stmt.otherwise ? [stmt.body.statements, stmt.otherwise.statements] : [stmt.body.statements];
    case "TryStmt":
      return [stmt.body.statements, stmt.handler.statements];
    default:
      return [];
  }
}

/** Reports the outermost statement of each chain of blocks nested deeper than `MAX_BLOCK_DEPTH`. */
export function checkNesting(state: CheckState, module: ModuleInfo, body: Block): void {
  const visit = (statements: readonly Stmt[], depth: number): void => {
    for (const stmt of statements) {
      const inner = innerBlocks(stmt);
      if (inner.length === 0) continue;
      if (depth === MAX_BLOCK_DEPTH) {
        state.report(E.nestedTooDeep({ file: module.key, span: stmt.span }, MAX_BLOCK_DEPTH));
        continue;
      }
      for (const block of inner) visit(block, depth + 1);
    }
  };
  visit(body.statements, 0);
}

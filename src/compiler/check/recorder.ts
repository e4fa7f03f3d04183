/**
 * What the checker can tell an editor as it checks: the type of every expression, the definition
 * every name links to, the locals it declares and the names visible before each statement. The
 * checker calls a recorder only when one is set on its state (`CheckState.recorder`), so checking
 * without one (the CLI, compile) does no extra work and reports exactly the same diagnostics.
 */
import type { Expr, RecordType, Stmt } from "../ast/ast.js";
import type { RecordTypeT, Type } from "../types.js";
import type { Loc } from "./errors.js";

/** What a name stands for. */
export type SymbolKind = "step" | "param" | "let" | "agent" | "loop" | "catch" | "workflow" | "type" | "ctor" | "field" | "import";

/** A name visible at a point, with the type it has there. */
export interface VisibleName {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly type: Type;
}

export interface Recorder {
  /** `e` was inferred to have type `t` (the last call for an expression wins). */
  exprType(e: Expr, t: Type): void;
  /** The identifier at `use` names the one at `def`. */
  link(use: Loc, def: Loc, kind: SymbolKind): void;
  /** The identifier at `use` names field `field` of record type `record`. */
  field(use: Loc, record: RecordTypeT, field: string): void;
  /** A local name is declared at `def` (its identifier) with type `type`. */
  local(def: Loc, name: string, kind: SymbolKind, type: Type): void;
  /** A record type was written as `node` in `file` (its fields are defined there). */
  recordOrigin(t: RecordTypeT, file: string, node: RecordType): void;
  /** The values visible just before `stmt` (or, with `after`, just after it) in `file`. */
  visible(file: string, stmt: Stmt, after: boolean, names: () => VisibleName[]): void;
}

/**
 * The untyped syntax tree of one `.cm` module, built from the CST by `parser/to-ast.ts`.
 * Readonly interfaces discriminated by `kind`; every node has a `span` of offsets into its file.
 */
import type { Span } from "../span.js";

export interface Node {
  readonly kind: string;
  readonly span: Span;
}

export interface Ident extends Node {
  readonly kind: "Ident";
  readonly name: string;
}

// ─── Module and declarations ────────────────────────────────────────────────

export interface Module extends Node {
  readonly kind: "Module";
  /** The module key given by the compiler host (a path relative to the working folder, or `std/…`). */
  readonly file: string;
  readonly imports: readonly Import[];
  readonly decls: readonly Decl[];
}

export interface Import extends Node {
  readonly kind: "Import";
  readonly names: readonly ImportName[];
  /** The specifier without quotes: `std/agents`, `./x.cm`. */
  readonly from: string;
  readonly fromSpan: Span;
}

export interface ImportName extends Node {
  readonly kind: "ImportName";
  readonly name: Ident;
  readonly alias?: Ident;
}

interface DeclBase extends Node {
  readonly name: Ident;
  readonly exported: boolean;
  /** Text of the `///` comments just before the declaration, without the slashes. */
  readonly doc?: string;
}

export type Decl = TypeDecl | WorkflowDecl | AgentDecl | AgentCtorDecl | LetDecl;

/** `type Name = T` */
export interface TypeDecl extends DeclBase {
  readonly kind: "TypeDecl";
  readonly type: TypeExpr;
}

/** `workflow name(params) -> R { body }` */
export interface WorkflowDecl extends DeclBase {
  readonly kind: "WorkflowDecl";
  readonly params: readonly Param[];
  readonly returns?: TypeExpr;
  readonly body: Block;
}

export interface Param extends Node {
  readonly kind: "Param";
  readonly name: Ident;
  readonly type: TypeExpr;
  readonly default?: Expr;
}

/** `agent name = ctor(args)` at top level. */
export interface AgentDecl extends DeclBase {
  readonly kind: "AgentDecl";
  readonly value: Expr;
}

/**
 * `agent name(params)` — declares an agent constructor implemented by the runtime (extension,
 * used by `stdlib/agents.cm`). Only names the runtime knows are accepted by the checker.
 */
export interface AgentCtorDecl extends DeclBase {
  readonly kind: "AgentCtorDecl";
  readonly params: readonly Param[];
}

/** `let name = expr` at top level. */
export interface LetDecl extends DeclBase {
  readonly kind: "LetDecl";
  readonly value: Expr;
}

// ─── Type expressions ───────────────────────────────────────────────────────

export type TypeExpr = NamedType | RecordType | OptionalType | UnionType | LiteralType;

/** `string`, `Plan`, `list<T>` (args holds `T`). */
export interface NamedType extends Node {
  readonly kind: "NamedType";
  readonly name: Ident;
  readonly args: readonly TypeExpr[];
}

export interface RecordType extends Node {
  readonly kind: "RecordType";
  readonly fields: readonly RecordTypeField[];
}

export interface RecordTypeField extends Node {
  readonly kind: "RecordTypeField";
  readonly name: Ident;
  readonly type: TypeExpr;
}

/** `T?` */
export interface OptionalType extends Node {
  readonly kind: "OptionalType";
  readonly inner: TypeExpr;
}

/** `A | B | C` */
export interface UnionType extends Node {
  readonly kind: "UnionType";
  readonly members: readonly TypeExpr[];
}

/** `"low"` used as a type. */
export interface LiteralType extends Node {
  readonly kind: "LiteralType";
  readonly value: string;
}

// ─── Statements ─────────────────────────────────────────────────────────────

export interface Block extends Node {
  readonly kind: "Block";
  readonly statements: readonly Stmt[];
}

export type Stmt =
  | StepStmt
  | LetStmt
  | AgentStmt
  | IfStmt
  | ParallelStmt
  | BlockStmt
  | ForStmt
  | RepeatStmt
  | TryStmt
  | FailStmt
  | EscalateStmt
  | ReturnStmt
  | ExprStmt;

/** `step name = action` — the action is a call: `sh(…)`, `a.ask(…)`, `approve(…)`, `wf(…)`. */
export interface StepStmt extends Node {
  readonly kind: "StepStmt";
  readonly name: Ident;
  readonly action: Expr;
}

export interface LetStmt extends Node {
  readonly kind: "LetStmt";
  readonly name: Ident;
  readonly value: Expr;
}

export interface AgentStmt extends Node {
  readonly kind: "AgentStmt";
  readonly name: Ident;
  readonly value: Expr;
}

/** `if c { } else if c { } else { }` — `else if` nests an IfStmt in `otherwise`. */
export interface IfStmt extends Node {
  readonly kind: "IfStmt";
  readonly condition: Expr;
  readonly then: Block;
  readonly otherwise?: Block | IfStmt;
}

/** `parallel [N] { s1 s2 { s3 s4 } }` — each statement is a branch; a nested block is a BlockStmt. */
export interface ParallelStmt extends Node {
  readonly kind: "ParallelStmt";
  readonly limit?: Expr;
  readonly branches: readonly Stmt[];
}

/** A `{ … }` block standing as a statement (a sequential branch of `parallel`). */
export interface BlockStmt extends Node {
  readonly kind: "BlockStmt";
  readonly block: Block;
}

/** `for x in items [parallel [N]] { }` */
export interface ForStmt extends Node {
  readonly kind: "ForStmt";
  readonly variable: Ident;
  readonly iterable: Expr;
  readonly parallel: boolean;
  readonly limit?: Expr;
  readonly body: Block;
}

/** `repeat max N { } until c [else { }]` */
export interface RepeatStmt extends Node {
  readonly kind: "RepeatStmt";
  readonly max: Expr;
  readonly body: Block;
  readonly until: Expr;
  readonly otherwise?: Block;
}

/** `try { } catch e { }` */
export interface TryStmt extends Node {
  readonly kind: "TryStmt";
  readonly body: Block;
  readonly errorName: Ident;
  readonly handler: Block;
}

export interface FailStmt extends Node {
  readonly kind: "FailStmt";
  readonly message: Expr;
}

export interface EscalateStmt extends Node {
  readonly kind: "EscalateStmt";
  readonly message: Expr;
}

export interface ReturnStmt extends Node {
  readonly kind: "ReturnStmt";
  readonly value?: Expr;
}

/** A bare expression used as a statement; always a checker error (it has no effect), kept for a good message. */
export interface ExprStmt extends Node {
  readonly kind: "ExprStmt";
  readonly expr: Expr;
}

// ─── Expressions ────────────────────────────────────────────────────────────

export type Expr =
  | StringLit
  | NumberLit
  | DurationLit
  | BoolLit
  | NoneLit
  | ListLit
  | RecordLit
  | NameExpr
  | MemberExpr
  | IndexExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | TypeValue;

/**
 * The value of an `output:` argument that only the type syntax can write: `output: list<Task>`,
 * `output: Plan?`, `output: "yes" | "no"`. An `output:` value that parses as an expression (`Plan`,
 * `{ summary: string }`) stays an expression, so an argument named `output` of a workflow call is
 * unaffected.
 */
export interface TypeValue extends Node {
  readonly kind: "TypeValue";
  readonly type: TypeExpr;
}

/** A string literal, `"…"` or `"""…"""`, with escapes decoded and triple-quote indentation stripped. */
export interface StringLit extends Node {
  readonly kind: "StringLit";
  readonly parts: readonly (TextPart | InterpPart)[];
  readonly triple: boolean;
}

export interface TextPart extends Node {
  readonly kind: "TextPart";
  /** Decoded text. */
  readonly value: string;
}

/** `${expr}` inside a string; `span` covers `${` … `}`. */
export interface InterpPart extends Node {
  readonly kind: "InterpPart";
  readonly expr: Expr;
}

export interface NumberLit extends Node {
  readonly kind: "NumberLit";
  readonly value: number;
  /** Written with a decimal point: a `float`; otherwise an `int`. */
  readonly isFloat: boolean;
}

/** `500ms`, `30s`, `20m`, `2h`, `1d`, `1.5h` */
export interface DurationLit extends Node {
  readonly kind: "DurationLit";
  /** Milliseconds. */
  readonly ms: number;
  readonly text: string;
}

export interface BoolLit extends Node {
  readonly kind: "BoolLit";
  readonly value: boolean;
}

export interface NoneLit extends Node {
  readonly kind: "NoneLit";
}

export interface ListLit extends Node {
  readonly kind: "ListLit";
  readonly items: readonly Expr[];
}

export interface RecordLit extends Node {
  readonly kind: "RecordLit";
  readonly fields: readonly RecordLitField[];
}

export interface RecordLitField extends Node {
  readonly kind: "RecordLitField";
  readonly name: Ident;
  readonly value: Expr;
}

export interface NameExpr extends Node {
  readonly kind: "NameExpr";
  readonly name: Ident;
}

/** `x.f` or, with `optional`, `x?.f` */
export interface MemberExpr extends Node {
  readonly kind: "MemberExpr";
  readonly object: Expr;
  readonly name: Ident;
  readonly optional: boolean;
}

/** `x[i]` */
export interface IndexExpr extends Node {
  readonly kind: "IndexExpr";
  readonly object: Expr;
  readonly index: Expr;
}

/** `f(a, name: b)`; a method call `a.ask(…)` has a MemberExpr callee. */
export interface CallExpr extends Node {
  readonly kind: "CallExpr";
  readonly callee: Expr;
  readonly args: readonly Arg[];
}

/** A positional (`name` absent) or named argument. */
export interface Arg extends Node {
  readonly kind: "Arg";
  readonly name?: Ident;
  readonly value: Expr;
}

export type UnaryOp = "!" | "-";

export interface UnaryExpr extends Node {
  readonly kind: "UnaryExpr";
  readonly op: UnaryOp;
  readonly operand: Expr;
}

export type BinaryOp =
  | "??"
  | "||"
  | "&&"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

/**
 * Binding strength of each binary operator, loosest first (LANGUAGE.md §7): `??`, `||`, `&&`,
 * equality, comparison, `+ -`, `* / %`. Only `??` is right-associative.
 */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  "??": 0,
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};

export interface BinaryExpr extends Node {
  readonly kind: "BinaryExpr";
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

/** Helper for exhaustive switches. */
export function assertNever(value: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(value)}`);
}

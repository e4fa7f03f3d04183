/**
 * The checker's recorder for editors: every expression's type, every use linked to its
 * definition, every local's declaration with its type, and the names visible around each
 * statement, kept per module so that queries by file and offset are cheap.
 */
import type { Expr, RecordType, Stmt } from "../ast/ast.js";
import type { Loc } from "../check/errors.js";
import type { Recorder, SymbolKind, VisibleName } from "../check/recorder.js";
import type { Span } from "../span.js";
import type { RecordTypeT, Type } from "../types.js";

/** An identifier that names a definition (the definition's own name included). */
export interface Reference {
  readonly span: Span;
  readonly def: Loc;
  readonly kind: SymbolKind;
}

/** A local name's declaration: parameter, step, `let`, `agent`, loop or catch variable. */
export interface LocalDecl {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly type: Type;
  readonly span: Span;
}

/** What was visible before and after one statement. */
export interface VisibleAround {
  before?: readonly VisibleName[];
  after?: readonly VisibleName[];
}

/** A span of one file: where the names visible around statements are kept (they cost a copy each). */
export interface Focus {
  readonly file: string;
  readonly span: Span;
}

export class SemanticIndex implements Recorder {
  readonly types = new Map<Expr, Type>();
  private readonly refs = new Map<string, Reference[]>();
  private readonly locals = new Map<string, Map<number, LocalDecl>>();
  private readonly origins = new Map<RecordTypeT, { readonly file: string; readonly node: RecordType }>();
  readonly visibleAround = new Map<Stmt, VisibleAround>();

  constructor(readonly focus?: Focus) {}

  exprType(e: Expr, t: Type): void {
    this.types.set(e, t);
  }

  link(use: Loc, def: Loc, kind: SymbolKind): void {
    let list = this.refs.get(use.file);
    if (!list) this.refs.set(use.file, (list = []));
    list.push({ span: use.span, def, kind });
  }

  field(use: Loc, record: RecordTypeT, field: string): void {
    const origin = this.origins.get(record);
    const f = origin?.node.fields.find((x) => x.name.name === field);
    if (origin && f) this.link(use, { file: origin.file, span: f.name.span }, "field");
  }

  local(def: Loc, name: string, kind: SymbolKind, type: Type): void {
    let byStart = this.locals.get(def.file);
    if (!byStart) this.locals.set(def.file, (byStart = new Map()));
    byStart.set(def.span.start, { name, kind, type, span: def.span });
  }

  recordOrigin(t: RecordTypeT, file: string, node: RecordType): void {
    this.origins.set(t, { file, node });
  }

  visible(file: string, stmt: Stmt, after: boolean, names: () => VisibleName[]): void {
    const focus = this.focus;
    if (!focus || focus.file !== file || stmt.span.end < focus.span.start || stmt.span.start > focus.span.end) return;
    let around = this.visibleAround.get(stmt);
    if (!around) this.visibleAround.set(stmt, (around = {}));
    // A statement checked twice (a repeat body) keeps what its first check saw.
    if (after) around.after ??= names();
    else around.before ??= names();
  }

  /** Every linked identifier in `file`, in the order the checker met them. */
  referencesIn(file: string): readonly Reference[] {
    return this.refs.get(file) ?? [];
  }

  /** Every file that has linked identifiers. */
  files(): Iterable<string> {
    return this.refs.keys();
  }

  /** The local declared with its name at `start` in `file`. */
  localAt(file: string, start: number): LocalDecl | undefined {
    return this.locals.get(file)?.get(start);
  }

  /** Every local declared in `file`. */
  localsIn(file: string): Iterable<LocalDecl> {
    return this.locals.get(file)?.values() ?? [];
  }

  /** Where the fields of `record` were written, when it was written in a module. */
  originOf(record: RecordTypeT): { readonly file: string; readonly node: RecordType } | undefined {
    return this.origins.get(record);
  }
}

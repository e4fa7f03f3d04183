/**
 * The chevrotain grammar of `.cm` (normative form: grammar/cm.ebnf). Produces a CST; `to-ast.ts`
 * turns it into the AST. One instance is built at start-up and reused for every parse.
 */
import "../node-compat.js";
import { CstParser, NoViableAltException, type CstNode, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as T from "../lexer/tokens.js";
import { syntaxErrorMessages } from "./syntax-errors.js";

type AltPaths = Parameters<IParserErrorMessageProvider["buildNoViableAltMessage"]>[0]["expectedPathsPerAlt"];

/** What an `OR` of a rule can start with, per `rule:occurrence`: chevrotain's, computed once each. */
const altPaths = new Map<string, AltPaths>();
let capturing: string | undefined;

/** The message provider, keeping the paths chevrotain computed for an `OR` while {@link capturing} names it. */
const messages: IParserErrorMessageProvider = {
  ...syntaxErrorMessages,
  buildNoViableAltMessage(options) {
    if (capturing !== undefined) altPaths.set(capturing, options.expectedPathsPerAlt);
    capturing = undefined;
    return syntaxErrorMessages.buildNoViableAltMessage(options);
  },
};

/** The parts of chevrotain's recognizer that {@link CmParser.raiseNoAltException} uses (not in its typings). */
interface Recognizer {
  getCurrRuleFullName(): string;
  readonly maxLookahead: number;
  SAVE_ERROR(error: NoViableAltException): NoViableAltException;
}

const braces = new Set<TokenType>([T.BlockOpen, T.RecordOpen, T.RCurly]);

/** The `.cm` CST parser. Call {@link CmParser.module} or {@link CmParser.expression} after setting `input`. */
export class CmParser extends CstParser {
  constructor() {
    super(T.parserTokens as never, {
      recoveryEnabled: true,
      // Offsets are all the AST needs; "full" (lines and columns too) doubles the parse time.
      nodeLocationTracking: "onlyOffset",
      maxLookahead: 3,
      errorMessageProvider: messages,
    });
    this.performSelfAnalysis();
  }

  /**
   * Chevrotain's, with the alternatives' lookahead paths computed once per `OR` instead of at every
   * error (its own code says "consider caching"): they took ~25 ms an error, 10 s for a file with
   * an error in each of 358 workflows.
   */
  raiseNoAltException(occurrence: number, errMsgTypes: string | undefined): never {
    const self = this as unknown as Recognizer;
    const ruleName = self.getCurrRuleFullName();
    const key = `${ruleName}:${occurrence}`;
    const paths = altPaths.get(key);
    if (paths === undefined) {
      capturing = key;
      const base = CstParser.prototype as unknown as { raiseNoAltException(this: CmParser, o: number, e: string | undefined): never };
      return base.raiseNoAltException.call(this, occurrence, errMsgTypes);
    }
    const actual: IToken[] = [];
    for (let i = 1; i <= self.maxLookahead; i++) actual.push(this.LA(i));
    const previous = this.LA(0);
    const message = messages.buildNoViableAltMessage({ expectedPathsPerAlt: paths, actual, previous, customUserDescription: errMsgTypes!, ruleName });
    throw self.SAVE_ERROR(new NoViableAltException(message, this.LA(1), previous));
  }

  /**
   * Recovery may insert or delete a missing `)`, `]`, `,`…, but never a brace: a guessed `{` or
   * `}` would pair with the wrong brace further on and turn one mistake into a cascade.
   */
  override canTokenTypeBeInsertedInRecovery(type: TokenType): boolean {
    return !braces.has(type);
  }

  override canTokenTypeBeDeletedInRecovery(type: TokenType): boolean {
    return !braces.has(type);
  }

  // ─── Module and declarations ──────────────────────────────────────────────

  module = this.RULE("module", () => {
    this.MANY_SEP({ SEP: T.Terminator, DEF: () => this.SUBRULE(this.topItem) });
  });

  topItem = this.RULE("topItem", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.declaration) },
    ]);
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.RecordOpen);
    this.OPTION(() => {
      this.SUBRULE(this.importName);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.importName);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RCurly);
    this.CONSUME(T.From);
    this.CONSUME(T.StringLiteral);
  });

  importName = this.RULE("importName", () => {
    this.CONSUME(T.Ident);
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME2(T.Ident);
    });
  });

  declaration = this.RULE("declaration", () => {
    this.OPTION(() => this.CONSUME(T.Export));
    this.OR([
      { ALT: () => this.SUBRULE(this.typeDecl) },
      { ALT: () => this.SUBRULE(this.workflowDecl) },
      { ALT: () => this.SUBRULE(this.agentDecl) },
      { ALT: () => this.SUBRULE(this.letDecl) },
    ]);
  });

  typeDecl = this.RULE("typeDecl", () => {
    this.CONSUME(T.Type);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.typeExpr);
  });

  workflowDecl = this.RULE("workflowDecl", () => {
    this.CONSUME(T.Workflow);
    this.CONSUME(T.Ident);
    this.SUBRULE(this.paramList);
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE(this.typeExpr);
    });
    this.SUBRULE(this.block);
  });

  agentDecl = this.RULE("agentDecl", () => {
    this.CONSUME(T.Agent);
    this.CONSUME(T.Ident);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expression);
        },
      },
      { ALT: () => this.SUBRULE(this.paramList) },
    ]);
  });

  letDecl = this.RULE("letDecl", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  paramList = this.RULE("paramList", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.param);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  /** A parameter; its name may be a keyword (`agent: string?`), as named arguments may. */
  param = this.RULE("param", () => {
    this.CONSUME(T.AnyName);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression);
    });
  });

  // ─── Types ────────────────────────────────────────────────────────────────

  typeExpr = this.RULE("typeExpr", () => {
    this.SUBRULE(this.optionalType);
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      this.SUBRULE2(this.optionalType);
    });
  });

  optionalType = this.RULE("optionalType", () => {
    this.SUBRULE(this.typeAtom);
    this.OPTION(() => this.CONSUME(T.Question));
  });

  typeAtom = this.RULE("typeAtom", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.namedType) },
      { ALT: () => this.SUBRULE(this.recordType) },
      { ALT: () => this.SUBRULE(this.literalType) },
      { ALT: () => this.SUBRULE(this.parenType) },
    ]);
  });

  namedType = this.RULE("namedType", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Ident) }, { ALT: () => this.CONSUME(T.Agent) }]);
    this.OPTION(() => {
      this.CONSUME(T.Less);
      this.SUBRULE(this.typeExpr);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.typeExpr);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
      this.CONSUME(T.Greater);
    });
  });

  recordType = this.RULE("recordType", () => {
    this.CONSUME(T.RecordOpen);
    this.OPTION(() => {
      this.SUBRULE(this.recordTypeField);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.recordTypeField);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  recordTypeField = this.RULE("recordTypeField", () => {
    this.CONSUME(T.AnyName);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  literalType = this.RULE("literalType", () => {
    this.CONSUME(T.StringLiteral);
  });

  parenType = this.RULE("parenType", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.typeExpr);
    this.CONSUME(T.RParen);
  });

  // ─── Statements ───────────────────────────────────────────────────────────

  block = this.RULE("block", () => {
    this.CONSUME(T.BlockOpen);
    this.MANY_SEP({ SEP: T.Terminator, DEF: () => this.SUBRULE(this.statement) });
    this.CONSUME(T.RCurly);
  });

  statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.stepStmt) },
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.agentStmt) },
      { ALT: () => this.SUBRULE(this.ifStmt) },
      { ALT: () => this.SUBRULE(this.parallelStmt) },
      { ALT: () => this.SUBRULE(this.blockStmt) },
      { ALT: () => this.SUBRULE(this.forStmt) },
      { ALT: () => this.SUBRULE(this.repeatStmt) },
      { ALT: () => this.SUBRULE(this.tryStmt) },
      { ALT: () => this.SUBRULE(this.failStmt) },
      { ALT: () => this.SUBRULE(this.escalateStmt) },
      { ALT: () => this.SUBRULE(this.returnStmt) },
      { ALT: () => this.SUBRULE(this.exprStmt) },
    ]);
  });

  stepStmt = this.RULE("stepStmt", () => {
    this.CONSUME(T.Step);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  letStmt = this.RULE("letStmt", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  agentStmt = this.RULE("agentStmt", () => {
    this.CONSUME(T.Agent);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  ifStmt = this.RULE("ifStmt", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.block);
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.OR([
        { ALT: () => this.SUBRULE(this.ifStmt) },
        { ALT: () => this.SUBRULE2(this.block) },
      ]);
    });
  });

  parallelStmt = this.RULE("parallelStmt", () => {
    this.CONSUME(T.Parallel);
    this.OPTION(() => this.SUBRULE(this.expression));
    this.CONSUME(T.BlockOpen);
    this.MANY_SEP({ SEP: T.Terminator, DEF: () => this.SUBRULE(this.statement) });
    this.CONSUME(T.RCurly);
  });

  blockStmt = this.RULE("blockStmt", () => {
    this.SUBRULE(this.block);
  });

  forStmt = this.RULE("forStmt", () => {
    this.CONSUME(T.For);
    this.CONSUME(T.Ident);
    this.CONSUME(T.In);
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.Parallel);
      this.OPTION2(() => this.SUBRULE2(this.expression));
    });
    this.SUBRULE(this.block);
  });

  repeatStmt = this.RULE("repeatStmt", () => {
    this.CONSUME(T.Repeat);
    this.CONSUME(T.Max);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.block);
    this.CONSUME(T.Until);
    this.SUBRULE2(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.SUBRULE2(this.block);
    });
  });

  tryStmt = this.RULE("tryStmt", () => {
    this.CONSUME(T.Try);
    this.SUBRULE(this.block);
    this.CONSUME(T.Catch);
    this.CONSUME(T.Ident);
    this.SUBRULE2(this.block);
  });

  failStmt = this.RULE("failStmt", () => {
    this.CONSUME(T.Fail);
    this.SUBRULE(this.messageArg);
  });

  escalateStmt = this.RULE("escalateStmt", () => {
    this.CONSUME(T.Escalate);
    this.SUBRULE(this.messageArg);
  });

  /** `(msg)` of `fail` and `escalate`. */
  messageArg = this.RULE("messageArg", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.OPTION(() => this.CONSUME(T.Comma));
    this.CONSUME(T.RParen);
  });

  returnStmt = this.RULE("returnStmt", () => {
    this.CONSUME(T.Return);
    this.OPTION(() => this.SUBRULE(this.expression));
  });

  exprStmt = this.RULE("exprStmt", () => {
    this.SUBRULE(this.expression);
  });

  // ─── Expressions ──────────────────────────────────────────────────────────

  /**
   * A chain of unary operands and binary operators. Precedence and associativity are applied by
   * the AST builder (`to-ast.ts`), which keeps the CST flat and parsing fast.
   */
  expression = this.RULE("expression", () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.CONSUME(T.BinaryOp);
      this.SUBRULE2(this.operand);
    });
  });

  /**
   * Prefix operators, a primary, then member, index and call suffixes — inlined into one rule
   * (fewer CST nodes is most of the parser's speed); the AST builder orders suffixes by offset.
   */
  operand = this.RULE("operand", () => {
    this.MANY(() => this.CONSUME(T.UnaryOp));
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.None) },
      { ALT: () => this.CONSUME(T.ValueName) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.listLit) },
      { ALT: () => this.SUBRULE(this.recordLit) },
    ]);
    this.MANY2(() => {
      this.OR2([
        {
          ALT: () => {
            this.CONSUME(T.MemberAccess);
            this.CONSUME(T.AnyName);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RBracket);
          },
        },
        { ALT: () => this.SUBRULE(this.callArgs) },
      ]);
    });
  });

  callArgs = this.RULE("callArgs", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.argument);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  argument = this.RULE("argument", () => {
    let output = false;
    this.OPTION(() => {
      output = this.CONSUME(T.AnyName).image === "output";
      this.CONSUME(T.Colon);
    });
    // `output:` takes a type: an expression when one fills the argument (`Plan`, `{ a: string }`),
    // else the type syntax when that does (`list<Task>`, `Plan?`, `"yes" | "no"`); when neither
    // does, the error is reported as in any other argument.
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => !output || this.BACKTRACK(this.wholeArgument).call(this), ALT: () => this.SUBRULE(this.expression) },
        { GATE: () => this.BACKTRACK(this.wholeTypeArgument).call(this), ALT: () => this.SUBRULE(this.typeExpr) },
        { ALT: () => this.SUBRULE2(this.expression) },
      ],
    });
  });

  /** Only for lookahead: an expression that is the whole argument. */
  wholeArgument = this.RULE("wholeArgument", () => {
    this.SUBRULE(this.expression);
    this.SUBRULE(this.argumentEnd);
  });

  /** Only for lookahead: a type that is the whole argument. */
  wholeTypeArgument = this.RULE("wholeTypeArgument", () => {
    this.SUBRULE(this.typeExpr);
    this.SUBRULE(this.argumentEnd);
  });

  argumentEnd = this.RULE("argumentEnd", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.RParen) }]);
  });

  parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  listLit = this.RULE("listLit", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  recordLit = this.RULE("recordLit", () => {
    this.CONSUME(T.RecordOpen);
    this.OPTION(() => {
      this.SUBRULE(this.recordField);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.recordField);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  recordField = this.RULE("recordField", () => {
    this.CONSUME(T.AnyName);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });
}

let shared: CmParser | undefined;

/**
 * The shared parser instance, built on first use: building one (chevrotain's grammar analysis)
 * takes ~30 ms, and files without errors never need it (they take the fast path, fast-parser.ts).
 */
export function cmParser(): CmParser {
  shared ??= new CmParser();
  return shared;
}

/**
 * Drops the shared parser. A stack overflow (absurdly deep nesting) unwinds through chevrotain
 * without its clean-up, leaving the instance's rule stack inconsistent; the next parse must not
 * inherit that state.
 */
export function discardParser(): void {
  shared = undefined;
}

/** Parses `tokens` with `rule`; returns the CST and chevrotain's recognition errors. */
export function runParser(
  tokens: IToken[],
  rule: "module" | "expression",
): { cst: CstNode; errors: CmParser["errors"] } {
  const parser = cmParser();
  parser.input = tokens;
  const cst = rule === "module" ? parser.module() : parser.expression();
  return { cst, errors: parser.errors };
}

/**
 * The token vocabulary of `.cm` (LANGUAGE.md §2): keywords, punctuation, literals, and the
 * synthetic tokens (`Terminator`, `RecordOpen`, `BlockOpen`) that the terminator pass assigns.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";
import { scanBlockComment, scanString, scanTripleString } from "./scan.js";

/** Any name usable after `.`, as a record field or as an argument name: identifiers and keywords. */
export const AnyName = createToken({ name: "AnyName", label: "a name", pattern: Lexer.NA });

/**
 * A name in an expression: an identifier or a soft keyword (`from`, `as`, `max`), which only
 * means something inside `import` and `repeat` and may otherwise name a value.
 */
export const ValueName = createToken({ name: "ValueName", label: "a name", pattern: Lexer.NA });

export const Ident = createToken({
  name: "Ident",
  label: "a name",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [AnyName, ValueName],
});

function keyword(word: string, soft = false): TokenType {
  return createToken({
    name: `Kw_${word}`,
    label: `\`${word}\``,
    pattern: new RegExp(word),
    longer_alt: Ident,
    categories: soft ? [AnyName, ValueName] : [AnyName],
  });
}

export const Import = keyword("import");
export const From = keyword("from", true);
export const Export = keyword("export");
export const As = keyword("as", true);
export const Type = keyword("type");
export const Workflow = keyword("workflow");
export const Agent = keyword("agent");
export const Step = keyword("step");
export const Let = keyword("let");
export const If = keyword("if");
export const Else = keyword("else");
export const Parallel = keyword("parallel");
export const For = keyword("for");
export const In = keyword("in");
export const Repeat = keyword("repeat");
export const Max = keyword("max", true);
export const Until = keyword("until");
export const Try = keyword("try");
export const Catch = keyword("catch");
export const Fail = keyword("fail");
export const Escalate = keyword("escalate");
export const Return = keyword("return");
export const True = keyword("true");
export const False = keyword("false");
export const None = keyword("none");

/** Ordered so that a keyword that is a prefix of another (`in` / `import`) never wins wrongly: longer_alt handles identifiers. */
export const keywords: readonly TokenType[] = [
  Import, From, Export, As, Type, Workflow, Agent, Step, Let, If, Else, Parallel, For, In, Repeat,
  Max, Until, Try, Catch, Fail, Escalate, Return, True, False, None,
];

// ─── Trivia ─────────────────────────────────────────────────────────────────

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const DocComment = createToken({ name: "DocComment", pattern: /\/\/\/(?!\/)[^\n]*/, group: "docs" });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: { exec: scanBlockComment },
  start_chars_hint: ["/"],
  line_breaks: true,
  group: "comments",
});

/** A statement terminator: a significant newline or `;` (see `terminators.ts`). */
export const Terminator = createToken({ name: "Terminator", label: "a newline or `;`", pattern: Lexer.NA });
export const Newline = createToken({ name: "Newline", label: "a newline", pattern: /\n/, line_breaks: true, categories: [Terminator] });
export const Semicolon = createToken({ name: "Semicolon", label: "`;`", pattern: /;/, categories: [Terminator] });

// ─── Literals ───────────────────────────────────────────────────────────────

/** Any string literal (category). */
export const StringLiteral = createToken({ name: "StringLiteral", label: "a string", pattern: Lexer.NA });
export const TripleString = createToken({
  name: "TripleString",
  label: "a string",
  pattern: { exec: scanTripleString },
  start_chars_hint: ['"'],
  line_breaks: true,
  categories: [StringLiteral],
});
export const PlainString = createToken({
  name: "PlainString",
  label: "a string",
  pattern: { exec: scanString },
  start_chars_hint: ['"'],
  line_breaks: true,
  categories: [StringLiteral],
});
/** Digits, optional fraction, and any identifier characters glued on (`500ms`, or the invalid `5x`). */
export const NumberLiteral = createToken({ name: "NumberLiteral", label: "a number", pattern: /[0-9]+(?:\.[0-9]+)?[A-Za-z0-9_]*/ });

// ─── Punctuation ────────────────────────────────────────────────────────────

function punct(name: string, text: string, categories: TokenType[] = []): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return createToken({ name, label: `\`${text}\``, pattern: new RegExp(escaped), categories });
}

/** Operator categories, so the parser keeps each chain's operators in order. */
export const BinaryOp = createToken({ name: "BinaryOp", label: "an operator", pattern: Lexer.NA });
export const UnaryOp = createToken({ name: "UnaryOp", pattern: Lexer.NA });
export const MemberAccess = createToken({ name: "MemberAccess", pattern: Lexer.NA });

/** The `{` as lexed; the terminator pass turns each into a RecordOpen or a BlockOpen. */
export const LCurly = punct("LCurly", "{");
export const RecordOpen = createToken({ name: "RecordOpen", label: "`{`", pattern: Lexer.NA });
export const BlockOpen = createToken({ name: "BlockOpen", label: "`{`", pattern: Lexer.NA });
export const RCurly = punct("RCurly", "}");
export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LBracket = punct("LBracket", "[");
export const RBracket = punct("RBracket", "]");
export const Comma = punct("Comma", ",");
export const Arrow = punct("Arrow", "->");
export const QuestionDot = punct("QuestionDot", "?.", [MemberAccess]);
export const QuestionQuestion = punct("QuestionQuestion", "??", [BinaryOp]);
export const Question = punct("Question", "?");
export const Colon = punct("Colon", ":");
export const Dot = punct("Dot", ".", [MemberAccess]);
export const EqEq = punct("EqEq", "==", [BinaryOp]);
export const NotEq = punct("NotEq", "!=", [BinaryOp]);
export const Equals = punct("Equals", "=");
export const LessEq = punct("LessEq", "<=", [BinaryOp]);
export const GreaterEq = punct("GreaterEq", ">=", [BinaryOp]);
export const Less = punct("Less", "<", [BinaryOp]);
export const Greater = punct("Greater", ">", [BinaryOp]);
export const AndAnd = punct("AndAnd", "&&", [BinaryOp]);
export const OrOr = punct("OrOr", "||", [BinaryOp]);
export const Pipe = punct("Pipe", "|");
export const Bang = punct("Bang", "!", [UnaryOp]);
export const Plus = punct("Plus", "+", [BinaryOp]);
export const Minus = punct("Minus", "-", [BinaryOp, UnaryOp]);
export const Star = punct("Star", "*", [BinaryOp]);
export const Slash = punct("Slash", "/", [BinaryOp]);
export const Percent = punct("Percent", "%", [BinaryOp]);

/** Token types in lexing order (first match wins, so longer operators come first). */
export const lexedTokens: readonly TokenType[] = [
  WhiteSpace, Newline, DocComment, LineComment, BlockComment, Semicolon,
  TripleString, PlainString, NumberLiteral,
  ...keywords, Ident,
  LCurly, RCurly, LParen, RParen, LBracket, RBracket, Comma, Arrow, QuestionDot, QuestionQuestion,
  Question, Colon, Dot, EqEq, NotEq, Equals, LessEq, GreaterEq, Less, Greater, AndAnd, OrOr, Pipe,
  Bang, Plus, Minus, Star, Slash, Percent,
];

/** Every token type the parser may see, including categories and synthetic types. */
export const parserTokens: readonly TokenType[] = [
  AnyName, ValueName, Terminator, StringLiteral, RecordOpen, BlockOpen, BinaryOp, UnaryOp, MemberAccess,
  ...lexedTokens.filter((t) => t !== LCurly),
];

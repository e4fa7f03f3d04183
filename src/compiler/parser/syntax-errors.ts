/**
 * Short, human syntax-error messages for chevrotain's recognition errors, and their conversion
 * into E0101 diagnostics located at the offending token.
 */
import { EOF, tokenLabel, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import type { Diagnostic } from "../diagnostics.js";
import * as T from "../lexer/tokens.js";

/** How a token is named in "found …". */
export function describeToken(token: IToken | undefined): string {
  if (token === undefined || token.tokenType === EOF) return "end of file";
  switch (token.tokenType) {
    case T.Newline:
      return "a newline";
    case T.PlainString:
    case T.TripleString:
      return "a string";
    default: {
      const image = token.image.length > 24 ? `${token.image.slice(0, 24)}…` : token.image;
      return `\`${image}\``;
    }
  }
}

/** What a rule is expected to start with, when no alternative matched. */
const ruleDescriptions: Record<string, string> = {
  topItem: "a declaration",
  declaration: "`type`, `workflow`, `agent` or `let`",
  typeAtom: "a type",
  namedType: "a type",
  statement: "a statement",
  operand: "an expression",
  expression: "an expression",
  agentDecl: "`=` or `(`",
  ifStmt: "`if` or `{`",
};

function label(type: TokenType): string {
  return type === EOF ? "end of file" : tokenLabel(type);
}

function describeExpected(types: readonly TokenType[]): string {
  const labels = [...new Set(types.map(label))];
  if (labels.length === 0) return "something else";
  if (labels.length === 1) return labels[0]!;
  return `${labels.slice(0, -1).join(", ")} or ${labels[labels.length - 1]}`;
}

function firstTokens(paths: readonly (readonly TokenType[])[]): TokenType[] {
  return paths.flatMap((p) => (p.length > 0 ? [p[0]!] : []));
}

/** Rules that read a comma-separated list up to a closing bracket. */
const commaLists: ReadonlySet<string> = new Set(["callArgs", "listLit", "recordLit", "recordType", "paramList", "importDecl"]);
/** What goes between the commas of each list, for when one is missing right after `(` or `,`. */
const listItems: Readonly<Record<string, string>> = {
  callArgs: "an argument",
  listLit: "an item",
  recordLit: "a field",
  recordType: "a field",
  paramList: "a parameter",
  importDecl: "a name",
};
const closers: ReadonlySet<TokenType> = new Set([T.RParen, T.RBracket, T.RCurly]);

/** Message provider plugged into the parser: one line, no token dumps. */
export const syntaxErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    // Where a statement list could end, the usual mistake is a second statement on the same line.
    const listEnd = (expected === EOF && ruleName === "module") || (expected === T.RCurly && (ruleName === "block" || ruleName === "parallelStmt"));
    if (listEnd && actual.tokenType === T.RCurly) return "unexpected `}`";
    if (listEnd && actual.tokenType !== EOF) return `expected a newline or \`;\`, found ${describeToken(actual)}`;
    // Inside a comma-separated list, the usual mistake is a missing comma.
    if (commaLists.has(ruleName) && closers.has(expected) && actual.tokenType !== T.Newline && actual.tokenType !== EOF) {
      // Right after the opening bracket or a comma, an item is missing, not a comma.
      const afterSeparator = previous !== undefined && (previous.tokenType === T.Comma || previous.image === "(" || previous.image === "[" || previous.image === "{");
      const before = afterSeparator ? (listItems[ruleName] ?? "an item") : "`,`";
      return `expected ${before} or ${label(expected)}, found ${describeToken(actual)}`;
    }
    return `expected ${label(expected)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant, ruleName }) {
    if (ruleName === "module") return `expected a declaration, found ${describeToken(firstRedundant)}`;
    return `unexpected ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription, ruleName }) {
    const expected =
      customUserDescription ?? ruleDescriptions[ruleName] ?? describeExpected(firstTokens(expectedPathsPerAlt.flat()));
    return `expected ${expected}, found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription, ruleName }) {
    const expected = customUserDescription ?? ruleDescriptions[ruleName] ?? describeExpected(firstTokens(expectedIterationPaths));
    return `expected ${expected}, found ${describeToken(actual[0])}`;
  },
};

interface WithPrevious {
  readonly previousToken?: IToken;
}

function tokenEnd(token: IToken): number {
  return (Number.isNaN(token.endOffset) || token.endOffset === undefined ? token.startOffset : token.endOffset) + 1;
}

/**
 * Converts a recognition error into a diagnostic. When the offending token sits on a later line
 * than the previous token (or is the end of the file), the error points just after the previous
 * token, where the missing piece belongs. `text` is the whole file; `endOfInput` is where the parsed
 * input ends (the file's end, or an interpolation's closing brace).
 */
export function toSyntaxDiagnostic(error: IRecognitionException, text: string, file: string, endOfInput: number): Diagnostic {
  const token = error.token;
  const previous = (error as IRecognitionException & WithPrevious).previousToken;
  const atEnd = token.tokenType === EOF || Number.isNaN(token.startOffset);
  const hasPrevious = previous !== undefined && !Number.isNaN(previous.startOffset) && previous.tokenType !== EOF;
  let start: number;
  let end: number;
  if (hasPrevious && (atEnd || text.slice(tokenEnd(previous), token.startOffset).includes("\n"))) {
    start = tokenEnd(previous);
    end = start + 1;
  } else if (atEnd) {
    start = endOfInput;
    end = start;
  } else {
    start = token.startOffset;
    end = token.tokenType === T.Newline ? start + 1 : tokenEnd(token);
  }
  const message = error.message;
  const expected = /^expected (.*), found/.exec(message);
  return {
    code: "E0101",
    severity: "error",
    message,
    file,
    span: { start, end },
    label: expected ? `expected ${expected[1]}` : "not expected here",
  };
}

/**
 * The statement-termination pass between lexing and parsing (LANGUAGE.md §2, grammar/cm.ebnf).
 * Newlines are tokens; this pass keeps only the significant ones, collapses runs of terminators,
 * and decides whether each `{` opens a record (literal or type) or a block.
 */
import type { IToken, TokenType } from "chevrotain";
import * as T from "./tokens.js";

type Open = "paren" | "bracket" | "record" | "block";

/** After one of these, a newline does not end the statement. */
const continuesAfter = new Set<TokenType>([
  T.Plus, T.Minus, T.Star, T.Slash, T.Percent, T.Bang, T.EqEq, T.NotEq, T.Less, T.LessEq, T.GreaterEq,
  T.AndAnd, T.OrOr, T.QuestionQuestion, T.Equals, T.Arrow, T.Colon, T.Dot, T.QuestionDot, T.Pipe,
  T.Comma, T.LParen, T.LBracket, T.RecordOpen, T.BlockOpen,
]);

/** Before one of these, a newline does not end the statement. */
const continuesBefore = new Set<TokenType>([
  T.Else, T.Catch, T.Until, T.Dot, T.QuestionDot, T.Pipe, T.RCurly, T.RParen, T.RBracket,
]);

/** After one of these, `{` opens a record; after anything else it opens a block. */
const recordAfter = new Set<TokenType>([
  T.Equals, T.LParen, T.LBracket, T.Comma, T.Colon, T.Arrow, T.Less, T.Pipe, T.Return, T.Import,
  T.QuestionQuestion, T.OrOr, T.AndAnd, T.EqEq, T.NotEq, T.Plus, T.Minus, T.Star, T.Slash, T.Percent,
  T.Bang, T.LessEq, T.GreaterEq,
]);

/**
 * Keywords that can only begin a statement or declaration. A newline before one always ends the
 * statement, and closes any `(`, `[` or record `{` left open on the lines before (a missing `)`
 * then yields one error instead of swallowing the rest of the file).
 */
const statementStarts = new Set<TokenType>([
  T.Import, T.Export, T.Type, T.Workflow, T.Step, T.Let, T.If, T.Parallel, T.For, T.Repeat, T.Try,
  T.Fail, T.Escalate, T.Return,
]);

function retype(token: IToken, type: TokenType): void {
  token.tokenType = type;
  token.tokenTypeIdx = type.tokenTypeIdx!;
}

function isTerminator(token: IToken): boolean {
  return token.tokenType === T.Newline || token.tokenType === T.Semicolon;
}

/**
 * Filters newline and `;` tokens down to the significant terminators and retypes every `{`.
 * With `expression` (an interpolation), newlines never terminate and a leading `{` is a record.
 */
export function applyTerminators(tokens: readonly IToken[], expression: boolean): IToken[] {
  const out: IToken[] = [];
  const stack: Open[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    if (isTerminator(token)) {
      if (expression && type === T.Newline) continue;
      const last = out[out.length - 1];
      if (last === undefined || isTerminator(last) || last.tokenType === T.BlockOpen) continue;
      let j = i + 1;
      while (j < tokens.length && isTerminator(tokens[j]!)) j++;
      const next = tokens[j];
      if (next === undefined || next.tokenType === T.RCurly) continue;
      if (type === T.Newline) {
        const top = stack[stack.length - 1];
        const inExpression = top === "paren" || top === "bracket" || top === "record";
        if (statementStarts.has(next.tokenType)) {
          while (stack.length > 0 && stack[stack.length - 1] !== "block") stack.pop();
        } else if (inExpression || continuesAfter.has(last.tokenType) || continuesBefore.has(next.tokenType)) {
          continue;
        }
      }
      out.push(token);
      continue;
    }
    switch (type) {
      case T.LCurly: {
        const last = out[out.length - 1];
        const record = last === undefined ? expression : recordAfter.has(last.tokenType);
        retype(token, record ? T.RecordOpen : T.BlockOpen);
        stack.push(record ? "record" : "block");
        break;
      }
      case T.LParen:
        stack.push("paren");
        break;
      case T.LBracket:
        stack.push("bracket");
        break;
      case T.RParen:
        closeTo(stack, "paren");
        break;
      case T.RBracket:
        closeTo(stack, "bracket");
        break;
      case T.RCurly:
        closeCurly(stack);
        break;
      default:
        break;
    }
    out.push(token);
  }
  return out;
}

function closeTo(stack: Open[], open: Open): void {
  const at = stack.lastIndexOf(open);
  if (at >= 0 && !stack.slice(at + 1).includes("block")) stack.length = at;
}

function closeCurly(stack: Open[]): void {
  for (let k = stack.length - 1; k >= 0; k--) {
    if (stack[k] === "record" || stack[k] === "block") {
      stack.length = k;
      return;
    }
  }
}

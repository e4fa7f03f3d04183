/**
 * A hand-written scanner for the fast parse path (`parser/fast-parser.ts`): the same tokens as the
 * chevrotain lexer (`tokens.ts`) followed by the terminator pass (`terminators.ts`), as compact
 * parallel arrays instead of token objects. It gives up (returns `undefined`) at the first lexical
 * error; the caller then takes the chevrotain path, which reports every error.
 */
import { stringLiteralEnd } from "./scan.js";

/** Token kinds of the fast scanner (`K.…`). Keywords are contiguous, from `Import` to `None`. */
export const K = {
  EOF: 0,
  Ident: 1,
  Import: 2,
  From: 3,
  Export: 4,
  As: 5,
  Type: 6,
  Workflow: 7,
  Agent: 8,
  Step: 9,
  Let: 10,
  If: 11,
  Else: 12,
  Parallel: 13,
  For: 14,
  In: 15,
  Repeat: 16,
  Max: 17,
  Until: 18,
  Try: 19,
  Catch: 20,
  Fail: 21,
  Escalate: 22,
  Return: 23,
  True: 24,
  False: 25,
  None: 26,
  PlainString: 27,
  TripleString: 28,
  Number: 29,
  Newline: 30,
  Semicolon: 31,
  LCurly: 32,
  RecordOpen: 33,
  BlockOpen: 34,
  RCurly: 35,
  LParen: 36,
  RParen: 37,
  LBracket: 38,
  RBracket: 39,
  Comma: 40,
  Arrow: 41,
  QuestionDot: 42,
  QuestionQuestion: 43,
  Question: 44,
  Colon: 45,
  Dot: 46,
  EqEq: 47,
  NotEq: 48,
  Equals: 49,
  LessEq: 50,
  GreaterEq: 51,
  Less: 52,
  Greater: 53,
  AndAnd: 54,
  OrOr: 55,
  Pipe: 56,
  Bang: 57,
  Plus: 58,
  Minus: 59,
  Star: 60,
  Slash: 61,
  Percent: 62,
} as const;

const KIND_COUNT = 63;

const keywordKinds = new Map<string, number>([
  ["import", K.Import], ["from", K.From], ["export", K.Export], ["as", K.As], ["type", K.Type],
  ["workflow", K.Workflow], ["agent", K.Agent], ["step", K.Step], ["let", K.Let], ["if", K.If],
  ["else", K.Else], ["parallel", K.Parallel], ["for", K.For], ["in", K.In], ["repeat", K.Repeat],
  ["max", K.Max], ["until", K.Until], ["try", K.Try], ["catch", K.Catch], ["fail", K.Fail],
  ["escalate", K.Escalate], ["return", K.Return], ["true", K.True], ["false", K.False], ["none", K.None],
]);

function table(kinds: readonly number[]): Uint8Array {
  const t = new Uint8Array(KIND_COUNT);
  for (const k of kinds) t[k] = 1;
  return t;
}

/** After one of these, a newline does not end the statement (terminators.ts `continuesAfter`). */
const continuesAfter = table([
  K.Plus, K.Minus, K.Star, K.Slash, K.Percent, K.Bang, K.EqEq, K.NotEq, K.Less, K.LessEq, K.GreaterEq,
  K.AndAnd, K.OrOr, K.QuestionQuestion, K.Equals, K.Arrow, K.Colon, K.Dot, K.QuestionDot, K.Pipe,
  K.Comma, K.LParen, K.LBracket, K.RecordOpen, K.BlockOpen,
]);

/** Before one of these, a newline does not end the statement. */
const continuesBefore = table([K.Else, K.Catch, K.Until, K.Dot, K.QuestionDot, K.Pipe, K.RCurly, K.RParen, K.RBracket]);

/** After one of these, `{` opens a record; after anything else it opens a block. */
const recordAfter = table([
  K.Equals, K.LParen, K.LBracket, K.Comma, K.Colon, K.Arrow, K.Less, K.Pipe, K.Return, K.Import,
  K.QuestionQuestion, K.OrOr, K.AndAnd, K.EqEq, K.NotEq, K.Plus, K.Minus, K.Star, K.Slash, K.Percent,
  K.Bang, K.LessEq, K.GreaterEq,
]);

/** Keywords that can only begin a statement or declaration. */
const statementStarts = table([
  K.Import, K.Export, K.Type, K.Workflow, K.Step, K.Let, K.If, K.Parallel, K.For, K.Repeat, K.Try,
  K.Fail, K.Escalate, K.Return,
]);

/** The scanned, terminator-filtered tokens of one text. Offsets are into the whole file. */
export interface FastTokens {
  readonly count: number;
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** `///` comments: start offsets and their text. */
  readonly docStarts: number[];
  readonly docImages: string[];
}

// Character classes for the scanner loop.
const C_OTHER = 0;
const C_SPACE = 1;
const C_IDENT_START = 2;
const C_DIGIT = 3;
const charClass = new Uint8Array(128);
for (const c of " \t\r\f\v") charClass[c.charCodeAt(0)] = C_SPACE;
for (let c = 65; c <= 90; c++) charClass[c] = C_IDENT_START;
for (let c = 97; c <= 122; c++) charClass[c] = C_IDENT_START;
charClass[95] = C_IDENT_START;
for (let c = 48; c <= 57; c++) charClass[c] = C_DIGIT;

function isIdentPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Scans `src` (which starts at offset `base` of its file). With `expression` (an interpolation),
 * newlines never terminate and a leading `{` is a record. Returns `undefined` on any lexical error.
 */
export function fastScan(src: string, base: number, expression: boolean): FastTokens | undefined {
  const length = src.length;
  // Raw tokens (before the terminator pass); a generous first guess, grown when needed.
  let cap = (length >> 2) + 16;
  let rk: Uint8Array = new Uint8Array(cap);
  let rs: Int32Array = new Int32Array(cap);
  let re: Int32Array = new Int32Array(cap);
  let n = 0;
  const docStarts: number[] = [];
  const docImages: string[] = [];
  let i = 0;
  while (i < length) {
    const c = src.charCodeAt(i);
    const cls = c < 128 ? charClass[c]! : c === 0xa0 || c === 0xfeff ? C_SPACE : C_OTHER;
    if (cls === C_SPACE) {
      i++;
      continue;
    }
    let kind: number;
    const start = i;
    if (cls === C_IDENT_START) {
      i++;
      while (i < length && isIdentPart(src.charCodeAt(i))) i++;
      kind = i - start <= 8 ? (keywordKinds.get(src.slice(start, i)) ?? K.Ident) : K.Ident;
    } else if (cls === C_DIGIT) {
      i++;
      while (i < length && isDigit(src.charCodeAt(i))) i++;
      if (src.charCodeAt(i) === 46 && isDigit(src.charCodeAt(i + 1))) {
        i += 2;
        while (i < length && isDigit(src.charCodeAt(i))) i++;
      }
      while (i < length && isIdentPart(src.charCodeAt(i))) i++;
      kind = K.Number;
    } else {
      const d = src.charCodeAt(i + 1);
      switch (c) {
        case 10:
          kind = K.Newline;
          i++;
          break;
        case 47: // '/'
          if (d === 47) {
            let eol = src.indexOf("\n", i);
            if (eol < 0) eol = length;
            if (src.charCodeAt(i + 2) === 47 && src.charCodeAt(i + 3) !== 47) {
              docStarts.push(base + i);
              docImages.push(src.slice(i, eol));
            }
            i = eol;
            continue;
          }
          if (d === 42) {
            const close = src.indexOf("*/", i + 2);
            if (close < 0) return undefined;
            i = close + 2;
            continue;
          }
          kind = K.Slash;
          i++;
          break;
        case 59:
          kind = K.Semicolon;
          i++;
          break;
        case 34: {
          const triple = d === 34 && src.charCodeAt(i + 2) === 34;
          const end = stringLiteralEnd(src, i);
          if (end < 0) return undefined;
          kind = triple ? K.TripleString : K.PlainString;
          i = end;
          break;
        }
        case 123:
          kind = K.LCurly;
          i++;
          break;
        case 125:
          kind = K.RCurly;
          i++;
          break;
        case 40:
          kind = K.LParen;
          i++;
          break;
        case 41:
          kind = K.RParen;
          i++;
          break;
        case 91:
          kind = K.LBracket;
          i++;
          break;
        case 93:
          kind = K.RBracket;
          i++;
          break;
        case 44:
          kind = K.Comma;
          i++;
          break;
        case 45: // '-'
          if (d === 62) {
            kind = K.Arrow;
            i += 2;
          } else {
            kind = K.Minus;
            i++;
          }
          break;
        case 63: // '?'
          if (d === 46) {
            kind = K.QuestionDot;
            i += 2;
          } else if (d === 63) {
            kind = K.QuestionQuestion;
            i += 2;
          } else {
            kind = K.Question;
            i++;
          }
          break;
        case 58:
          kind = K.Colon;
          i++;
          break;
        case 46:
          kind = K.Dot;
          i++;
          break;
        case 61: // '='
          if (d === 61) {
            kind = K.EqEq;
            i += 2;
          } else {
            kind = K.Equals;
            i++;
          }
          break;
        case 33: // '!'
          if (d === 61) {
            kind = K.NotEq;
            i += 2;
          } else {
            kind = K.Bang;
            i++;
          }
          break;
        case 60: // '<'
          if (d === 61) {
            kind = K.LessEq;
            i += 2;
          } else {
            kind = K.Less;
            i++;
          }
          break;
        case 62: // '>'
          if (d === 61) {
            kind = K.GreaterEq;
            i += 2;
          } else {
            kind = K.Greater;
            i++;
          }
          break;
        case 38: // '&'
          if (d !== 38) return undefined;
          kind = K.AndAnd;
          i += 2;
          break;
        case 124: // '|'
          if (d === 124) {
            kind = K.OrOr;
            i += 2;
          } else {
            kind = K.Pipe;
            i++;
          }
          break;
        case 43:
          kind = K.Plus;
          i++;
          break;
        case 42:
          kind = K.Star;
          i++;
          break;
        case 37:
          kind = K.Percent;
          i++;
          break;
        default:
          return undefined;
      }
    }
    if (n === cap) {
      cap *= 2;
      rk = grow8(rk, cap);
      rs = grow32(rs, cap);
      re = grow32(re, cap);
    }
    rk[n] = kind;
    rs[n] = base + start;
    re[n] = base + i;
    n++;
  }
  return terminate(rk, rs, re, n, expression, docStarts, docImages);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function grow8(a: Uint8Array, cap: number): Uint8Array {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}

function grow32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

const OPEN_PAREN = 1;
const OPEN_BRACKET = 2;
const OPEN_RECORD = 3;
const OPEN_BLOCK = 4;

function isTerminator(kind: number): boolean {
  return kind === K.Newline || kind === K.Semicolon;
}

/** The terminator pass of `terminators.ts`, on kind arrays (kept in step with it). */
function terminate(
  rk: Uint8Array,
  rs: Int32Array,
  re: Int32Array,
  n: number,
  expression: boolean,
  docStarts: number[],
  docImages: string[],
): FastTokens {
  const kinds = new Uint8Array(n + 1);
  const starts = new Int32Array(n + 1);
  const ends = new Int32Array(n + 1);
  const stack: number[] = [];
  let count = 0;
  for (let i = 0; i < n; i++) {
    let type = rk[i]!;
    if (isTerminator(type)) {
      if (expression && type === K.Newline) continue;
      if (count === 0) continue;
      const last = kinds[count - 1]!;
      if (isTerminator(last) || last === K.BlockOpen) continue;
      let j = i + 1;
      while (j < n && isTerminator(rk[j]!)) j++;
      if (j >= n) continue;
      const next = rk[j]!;
      if (next === K.RCurly) continue;
      if (type === K.Newline) {
        const top = stack.length === 0 ? 0 : stack[stack.length - 1]!;
        const inExpression = top === OPEN_PAREN || top === OPEN_BRACKET || top === OPEN_RECORD;
        if (statementStarts[next] === 1) {
          while (stack.length > 0 && stack[stack.length - 1] !== OPEN_BLOCK) stack.pop();
        } else if (inExpression || continuesAfter[last] === 1 || continuesBefore[next] === 1) {
          continue;
        }
      }
    } else {
      switch (type) {
        case K.LCurly: {
          const record = count === 0 ? expression : recordAfter[kinds[count - 1]!] === 1;
          type = record ? K.RecordOpen : K.BlockOpen;
          stack.push(record ? OPEN_RECORD : OPEN_BLOCK);
          break;
        }
        case K.LParen:
          stack.push(OPEN_PAREN);
          break;
        case K.LBracket:
          stack.push(OPEN_BRACKET);
          break;
        case K.RParen:
          closeTo(stack, OPEN_PAREN);
          break;
        case K.RBracket:
          closeTo(stack, OPEN_BRACKET);
          break;
        case K.RCurly:
          for (let k = stack.length - 1; k >= 0; k--) {
            if (stack[k] === OPEN_RECORD || stack[k] === OPEN_BLOCK) {
              stack.length = k;
              break;
            }
          }
          break;
        default:
          break;
      }
    }
    kinds[count] = type;
    starts[count] = rs[i]!;
    ends[count] = re[i]!;
    count++;
  }
  kinds[count] = K.EOF;
  return { count, kinds, starts, ends, docStarts, docImages };
}

function closeTo(stack: number[], open: number): void {
  const at = stack.lastIndexOf(open);
  if (at < 0) return;
  for (let k = at + 1; k < stack.length; k++) if (stack[k] === OPEN_BLOCK) return;
  stack.length = at;
}

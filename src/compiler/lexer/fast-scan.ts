/**
 * A hand-written scanner for the fast parse path (`parser/fast-parser.ts`): the same tokens as the
 * chevrotain lexer (`tokens.ts`) followed by the terminator pass (`terminators.ts`), as compact
 * parallel arrays instead of token objects. It stops at the first lexical error and says where
 * (`failedAt`); the chevrotain path then re-reads the declaration it is in and reports every error.
 */
import {
  AGENT, AND_AND, ARROW, AS, BANG, BLOCK_OPEN, CATCH, COLON, COMMA, DOT, ELSE, EQUALS, EQ_EQ, ESCALATE, EXPORT, EOF, FAIL, FALSE, FOR, FROM, GREATER, GREATER_EQ, IDENT, IF, IMPORT, IN, KIND_COUNT, LESS, LESS_EQ, LET, L_BRACKET, L_CURLY, L_PAREN, MAX, MINUS, NEWLINE, NONE, NOT_EQ, NUMBER, OR_OR, PARALLEL, PERCENT, PIPE, PLAIN_STRING, PLUS, QUESTION, QUESTION_DOT, QUESTION_QUESTION, RECORD_OPEN, REPEAT, RETURN, R_BRACKET, R_CURLY, R_PAREN, SEMICOLON, SLASH, STAR, STEP, TRIPLE_STRING, TRUE, TRY, TYPE, UNTIL, WORKFLOW,
} from "./fast-kinds.js";
import { stringLiteralEnd } from "./scan.js";




const KEYWORDS: readonly (readonly [string, number])[] = [
  ["import", IMPORT], ["from", FROM], ["export", EXPORT], ["as", AS], ["type", TYPE],
  ["workflow", WORKFLOW], ["agent", AGENT], ["step", STEP], ["let", LET], ["if", IF],
  ["else", ELSE], ["parallel", PARALLEL], ["for", FOR], ["in", IN], ["repeat", REPEAT],
  ["max", MAX], ["until", UNTIL], ["try", TRY], ["catch", CATCH], ["fail", FAIL],
  ["escalate", ESCALATE], ["return", RETURN], ["true", TRUE], ["false", FALSE], ["none", NONE],
];

/** Every keyword of the language, hard and soft. */
export const keywordList: readonly string[] = KEYWORDS.map(([word]) => word);

// Keywords by first letter (`a`…`z`), so that telling a keyword from a name needs neither a
// slice of the text nor a hash lookup.
const keywordWords: string[][] = Array.from({ length: 26 }, () => []);
const keywordCodes: number[][] = Array.from({ length: 26 }, () => []);
for (const [word, kind] of KEYWORDS) {
  keywordWords[word.charCodeAt(0) - 97]!.push(word);
  keywordCodes[word.charCodeAt(0) - 97]!.push(kind);
}

/** The keyword kind of the word `src[start, end)`, or `IDENT`. */
function wordKind(src: string, start: number, end: number): number {
  const first = src.charCodeAt(start) - 97;
  if (first < 0 || first >= 26) return IDENT;
  const words = keywordWords[first]!;
  const length = end - start;
  for (let k = 0; k < words.length; k++) {
    const word = words[k]!;
    if (word.length === length && src.startsWith(word, start)) return keywordCodes[first]![k]!;
  }
  return IDENT;
}

function table(kinds: readonly number[]): Uint8Array {
  const t = new Uint8Array(KIND_COUNT);
  for (const k of kinds) t[k] = 1;
  return t;
}

/** After one of these, a newline does not end the statement (terminators.ts `continuesAfter`). */
const continuesAfter = table([
  PLUS, MINUS, STAR, SLASH, PERCENT, BANG, EQ_EQ, NOT_EQ, LESS, LESS_EQ, GREATER_EQ,
  AND_AND, OR_OR, QUESTION_QUESTION, EQUALS, ARROW, COLON, DOT, QUESTION_DOT, PIPE,
  COMMA, L_PAREN, L_BRACKET, RECORD_OPEN, BLOCK_OPEN,
]);

/** Before one of these, a newline does not end the statement. */
const continuesBefore = table([ELSE, CATCH, UNTIL, DOT, QUESTION_DOT, PIPE, R_CURLY, R_PAREN, R_BRACKET]);

/** After one of these, `{` opens a record; after anything else it opens a block. */
const recordAfter = table([
  EQUALS, L_PAREN, L_BRACKET, COMMA, COLON, ARROW, LESS, PIPE, RETURN, IMPORT,
  QUESTION_QUESTION, OR_OR, AND_AND, EQ_EQ, NOT_EQ, PLUS, MINUS, STAR, SLASH, PERCENT,
  BANG, LESS_EQ, GREATER_EQ,
]);

/** Keywords that can only begin a statement or declaration. */
const statementStarts = table([
  IMPORT, EXPORT, TYPE, WORKFLOW, STEP, LET, IF, PARALLEL, FOR, REPEAT, TRY,
  FAIL, ESCALATE, RETURN,
]);

/**
 * The scanned, terminator-filtered tokens of one text: kinds and offsets (into the whole file) at
 * `[first, first + count)` of the arrays, then an `EOF` kind. The arrays are a shared arena that
 * later scans write past the end of (and may replace when they grow it): read them, never write.
 */
export interface FastTokens {
  readonly first: number;
  readonly count: number;
  /** The file offset of the first lexical error, where the tokens stop; -1 when there is none. */
  readonly failedAt: number;
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** Where the fast scanner collects `///` comments: start offsets and their text. */
export interface DocComments {
  readonly starts: number[];
  readonly images: string[];
}

// The token arena, shared by every scan (one file's tokens, then each interpolation's after them):
// allocating arrays per interpolation cost more than scanning it.
let kindsArena = new Uint8Array(4096);
let startsArena = new Int32Array(4096);
let endsArena = new Int32Array(4096);

function ensureArena(size: number): void {
  if (size <= kindsArena.length) return;
  let cap = kindsArena.length;
  while (cap < size) cap *= 2;
  const k = new Uint8Array(cap);
  k.set(kindsArena);
  const s = new Int32Array(cap);
  s.set(startsArena);
  const e = new Int32Array(cap);
  e.set(endsArena);
  kindsArena = k;
  startsArena = s;
  endsArena = e;
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
 * Scans `src` (which starts at offset `base` of its file) into the arena from index `first` on.
 * With `expression` (an interpolation), newlines never terminate and a leading `{` is a record.
 * `///` comments go to `docs` when given. At a lexical error it stops: the tokens before it, and
 * its offset in `failedAt`.
 */
export function fastScan(src: string, base: number, expression: boolean, first: number, docs?: DocComments): FastTokens {
  const length = src.length;
  // Room for one token per four characters and the EOF to begin with (a token is at least one
  // character: sizing for the worst case zero-filled megabytes that are never written).
  ensureArena(first + (length >> 2) + 2);
  let rk = kindsArena;
  let rs = startsArena;
  let re = endsArena;
  let capacity = rk.length - 1;
  let n = first;
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
      kind = i - start <= 8 ? wordKind(src, start, i) : IDENT;
    } else if (cls === C_DIGIT) {
      i++;
      while (i < length && isDigit(src.charCodeAt(i))) i++;
      if (i + 1 < length && src.charCodeAt(i) === 46 && isDigit(src.charCodeAt(i + 1))) {
        i += 2;
        while (i < length && isDigit(src.charCodeAt(i))) i++;
      }
      while (i < length && isIdentPart(src.charCodeAt(i))) i++;
      kind = NUMBER;
    } else {
      const d = i + 1 < length ? src.charCodeAt(i + 1) : 0;
      switch (c) {
        case 10:
          kind = NEWLINE;
          i++;
          break;
        case 47: // '/'
          if (d === 47) {
            let eol = src.indexOf("\n", i);
            if (eol < 0) eol = length;
            if (docs !== undefined && src.charCodeAt(i + 2) === 47 && src.charCodeAt(i + 3) !== 47) {
              docs.starts.push(base + i);
              docs.images.push(src.slice(i, eol));
            }
            i = eol;
            continue;
          }
          if (d === 42) {
            const close = src.indexOf("*/", i + 2);
            if (close < 0) return terminate(first, n, expression, base + i);
            i = close + 2;
            continue;
          }
          kind = SLASH;
          i++;
          break;
        case 59:
          kind = SEMICOLON;
          i++;
          break;
        case 34: {
          const triple = d === 34 && src.charCodeAt(i + 2) === 34;
          const end = stringLiteralEnd(src, i);
          if (end < 0) return terminate(first, n, expression, base + i);
          kind = triple ? TRIPLE_STRING : PLAIN_STRING;
          i = end;
          break;
        }
        case 123:
          kind = L_CURLY;
          i++;
          break;
        case 125:
          kind = R_CURLY;
          i++;
          break;
        case 40:
          kind = L_PAREN;
          i++;
          break;
        case 41:
          kind = R_PAREN;
          i++;
          break;
        case 91:
          kind = L_BRACKET;
          i++;
          break;
        case 93:
          kind = R_BRACKET;
          i++;
          break;
        case 44:
          kind = COMMA;
          i++;
          break;
        case 45: // '-'
          if (d === 62) {
            kind = ARROW;
            i += 2;
          } else {
            kind = MINUS;
            i++;
          }
          break;
        case 63: // '?'
          if (d === 46) {
            kind = QUESTION_DOT;
            i += 2;
          } else if (d === 63) {
            kind = QUESTION_QUESTION;
            i += 2;
          } else {
            kind = QUESTION;
            i++;
          }
          break;
        case 58:
          kind = COLON;
          i++;
          break;
        case 46:
          kind = DOT;
          i++;
          break;
        case 61: // '='
          if (d === 61) {
            kind = EQ_EQ;
            i += 2;
          } else {
            kind = EQUALS;
            i++;
          }
          break;
        case 33: // '!'
          if (d === 61) {
            kind = NOT_EQ;
            i += 2;
          } else {
            kind = BANG;
            i++;
          }
          break;
        case 60: // '<'
          if (d === 61) {
            kind = LESS_EQ;
            i += 2;
          } else {
            kind = LESS;
            i++;
          }
          break;
        case 62: // '>'
          if (d === 61) {
            kind = GREATER_EQ;
            i += 2;
          } else {
            kind = GREATER;
            i++;
          }
          break;
        case 38: // '&'
          if (d !== 38) return terminate(first, n, expression, base + i);
          kind = AND_AND;
          i += 2;
          break;
        case 124: // '|'
          if (d === 124) {
            kind = OR_OR;
            i += 2;
          } else {
            kind = PIPE;
            i++;
          }
          break;
        case 43:
          kind = PLUS;
          i++;
          break;
        case 42:
          kind = STAR;
          i++;
          break;
        case 37:
          kind = PERCENT;
          i++;
          break;
        default:
          return terminate(first, n, expression, base + i);
      }
    }
    if (n >= capacity) {
      ensureArena(n + 2);
      rk = kindsArena;
      rs = startsArena;
      re = endsArena;
      capacity = rk.length - 1;
    }
    rk[n] = kind;
    rs[n] = base + start;
    re[n] = base + i;
    n++;
  }
  return terminate(first, n, expression, -1);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const OPEN_PAREN = 1;
const OPEN_BRACKET = 2;
const OPEN_RECORD = 3;
const OPEN_BLOCK = 4;

let stackArena = new Uint8Array(1024);

/**
 * The terminator pass of `terminators.ts` (kept in step with it), in place on the arena: raw tokens
 * at `[first, end)` are filtered down to `[first, first + count)`; writes never pass reads.
 */
function terminate(first: number, end: number, expression: boolean, failedAt: number): FastTokens {
  const kinds = kindsArena;
  const starts = startsArena;
  const ends = endsArena;
  // The open brackets, as a typed-array stack: plain array methods on rarely taken paths made the
  // optimized loop bail out again and again.
  if (stackArena.length < end - first + 1) stackArena = new Uint8Array(end - first + 1);
  const stack = stackArena;
  let sp = 0;
  let out = first;
  for (let i = first; i < end; i++) {
    let type = kinds[i]!;
    if (type === NEWLINE || type === SEMICOLON) {
      if (expression && type === NEWLINE) continue;
      if (out === first) continue;
      const last = kinds[out - 1]!;
      if (last === NEWLINE || last === SEMICOLON || last === BLOCK_OPEN) continue;
      let j = i + 1;
      while (j < end && (kinds[j] === NEWLINE || kinds[j] === SEMICOLON)) j++;
      if (j >= end) continue;
      const next = kinds[j]!;
      if (next === R_CURLY) continue;
      if (type === NEWLINE) {
        const top = sp === 0 ? 0 : stack[sp - 1]!;
        const inExpression = top === OPEN_PAREN || top === OPEN_BRACKET || top === OPEN_RECORD;
        if (statementStarts[next] === 1) {
          while (sp > 0 && stack[sp - 1] !== OPEN_BLOCK) sp--;
        } else if (inExpression || continuesAfter[last] === 1 || continuesBefore[next] === 1) {
          continue;
        }
      }
    } else if (type === L_CURLY) {
      const record = out === first ? expression : recordAfter[kinds[out - 1]!] === 1;
      type = record ? RECORD_OPEN : BLOCK_OPEN;
      stack[sp++] = record ? OPEN_RECORD : OPEN_BLOCK;
    } else if (type === L_PAREN) {
      stack[sp++] = OPEN_PAREN;
    } else if (type === L_BRACKET) {
      stack[sp++] = OPEN_BRACKET;
    } else if (type === R_PAREN || type === R_BRACKET) {
      // Close the innermost matching bracket, unless a block was opened inside it.
      const open = type === R_PAREN ? OPEN_PAREN : OPEN_BRACKET;
      for (let k = sp - 1; k >= 0; k--) {
        const o = stack[k]!;
        if (o === open) {
          sp = k;
          break;
        }
        if (o === OPEN_BLOCK) break;
      }
    } else if (type === R_CURLY) {
      for (let k = sp - 1; k >= 0; k--) {
        const o = stack[k]!;
        if (o === OPEN_RECORD || o === OPEN_BLOCK) {
          sp = k;
          break;
        }
      }
    }
    kinds[out] = type;
    starts[out] = starts[i]!;
    ends[out] = ends[i]!;
    out++;
  }
  kinds[out] = EOF;
  return { first, count: out - first, failedAt, kinds, starts, ends };
}

/**
 * A snippet that takes every branch of the scanner and the terminator pass. Scanning it once at
 * start-up gives V8 type feedback for all of their code, so the first big file's loops, compiled
 * while still running (on-stack replacement), do not bail out on a branch not yet seen.
 */
const WARM_UP = `/// doc
import { a as b } from "x" // c
/* block */
type T = { f: list<int>?, g: "a" | "b" }
export workflow w(x: int = 1) -> int {
  let y = [1, 2.5, 3s](
    x
  )
  let z = (1
  step s = f(a: "t \${x} \\n", b: """
    z
  """) ; if !x && y || z ?? -1 >= 2 <= 3 != 4 == 5 > 6 < 7 { return x?.y.z % 2 * 3 / 4 + 5 - 6 } else {}
  for i in xs parallel 2 { fail("x") }
  repeat max 3 {
  } until x
  try { escalate(1) } catch e { agent q = r }
  let r = {a: 1}[0]
}
`;
fastScan(WARM_UP, 0, false, 0);
fastScan("{a: 1;}\n+ 2", 0, true, 0);

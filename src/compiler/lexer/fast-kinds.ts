/**
 * Token kinds of the fast scanner (`fast-scan.ts`) and parser (`parser/fast-parser.ts`). Plain
 * numeric constants, imported by name: tsc keeps enums as objects, and a property load never run
 * before the optimizer compiled a hot loop made that loop bail out again and again.
 * Keywords are contiguous, from `IMPORT` to `NONE`.
 */

export const EOF = 0;
export const IDENT = 1;
export const IMPORT = 2;
export const FROM = 3;
export const EXPORT = 4;
export const AS = 5;
export const TYPE = 6;
export const WORKFLOW = 7;
export const AGENT = 8;
export const STEP = 9;
export const LET = 10;
export const IF = 11;
export const ELSE = 12;
export const PARALLEL = 13;
export const FOR = 14;
export const IN = 15;
export const REPEAT = 16;
export const MAX = 17;
export const UNTIL = 18;
export const TRY = 19;
export const CATCH = 20;
export const FAIL = 21;
export const ESCALATE = 22;
export const RETURN = 23;
export const TRUE = 24;
export const FALSE = 25;
export const NONE = 26;
export const PLAIN_STRING = 27;
export const TRIPLE_STRING = 28;
export const NUMBER = 29;
export const NEWLINE = 30;
export const SEMICOLON = 31;
export const L_CURLY = 32;
export const RECORD_OPEN = 33;
export const BLOCK_OPEN = 34;
export const R_CURLY = 35;
export const L_PAREN = 36;
export const R_PAREN = 37;
export const L_BRACKET = 38;
export const R_BRACKET = 39;
export const COMMA = 40;
export const ARROW = 41;
export const QUESTION_DOT = 42;
export const QUESTION_QUESTION = 43;
export const QUESTION = 44;
export const COLON = 45;
export const DOT = 46;
export const EQ_EQ = 47;
export const NOT_EQ = 48;
export const EQUALS = 49;
export const LESS_EQ = 50;
export const GREATER_EQ = 51;
export const LESS = 52;
export const GREATER = 53;
export const AND_AND = 54;
export const OR_OR = 55;
export const PIPE = 56;
export const BANG = 57;
export const PLUS = 58;
export const MINUS = 59;
export const STAR = 60;
export const SLASH = 61;
export const PERCENT = 62;

/** One more than the largest kind. */
export const KIND_COUNT = 63;

/** Number and duration literal nodes, built the same way by both parse paths. */
import type * as A from "../ast/ast.js";
import { classifyNumber, type NumberClass } from "../lexer/number.js";
import type { Span } from "../span.js";

/** A number token that is neither a number nor a duration (`5x`): each parse path handles it its own way. */
export type InvalidNumber = Extract<NumberClass, { kind: "invalid" }>;

/** The node of the number token `image` at `span`, or what is wrong with it. */
export function numberLiteral(image: string, span: Span): A.NumberLit | A.DurationLit | InvalidNumber {
  const n = classifyNumber(image);
  switch (n.kind) {
    case "int":
      return { kind: "NumberLit", span, value: n.value, isFloat: false };
    case "float":
      return { kind: "NumberLit", span, value: n.value, isFloat: true };
    case "duration":
      return { kind: "DurationLit", span, ms: n.ms, text: image };
    case "invalid":
      return n;
  }
}

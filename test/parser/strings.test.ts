/** String literals: escapes, interpolation (nested), triple-quote stripping, and their spans. */
import { describe, expect, it } from "vitest";
import type { Expr, LetDecl } from "../../src/compiler/ast/ast.js";
import { parse } from "../../src/compiler/parser/index.js";
import { errorsOf, expr, parseClean, stringValue } from "./helpers.js";

describe("escapes", () => {
  it("decodes \\n \\t \\\" \\\\ and \\$", () => {
    expect(stringValue('"a\\nb\\tc\\"d\\\\e\\$f"')).toBe('a\nb\tc"d\\e$f');
  });

  it("treats \\${ as literal text, not an interpolation", () => {
    expect(expr('"cost: \\${x}"')).toBe('(str "cost: ${x}")');
  });

  it("keeps a $ not followed by { as text", () => {
    expect(stringValue('"$HOME costs $5"')).toBe("$HOME costs $5");
  });

  it("reports an unknown escape as E0104 at the escape", () => {
    const text = 'let x = "ok \\q ok"';
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "E0104", message: "invalid escape `\\q`" });
    expect(text.slice(errors[0]!.span.start, errors[0]!.span.end)).toBe("\\q");
  });
});

describe("interpolation", () => {
  it("splits text and expressions", () => {
    expect(expr('"a ${b} c ${d.e} f"')).toBe('(str "a " ${b} " c " ${d.e} " f")');
  });

  it("allows strings with interpolations inside an interpolation", () => {
    expect(expr('"a ${"b" + c} d"')).toBe('(str "a " ${(+ (str "b") c)} " d")');
    expect(expr('"x ${f("y ${z} w")} v"')).toBe('(str "x " ${(call f (str "y " ${z} " w"))} " v")');
  });

  it("allows records and braces inside an interpolation", () => {
    expect(expr('"${ {a: 1}.a }"')).toBe("(str ${(RecordLit fields=[(RecordLitField name=a value=1)]).a})");
  });

  it("gives interpolated expressions spans in the original file", () => {
    const text = 'let x = "hi ${name.first} and ${"q ${deep}"}"';
    const decl = parseClean(text).decls[0] as LetDecl;
    const lit = decl.value as Expr & { kind: "StringLit" };
    const [, first, , second] = lit.parts;
    expect(text.slice(first!.span.start, first!.span.end)).toBe("${name.first}");
    if (first!.kind !== "InterpPart" || second!.kind !== "InterpPart") throw new Error("expected interpolations");
    expect(text.slice(first!.expr.span.start, first!.expr.span.end)).toBe("name.first");
    const inner = second.expr as Expr & { kind: "StringLit" };
    const deep = inner.parts[1]!;
    expect(text.slice(deep.span.start, deep.span.end)).toBe("${deep}");
  });

  it("reports a syntax error inside an interpolation at its place in the file", () => {
    const text = 'let x = "a ${b +} c"';
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe("E0101");
    expect(errors[0]!.message).toBe("expected an expression, found `}`");
    expect(errors[0]!.span.start).toBe(text.indexOf("+") + 1);
  });

  it("reports an empty interpolation", () => {
    const errors = errorsOf('let x = "a ${} c"');
    expect(errors.map((e) => e.code)).toEqual(["E0101"]);
  });
});

describe("triple-quoted strings", () => {
  it("strips the first and last blank lines and the common indentation", () => {
    const text = 'let x = """\n    line one\n      indented\n    line three\n    """';
    expect(stringValue(text.slice(8))).toBe("line one\n  indented\nline three");
  });

  it("keeps blank lines in the middle, minus the indentation", () => {
    expect(stringValue('"""\n  a\n\n  b\n  """')).toBe("a\n\nb");
  });

  it("does not strip a first line with content, and it does not count toward the indentation", () => {
    expect(stringValue('"""first\n    second\n    third\n    """')).toBe("first\nsecond\nthird");
  });

  it("keeps a last line with content", () => {
    expect(stringValue('"""\n  a\n  b"""')).toBe("a\nb");
  });

  it("computes indentation on the raw text and does not re-indent interpolated values", () => {
    expect(stringValue('"""\n    a ${x}\n      ${y} b\n    """')).toBe("a ${x}\n  ${y} b");
  });

  it("treats a line starting with an interpolation as content with no indentation beyond it", () => {
    expect(stringValue('"""\n  ${x}\n    y\n  """')).toBe("${x}\n  y");
  });

  it("decodes escapes after stripping, so an escaped \\t is not indentation", () => {
    expect(stringValue('"""\n  \\tx\n  y\n  """')).toBe("\tx\ny");
  });

  it("keeps quotes inside and a one-line triple string as is", () => {
    expect(stringValue('"""say "hi" """')).toBe('say "hi" ');
  });

  it("handles CRLF line endings", () => {
    expect(stringValue('"""\r\n  a\r\n  b\r\n  """')).toBe("a\nb");
  });

  it("marks the literal as triple", () => {
    const decl = parseClean('let x = """a"""').decls[0] as LetDecl;
    expect(decl.value).toMatchObject({ kind: "StringLit", triple: true });
  });
});

describe("unterminated strings", () => {
  it("reports one E0102 where a one-line string starts, and parses the next line", () => {
    const text = 'let a = "abc\nlet b = 2';
    const { module, diagnostics } = parse(text, "t.cm");
    expect(diagnostics.map((d) => [d.code, d.span.start])).toEqual([["E0102", 8]]);
    expect(module.decls.map((d) => d.name.name)).toEqual(["a", "b"]);
  });

  it("reports one E0102 where a triple-quoted string starts", () => {
    const text = 'let a = 1\nlet b = """abc\nlet c = 2\n';
    expect(errorsOf(text).map((d) => [d.code, d.span.start])).toEqual([["E0102", 18]]);
  });

  it("reports an unterminated block comment as E0103 where it starts", () => {
    const text = "let a = 1\n/* never\nclosed";
    const { module, diagnostics } = parse(text, "t.cm");
    expect(diagnostics.map((d) => [d.code, d.span.start])).toEqual([["E0103", 10]]);
    expect(module.decls).toHaveLength(1);
  });
});

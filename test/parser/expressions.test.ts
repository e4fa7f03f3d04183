/** Expression forms, operator precedence and literals. */
import { describe, expect, it } from "vitest";
import { errorsOf, expr } from "./helpers.js";

describe("operator precedence", () => {
  it.each([
    ["a + b * c", "(+ a (* b c))"],
    ["a * b + c", "(+ (* a b) c)"],
    ["a - b - c", "(- (- a b) c)"],
    ["a / b % c", "(% (/ a b) c)"],
    ["a < b == c >= d", "(== (< a b) (>= c d))"],
    ["a == b && c != d || e", "(|| (&& (== a b) (!= c d)) e)"],
    ["a || b && c", "(|| a (&& b c))"],
    ["a ?? b ?? c", "(?? a (?? b c))"],
    ["a || b ?? c || d", "(?? (|| a b) (|| c d))"],
    ["!a && -b < c", "(&& (! a) (< (- b) c))"],
    ["-a.b", "(- a.b)"],
    ["!!a", "(! (! a))"],
    ["(a + b) * c", "(* (+ a b) c)"],
    ["a + b <= c * d", "(<= (+ a b) (* c d))"],
  ])("parses %s as %s", (source, expected) => {
    expect(expr(source)).toBe(expected);
  });
});

describe("postfix forms", () => {
  it("chains member access, optional access, indexing and calls in source order", () => {
    expect(expr("a.b?.c[0](1, name: 2).d")).toBe("(call (IndexExpr object=a.b?.c index=0) 1 name=2).d");
  });

  it("parses a method call with a member callee", () => {
    expect(expr('coder.ask("x", retry: 2)')).toBe('(call coder.ask (str "x") retry=2)');
  });

  it("reads an `output:` value as a type when only the type syntax fills the argument", () => {
    expect(expr('a.ask("x", output: list<Task>, retry: 1)')).toBe('(call a.ask (str "x") output=(type list<Task>) retry=1)');
    expect(expr('a.ask("x", output: Plan?)')).toBe('(call a.ask (str "x") output=(type Plan?))');
    expect(expr('a.ask("x", output: "yes" | "no")')).toBe('(call a.ask (str "x") output=(type ("yes" | "no")))');
    expect(expr('a.ask("x", output: { items: list<string> })')).toBe('(call a.ask (str "x") output=(type (RecordType fields=[(RecordTypeField name=items type=list<string>)])))');
    // What parses as an expression stays one: a workflow may well have a parameter named `output`.
    expect(expr('a.ask("x", output: Plan)')).toBe('(call a.ask (str "x") output=Plan)');
    expect(expr('render(output: "out.md")')).toBe('(call render output=(str "out.md"))');
    expect(expr("render(output: { a: 1 })")).toBe("(call render output=(RecordLit fields=[(RecordLitField name=a value=1)]))");
    // Only `output:` reads types.
    expect(errorsOf('let x = a.ask("x", other: list<Task>)').map((d) => d.message)).toEqual(["expected an expression, found `)`"]);
  });

  it("accepts keywords as member names and argument names", () => {
    expect(expr("x.type.in")).toBe("x.type.in");
    expect(expr("f(agent: 1, max: 2)")).toBe("(call f agent=1 max=2)");
  });

  it("accepts the soft keywords from, as and max as names", () => {
    expect(expr("[from, as, max]")).toBe("(ListLit items=[from as max])");
  });

  it("keeps a parenthesised expression as its inner node with the inner span", () => {
    expect(expr("((a))")).toBe("a");
  });
});

describe("literals", () => {
  it("parses ints and floats", () => {
    expect(expr("42")).toBe("42");
    expect(expr("3.5")).toBe("3.5f");
    expect(expr("0.25")).toBe("0.25f");
  });

  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["20m", 1_200_000],
    ["2h", 7_200_000],
    ["1d", 86_400_000],
    ["1.5h", 5_400_000],
  ])("parses the duration %s as %i ms", (source, ms) => {
    expect(expr(source)).toBe(`${ms}ms`);
  });

  it("reports a number with an unknown suffix as E0105", () => {
    const [d, ...rest] = errorsOf("let x = 5x");
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "E0105", message: "invalid number `5x`", span: { start: 8, end: 10 } });
    expect(errorsOf("let y = 3.5min")[0]?.code).toBe("E0105");
  });

  it("parses true, false and none", () => {
    expect(expr("[true, false, none]")).toBe("(ListLit items=[true false none])");
  });

  it("parses lists and records with trailing commas, and an empty record", () => {
    expect(expr("[1, 2,]")).toBe("(ListLit items=[1 2])");
    expect(expr("[]")).toBe("(ListLit items=[])");
    expect(expr('{ a: 1, b: "x", }')).toBe('(RecordLit fields=[(RecordLitField name=a value=1) (RecordLitField name=b value=(str "x"))])');
    expect(expr("{}")).toBe("(RecordLit fields=[])");
    expect(expr("f(1, 2,)")).toBe("(call f 1 2)");
  });

  it("parses a record as an argument and as a list item", () => {
    expect(expr("f({ a: 1 }, [{ b: 2 }])")).toBe(
      "(call f (RecordLit fields=[(RecordLitField name=a value=1)]) (ListLit items=[(RecordLit fields=[(RecordLitField name=b value=2)])]))",
    );
  });
});

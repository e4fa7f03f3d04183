/** Statement termination (LANGUAGE.md §2): which newlines end a statement, `;`, and record vs block braces. */
import { describe, expect, it } from "vitest";
import { body, describe as show, errorsOf, sexp } from "./helpers.js";

describe("newlines", () => {
  it("continues a call over several lines, with a trailing comma", () => {
    expect(body('step a = sh(\n  "x",\n  check: false,\n)').map(sexp)).toEqual(['(StepStmt name=a action=(call sh (str "x") check=false))']);
  });

  it("continues a record literal over several lines without commas at line ends being required inside", () => {
    expect(body("let r = {\n  a: 1,\n  b: 2\n}").map(sexp)).toEqual(["(LetStmt name=r value=(RecordLit fields=[(RecordLitField name=a value=1) (RecordLitField name=b value=2)]))"]);
  });

  it("continues a list over several lines", () => {
    expect(body("let l = [\n  1,\n  2\n]").map(sexp)).toEqual(["(LetStmt name=l value=(ListLit items=[1 2]))"]);
  });

  it("continues after a binary operator at the end of a line", () => {
    expect(body("let a = b +\n  c *\n  d\nlet e = f &&\n  g ??\n  h").map(sexp)).toEqual([
      "(LetStmt name=a value=(+ b (* c d)))",
      "(LetStmt name=e value=(?? (&& f g) h))",
    ]);
  });

  it("continues after = and before a leading . or ?.", () => {
    expect(body("let a =\n  b\n    .c\n    ?.d").map(sexp)).toEqual(["(LetStmt name=a value=b.c?.d)"]);
  });

  it("ends a statement at a newline otherwise", () => {
    expect(body("let a = b\n-c").map(sexp)).toEqual(["(LetStmt name=a value=b)", "(ExprStmt expr=(- c))"]);
  });

  it("accepts else, catch and until on the next line", () => {
    expect(body("if a {\n}\nelse {\n}\ntry {\n}\ncatch e {\n}\nrepeat max 2 {\n}\nuntil x\nelse {\n}").map((s) => s.kind)).toEqual([
      "IfStmt",
      "TryStmt",
      "RepeatStmt",
    ]);
    expect(sexp(body("if a {\n}\nelse {\n}")[0])).toContain("otherwise=");
  });

  it("separates statements with ; and collapses repeated terminators", () => {
    expect(body("let a = 1; let b = 2;;\n\n;let c = 3;").map(sexp)).toEqual(["(LetStmt name=a value=1)", "(LetStmt name=b value=2)", "(LetStmt name=c value=3)"]);
  });

  it("allows blank lines and comments between statements and around braces", () => {
    expect(body("\n\n// c\nlet a = 1 /* x */\n\n/* y\n */\nlet b = 2\n\n").map(sexp)).toEqual(["(LetStmt name=a value=1)", "(LetStmt name=b value=2)"]);
  });

  it("reads a { at the start of a statement as a block, and after = as a record", () => {
    expect(body("{\n  let a = 1\n}\nlet r = { a: 1 }").map((s) => s.kind)).toEqual(["BlockStmt", "LetStmt"]);
  });

  it("reads a { after return as a record, and a { after a return on its own line as a block", () => {
    expect(body("return { a: 1 }").map(sexp)).toEqual(["(ReturnStmt value=(RecordLit fields=[(RecordLitField name=a value=1)]))"]);
    expect(body("return\n{\n  let a = 1\n}").map((s) => s.kind)).toEqual(["ReturnStmt", "BlockStmt"]);
  });

  it("reports two statements on one line without a separator", () => {
    const text = "workflow w() {\n  let a = 1 let b = 2\n}";
    expect(errorsOf(text).map((d) => show(d, text))).toEqual(["E0101 2:13 expected a newline or `;`, found `let`"]);
  });
});

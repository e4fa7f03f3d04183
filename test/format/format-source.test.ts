/** `formatSource`, the formatter's one entry point (also the language server's formatting). */
import { describe, expect, it } from "vitest";
import { formatSource } from "../../src/compiler/format/index.js";
import { parse } from "../../src/compiler/parser/index.js";

describe("formatSource", () => {
  it("returns the parser's diagnostics, and no text, for a file with syntax errors", () => {
    const text = 'workflow a() {\n  step s = sh("x"\n  step t = sh("y")\n}\n';
    const result = formatSource(text, "broken.cm");
    expect(result).toEqual({ ok: false, diagnostics: parse(text, "broken.cm").diagnostics });
    expect(result.ok || result.diagnostics.map((d) => d.code)).toEqual(["E0101"]);
  });

  it("ends the file with one newline and drops trailing blank lines", () => {
    expect(formatSource("let a = 1\n\n\n")).toEqual({ ok: true, text: "let a = 1\n" });
    expect(formatSource("let a = 1")).toEqual({ ok: true, text: "let a = 1\n" });
  });

  it("leaves an empty file empty and keeps a file of comments only", () => {
    expect(formatSource("")).toEqual({ ok: true, text: "" });
    expect(formatSource("\n\n// just a note   \n\n\n/* and a block */")).toEqual({ ok: true, text: "// just a note\n\n/* and a block */\n" });
  });

  it("ends lines in LF, inside triple-quoted strings and block comments too", () => {
    const lf = 'workflow w() {\n  /* a\n     b */\n  step s = sh("""\n    text\n    """)\n}\n';
    expect(formatSource(lf.replace(/\n/g, "\r\n"))).toEqual({ ok: true, text: lf });
  });

  it("writes one statement a line where `;` joined them", () => {
    expect(formatSource("workflow w() { let a = 1; let b = 2 }")).toEqual({ ok: true, text: "workflow w() {\n  let a = 1\n  let b = 2\n}\n" });
  });

  it("keeps a record written over several lines so, and joins one written on a line", () => {
    expect(formatSource("let r = {\n  a: 1, b: 2 }\nlet s = { a: 1,\n b: 2 }\n")).toEqual({
      ok: true,
      text: "let r = {\n  a: 1,\n  b: 2,\n}\nlet s = { a: 1, b: 2 }\n",
    });
  });

  it("never breaks a line after `>`, where a newline would end the statement", () => {
    const long = `let x = ${Array.from({ length: 12 }, (_, i) => `len(items${i})`).join(" > ")}\n`;
    const result = formatSource(long);
    expect(result).toEqual({ ok: true, text: long });
  });

  it("keeps a comment that sits inside an expression, on a line after its statement", () => {
    expect(formatSource("let a = // why\n  1 + 2\n")).toEqual({ ok: true, text: "let a = 1 + 2\n// why\n" });
  });
});

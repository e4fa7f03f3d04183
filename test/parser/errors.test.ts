/** Syntax errors: every error reported at its own place, short messages, recovery keeps the rest. */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/compiler/parser/index.js";
import { describe as show } from "./helpers.js";

function errors(text: string): string[] {
  return parse(text, "t.cm").diagnostics.map((d) => show(d, text));
}

describe("syntax errors", () => {
  it("words the same mistake the same way every time, in every declaration of a file", () => {
    // The expected alternatives of an `OR` are computed at the first such error and kept.
    const workflows = Array.from({ length: 4 }, (_, i) => `workflow w${i}() {\n  step s = sh((1, 2))\n  let v = ]\n}`);
    const text = workflows.join("\n");
    const found = errors(text).map((e) => e.replace(/^E0101 \d+:/, "E0101 line:"));
    const once = errors(workflows[0]!);
    expect(once.length).toBe(3);
    expect(found.length).toBe(4 * once.length);
    expect(new Set(found).size).toBe(once.length);
    expect(errors(text).slice(0, once.length)).toEqual(once);
  });

  it("reports three separate mistakes as three diagnostics on the right lines, and keeps both workflows", () => {
    const text = [
      "workflow main() {",
      '  step a = sh("x"))',
      "  let b = [1, 2",
      '  step c = approve("ok" timeout: 1d)',
      "}",
      "export workflow other() {",
      '  step d = sh("y")',
      "}",
    ].join("\n");
    const { module, diagnostics } = parse(text, "t.cm");
    expect(diagnostics.map((d) => show(d, text))).toEqual([
      "E0101 2:19 expected a newline or `;`, found `)`",
      "E0101 3:16 expected `]`, found a newline",
      "E0101 4:25 expected `,` or `)`, found `timeout`",
    ]);
    expect(module.decls.map((d) => d.name.name)).toEqual(["main", "other"]);
    expect(diagnostics.every((d) => d.severity === "error" && d.file === "t.cm" && d.label !== undefined)).toBe(true);
  });

  it("points a missing closing paren at the end of its line and parses the next statement", () => {
    const text = 'workflow w() {\n  step a = sh("x"\n  step b = sh("y")\n}';
    const { module, diagnostics } = parse(text, "t.cm");
    expect(diagnostics.map((d) => show(d, text))).toEqual(["E0101 2:18 expected `)`, found a newline"]);
    const wf = module.decls[0]!;
    expect(wf.kind === "WorkflowDecl" && wf.body.statements.map((s) => s.kind)).toEqual(["StepStmt"]);
  });

  it("says what was expected, in a short message", () => {
    expect(errors("let x = )")).toEqual(["E0101 1:9 expected an expression, found `)`"]);
    expect(errors("let xs = [1 2]")).toEqual(["E0101 1:13 expected `,` or `]`, found `2`"]);
    expect(errors("type = int")).toEqual(["E0101 1:6 expected a name, found `=`"]);
    expect(errors("workflow w() {\n  if x step b = f()\n}")).toEqual(["E0101 2:8 expected `{`, found `step`"]);
    expect(errors('import { a } "x"')).toEqual(["E0101 1:14 expected `from`, found a string"]);
    expect(errors("step a = f()")).toEqual(["E0101 1:1 expected a declaration, found `step`"]);
    expect(errors("agent z\nlet y = 1")).toEqual(["E0101 1:8 expected `=` or `(`, found a newline"]);
  });

  it("reports an unclosed block at the end of the file after the last token", () => {
    expect(errors("workflow w() {\n  step a = f()\n")).toEqual(["E0101 2:15 expected `}`, found end of file"]);
  });

  it("reports a stray character once, without a cascade of parser errors on its line", () => {
    expect(errors("let y = $\nlet z = 1 # 2")).toEqual(["E0106 1:9 unexpected character `$`", "E0106 2:11 unexpected character `#`"]);
  });

  it("reports an unterminated string once, even inside an unclosed call", () => {
    expect(errors('workflow w() {\n  step a = sh("abc)\n  step b = sh("y")\n}')).toEqual(["E0102 2:15 unterminated string"]);
  });

  it("never reports two errors at the same offset", () => {
    const { diagnostics } = parse("workflow w( {\n}\n)))\nlet = = =", "t.cm");
    const starts = diagnostics.map((d) => d.span.start);
    expect(new Set(starts).size).toBe(starts.length);
  });

  it("keeps every declaration that parsed when others did not", () => {
    const { module } = parse("let a = 1\nlet b = \nlet c = 3\ntype T = list<\nlet d = 4", "t.cm");
    expect(module.decls.map((d) => d.name.name)).toEqual(["a", "c", "d"]);
  });
});

describe("recovery at the top level", () => {
  it("resumes at the next declaration after stray input, and reports a stray } as unexpected", () => {
    const text = "step a = f()\nlet b = 1\n}\nlet c = 2 }\nlet d = 3";
    const { module, diagnostics } = parse(text, "t.cm");
    expect(diagnostics.map((d) => show(d, text))).toEqual([
      "E0101 1:1 expected a declaration, found `step`",
      "E0101 3:1 unexpected `}`",
      "E0101 4:11 unexpected `}`",
    ]);
    expect(module.decls.map((d) => d.name.name)).toEqual(["b", "c", "d"]);
  });
});

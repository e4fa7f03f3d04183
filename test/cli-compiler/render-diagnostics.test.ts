/** The diagnostic renderer on hand-made diagnostics: the §10 format, JSON, the summary, colours. */
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/compiler/diagnostics.js";
import {
  diagnosticsToJson,
  renderDiagnostic,
  renderDiagnostics,
  shouldColor,
  summarize,
} from "../../src/cli/render-diagnostics.js";
import { LineIndex } from "../../src/compiler/line-index.js";
import { positionAt } from "../../src/compiler/span.js";

/** A diagnostic whose span covers the first occurrence of `needle` in `source`. */
function at(source: string, needle: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  const start = source.indexOf(needle);
  if (start < 0) throw new Error(`no ${needle}`);
  return {
    code: "E0301",
    severity: "error",
    message: "unknown step `tset`",
    file: "examples/feature.cm",
    span: { start, end: start + needle.length },
    ...extra,
  };
}

const feature = `${"// filler\n".repeat(30)}  } until tset.ok\n`;

describe("renderDiagnostic", () => {
  it("prints the LANGUAGE.md §10 example exactly", () => {
    const d = at(feature, "tset", { label: "not defined in workflow `feature`", help: "did you mean `test`?" });
    expect(renderDiagnostic(d, feature, { color: false })).toBe(
      [
        "error[E0301]: unknown step `tset`",
        "  --> examples/feature.cm:31:11",
        "   |",
        "31 |   } until tset.ok",
        "   |           ^^^^ not defined in workflow `feature`",
        "   |",
        "   = help: did you mean `test`?",
      ].join("\n"),
    );
  });

  it("sizes the gutter to the line number and omits the help block when there is no help", () => {
    const source = "step a = sh(1)\n";
    const d = at(source, "1", { code: "E0302", message: "expected `string`, found `int`" });
    expect(renderDiagnostic(d, source, { color: false })).toBe(
      [
        "error[E0302]: expected `string`, found `int`",
        " --> examples/feature.cm:1:13",
        "  |",
        "1 | step a = sh(1)",
        "  |             ^",
      ].join("\n"),
    );
  });

  it("labels warnings as warning with their code", () => {
    const source = "let unused = 1\n";
    const d = at(source, "unused", { code: "W0201", severity: "warning", message: "`unused` is never used" });
    expect(renderDiagnostic(d, source, { color: false }).split("\n")[0]).toBe("warning[W0201]: `unused` is never used");
  });

  it("draws one caret for an empty span, even at the end of the text", () => {
    const source = "workflow main() {";
    const d: Diagnostic = {
      code: "E0101",
      severity: "error",
      message: "expected `}`",
      file: "a.cm",
      span: { start: source.length, end: source.length },
    };
    const lines = renderDiagnostic(d, source, { color: false }).split("\n");
    expect(lines[1]).toBe(" --> a.cm:1:18");
    expect(lines[4]).toBe(`  | ${" ".repeat(17)}^`);
  });

  it("shows a span over several lines as its first line with carets to the end and ...", () => {
    const source = "workflow main() {\n  if x {\n    step a = sh(\"a\")\n  }\n}\n";
    const start = source.indexOf("if x");
    const d: Diagnostic = {
      code: "E0401",
      severity: "error",
      message: "bad if",
      file: "a.cm",
      span: { start, end: source.indexOf("  }\n}") + 3 },
      label: "here",
    };
    const lines = renderDiagnostic(d, source, { color: false }).split("\n");
    expect(lines[3]).toBe("2 |   if x {");
    expect(lines[4]).toBe("  |   ^^^^^^ ... here");
  });

  it("keeps a span that only covers a line break on its line, with one caret after the text", () => {
    const source = "step a = sh(\"one\"\nstep b = 1\n";
    const start = source.indexOf("\n");
    const d: Diagnostic = { code: "E0101", severity: "error", message: "expected `)`", file: "a.cm", span: { start, end: start + 1 } };
    const lines = renderDiagnostic(d, source, { color: false }).split("\n");
    expect(lines[3]).toBe('1 | step a = sh("one"');
    expect(lines[4]).toBe(`  | ${" ".repeat(17)}^`);
  });

  it("expands tabs and keeps the carets under the span", () => {
    const source = "\tstep x = sh(y)\n";
    const d = at(source, "y", { message: "unknown name `y`" });
    const lines = renderDiagnostic(d, source, { color: false }).split("\n");
    expect(lines[1]).toBe(" --> examples/feature.cm:1:14");
    expect(lines[3]).toBe("1 |     step x = sh(y)");
    expect(lines[4]).toBe(`  | ${" ".repeat(16)}^`);
  });

  it("handles CRLF line endings without printing the carriage return", () => {
    const source = "let a = 1\r\nlet b = zz\r\n";
    const d = at(source, "zz");
    const lines = renderDiagnostic(d, source, { color: false }).split("\n");
    expect(lines[3]).toBe("2 | let b = zz");
    expect(lines[4]).toBe("  |         ^^");
  });

  it("prints the location and help without an excerpt when the source is unknown", () => {
    const d: Diagnostic = {
      code: "E0201",
      severity: "error",
      message: "cannot read `x.cm`",
      file: "x.cm",
      span: { start: 0, end: 0 },
      help: "check the path",
    };
    expect(renderDiagnostic(d, undefined, { color: false })).toBe(
      ["error[E0201]: cannot read `x.cm`", "  --> x.cm", "   = help: check the path"].join("\n"),
    );
  });

  it("adds ANSI colours only when asked", () => {
    const d = at(feature, "tset");
    const plain = renderDiagnostic(d, feature, { color: false });
    const colored = renderDiagnostic(d, feature, { color: true });
    expect(plain).not.toContain("\u001b[");
    expect(colored).toContain("\u001b[31m");
    expect(colored.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain);
  });
});

describe("diagnosticsToJson", () => {
  it("gives 1-based positions, an exclusive end column and null help when absent", () => {
    const source = "a\nbb cc\n";
    const d = at(source, "cc", { file: "m.cm" });
    expect(diagnosticsToJson([d, { ...d, help: "h" }], new Map([["m.cm", source]]))).toEqual([
      {
        code: "E0301",
        severity: "error",
        message: "unknown step `tset`",
        file: "m.cm",
        line: 2,
        column: 4,
        endLine: 2,
        endColumn: 6,
        help: null,
      },
      expect.objectContaining({ help: "h" }),
    ]);
  });

  it("accepts sources as a plain object and gives null positions for unknown files", () => {
    const d = at("xx", "xx", { file: "gone.cm" });
    const [json] = diagnosticsToJson([d], { "other.cm": "" });
    expect(json).toMatchObject({ file: "gone.cm", line: null, column: null, endLine: null, endColumn: null });
  });
});

describe("summarize", () => {
  const e = (file: string): Diagnostic => ({ code: "E1", severity: "error", message: "m", file, span: { start: 0, end: 0 } });
  const w = (file: string): Diagnostic => ({ ...e(file), severity: "warning" });

  it("counts errors, warnings and files with plurals", () => {
    expect(summarize([e("a"), e("a"), e("b"), w("b")], { color: false })).toBe("error: 3 errors, 1 warning in 2 files");
    expect(summarize([e("a")], { color: false })).toBe("error: 1 error in 1 file");
    expect(summarize([w("a"), w("a")], { color: false })).toBe("warning: 2 warnings in 1 file");
  });

  it("says nothing when there is nothing to report", () => {
    expect(summarize([], { color: false })).toBeUndefined();
  });
});

describe("shouldColor", () => {
  it("follows NO_COLOR, then FORCE_COLOR, then whether the stream is a terminal", () => {
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(shouldColor({ isTTY: true }, { FORCE_COLOR: "0" })).toBe(false);
    expect(shouldColor({ isTTY: false }, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
  });
});

describe("LineIndex", () => {
  it("gives every offset the line and column a rescan of the text gives, past the end included", () => {
    const text = "a\n\nbc\r\n\tdef\n\n";
    const index = new LineIndex(text);
    for (let offset = 0; offset <= text.length + 3; offset++) expect(index.position(offset)).toEqual(positionAt(text, offset));
  });

  it("renders many diagnostics of one file with the positions each has alone", () => {
    const source = Array.from({ length: 200 }, (_, i) => `let v${i} = ${i}`).join("\n");
    const ds = Array.from({ length: 200 }, (_, i) => at(source, `v${i} `, { code: "W0201", severity: "warning" as const }));
    const sources = new Map([["examples/feature.cm", source]]);
    expect(renderDiagnostics(ds, sources, { color: false })).toBe(ds.map((d) => renderDiagnostic(d, source, { color: false })).join("\n\n"));
    expect(diagnosticsToJson(ds, sources).map((j) => j.line)).toEqual(ds.map((_, i) => i + 1));
  });
});

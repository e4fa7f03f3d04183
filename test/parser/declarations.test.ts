/** Declarations, types, statements and doc comments. */
import { describe, expect, it } from "vitest";
import type { AgentCtorDecl, TypeDecl } from "../../src/compiler/ast/ast.js";
import { parseWithRecovery } from "../../src/compiler/parser/index.js";
import { body, parseClean, sexp, type } from "./helpers.js";

describe("declarations", () => {
  it("parses imports with aliases and a trailing comma", () => {
    const m = parseClean('import { a, b as c, } from "./x.cm"');
    expect(sexp(m.imports)).toBe('[(Import names=[(ImportName name=a) (ImportName name=b alias=c)] from="./x.cm")]');
  });

  it("parses imports spread over lines", () => {
    const m = parseClean('import {\n  a,\n  b\n} from "std/agents"\nlet x = 1');
    expect(m.imports[0]!.names).toHaveLength(2);
    expect(m.decls).toHaveLength(1);
  });

  it("parses export on type, workflow, agent and let", () => {
    const m = parseClean('export type T = int\nexport workflow w() { }\nexport agent a = claude()\nexport let k = 1\nlet p = 2');
    expect(m.decls.map((d) => `${d.kind}:${d.exported}`)).toEqual([
      "TypeDecl:true",
      "WorkflowDecl:true",
      "AgentDecl:true",
      "LetDecl:true",
      "LetDecl:false",
    ]);
  });

  it("parses a workflow with defaults, a trailing comma and no return type", () => {
    const m = parseClean("workflow f(p: int, q: string = \"d\",) {\n}");
    expect(sexp(m.decls[0])).toBe('(WorkflowDecl name=f exported=false params=[(Param name=p type=int) (Param name=q type=string default=(str "d"))] body=(Block statements=[]))');
  });

  it("parses an agent constructor declaration with optional parameter types and defaults", () => {
    const m = parseClean('export agent claude(\n  model: string?,\n  permission: ("plan" | "default")? = "default",\n  agent: string?,\n)');
    const ctor = m.decls[0] as AgentCtorDecl;
    expect(ctor.kind).toBe("AgentCtorDecl");
    expect(ctor.params.map((p) => `${p.name.name}: ${sexp(p.type)}${p.default ? " = " + sexp(p.default) : ""}`)).toEqual([
      "model: string?",
      'permission: ("plan" | "default")? = (str "default")',
      "agent: string?",
    ]);
  });
});

describe("types", () => {
  it.each([
    ["string", "string"],
    ["agent", "agent"],
    ["list<int>", "list<int>"],
    ["list<list<int>>", "list<list<int>>"],
    ["Plan?", "Plan?"],
    ['"low" | "high"', '("low" | "high")'],
    ["int | string?", "(int | string?)"],
    ["(int | string)?", "(int | string)?"],
    ["{ a: int, b: list<{ c: bool }>, }", "(RecordType fields=[(RecordTypeField name=a type=int) (RecordTypeField name=b type=list<(RecordType fields=[(RecordTypeField name=c type=bool)])>)])"],
    ["{}", "(RecordType fields=[])"],
  ])("parses %s", (source, expected) => {
    expect(type(source)).toBe(expected);
  });

  it("parses a union over several lines when each line ends with |", () => {
    const m = parseClean('type Level =\n  "low" |\n  "high"\nlet x = 1');
    expect(sexp((m.decls[0] as TypeDecl).type)).toBe('("low" | "high")');
  });

  it("parses a union whose lines start with |", () => {
    const m = parseClean('type Level = "low"\n  | "high"\nlet x = 1');
    expect(sexp((m.decls[0] as TypeDecl).type)).toBe('("low" | "high")');
  });
});

describe("statements", () => {
  it("parses step, let and agent statements", () => {
    expect(body('step a = sh("x")\nlet b = 1\nagent c = claude()').map(sexp)).toEqual([
      '(StepStmt name=a action=(call sh (str "x")))',
      "(LetStmt name=b value=1)",
      "(AgentStmt name=c value=(call claude))",
    ]);
  });

  it("parses if / else if / else", () => {
    const [s] = body("if a { fail(\"x\") } else if b { } else { return }");
    expect(sexp(s)).toBe(
      '(IfStmt condition=a then=(Block statements=[(FailStmt message=(str "x"))]) otherwise=(IfStmt condition=b then=(Block statements=[]) otherwise=(Block statements=[(ReturnStmt)])))',
    );
  });

  it("parses parallel with a limit, branches and a nested sequential block", () => {
    const [s] = body("parallel 2 {\n  step a = f()\n  step b = g()\n  {\n    step c = h()\n    step d = i()\n  }\n}");
    expect(sexp(s)).toBe(
      "(ParallelStmt limit=2 branches=[(StepStmt name=a action=(call f)) (StepStmt name=b action=(call g)) " +
        "(BlockStmt block=(Block statements=[(StepStmt name=c action=(call h)) (StepStmt name=d action=(call i))]))])",
    );
    expect(sexp(body("parallel { step a = f() }")[0])).toBe("(ParallelStmt branches=[(StepStmt name=a action=(call f))])");
  });

  it("parses for loops, sequential and parallel with or without a limit", () => {
    expect(body("for x in xs { }\nfor y in [1, 2] parallel { }\nfor z in f() parallel n { }").map(sexp)).toEqual([
      "(ForStmt variable=x iterable=xs parallel=false body=(Block statements=[]))",
      "(ForStmt variable=y iterable=(ListLit items=[1 2]) parallel=true body=(Block statements=[]))",
      "(ForStmt variable=z iterable=(call f) parallel=true limit=n body=(Block statements=[]))",
    ]);
  });

  it("parses repeat … until … else", () => {
    expect(sexp(body("repeat max n { step a = f() } until a.ok else { escalate(\"no\") }")[0])).toBe(
      '(RepeatStmt max=n body=(Block statements=[(StepStmt name=a action=(call f))]) until=a.ok otherwise=(Block statements=[(EscalateStmt message=(str "no"))]))',
    );
  });

  it("parses try / catch", () => {
    expect(sexp(body("try { step a = f() } catch e { fail(e.message) }")[0])).toBe(
      "(TryStmt body=(Block statements=[(StepStmt name=a action=(call f))]) errorName=e handler=(Block statements=[(FailStmt message=e.message)]))",
    );
  });

  it("parses return with and without a value, and a bare expression statement", () => {
    expect(body("return\n").map(sexp)).toEqual(["(ReturnStmt)"]);
    expect(body("return { a: 1 }").map(sexp)).toEqual(["(ReturnStmt value=(RecordLit fields=[(RecordLitField name=a value=1)]))"]);
    expect(body("f(1)").map(sexp)).toEqual(["(ExprStmt expr=(call f 1))"]);
  });

  it("gives a statement a span from its keyword to its end", () => {
    const text = "workflow w() {\n  repeat max 3 { step a = f() } until a.ok\n}";
    const s = (parseClean(text).decls[0] as { body: { statements: { span: { start: number; end: number } }[] } }).body.statements[0]!;
    expect(text.slice(s.span.start, s.span.end)).toBe("repeat max 3 { step a = f() } until a.ok");
  });
});

describe("doc comments", () => {
  it("attaches consecutive /// lines to the next declaration, joined with newlines", () => {
    const m = parseClean("/// First line.\n///Second line.\n///   indented\nexport workflow w() { }");
    expect(m.decls[0]!.doc).toBe("First line.\nSecond line.\n  indented");
  });

  it("reads a doc comment on the second line of a file that begins with a blank line (both parse paths)", () => {
    // Found by the differential fuzzer (seed 515624473): looking above the comment, the search for
    // the previous line wrapped around to it again, and parsing never ended.
    for (const text of ["\n/// The doc.\nlet a = 1", "\r\n/// The doc.\r\nlet a = 1", "\n\n/// One.\n/// Two.\nexport agent robot(model: string?)"]) {
      const fast = parseClean(text);
      const slow = parseWithRecovery(text, "test.cm");
      expect(slow.diagnostics).toEqual([]);
      expect(fast.decls[0]?.doc).toBe(text.includes("One.") ? "One.\nTwo." : "The doc.");
      expect(JSON.stringify(slow.module)).toBe(JSON.stringify(fast));
    }
  });

  it("ignores a doc comment separated from the declaration by a blank line, or at the end of a code line", () => {
    const m = parseClean("/// lost\n\nlet a = 1\nlet b = 2 /// not a doc line\nlet c = 3");
    expect(m.decls.map((d) => d.doc)).toEqual([undefined, undefined, undefined]);
  });

  it("ignores doc comments before statements and keeps //// as a plain comment", () => {
    const m = parseClean("workflow w() {\n  /// not attached\n  let a = 1\n}\n//// plain\nlet b = 2");
    expect(m.decls.map((d) => d.doc)).toEqual([undefined, undefined]);
  });

  it("attaches a doc comment to an agent constructor and a type", () => {
    const m = parseClean("/// A type.\ntype T = int\n/// An agent.\nexport agent a(x: int)");
    expect(m.decls.map((d) => d.doc)).toEqual(["A type.", "An agent."]);
  });
});

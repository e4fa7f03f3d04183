/** The whole program of LANGUAGE.md §1 parses cleanly into the expected shape, with spans that point back at the source. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Expr, ForStmt, IfStmt, RepeatStmt, StepStmt, WorkflowDecl } from "../../src/compiler/ast/ast.js";
import { parse } from "../../src/compiler/parser/index.js";
import { sexp } from "./helpers.js";

const text = readFileSync(new URL("./programs/feature.cm", import.meta.url), "utf8");
const { module, diagnostics } = parse(text, "examples/feature.cm");
const src = (span: { start: number; end: number }): string => text.slice(span.start, span.end);

describe("the LANGUAGE.md §1 program", () => {
  it("parses with no diagnostics", () => {
    expect(diagnostics).toEqual([]);
    expect(module.file).toBe("examples/feature.cm");
  });

  it("has the import with both names and its specifier", () => {
    expect(module.imports).toHaveLength(1);
    const imp = module.imports[0]!;
    expect(imp.names.map((n) => n.name.name)).toEqual(["claude", "codex"]);
    expect(imp.from).toBe("std/agents");
    expect(src(imp.fromSpan)).toBe('"std/agents"');
    expect(src(imp.span)).toBe('import { claude, codex } from "std/agents"');
  });

  it("has the Plan type with a list of records", () => {
    const plan = module.decls[0]!;
    expect(plan.kind).toBe("TypeDecl");
    expect(sexp(plan)).toBe(
      "(TypeDecl name=Plan exported=false type=(RecordType fields=[(RecordTypeField name=summary type=string) " +
        "(RecordTypeField name=tasks type=list<(RecordType fields=[(RecordTypeField name=title type=string) (RecordTypeField name=files type=list<string>)])>)]))",
    );
    expect(src(plan.span)).toMatch(/^type Plan = \{[\s\S]*\n\}$/);
  });

  const workflow = module.decls[1] as WorkflowDecl;

  it("has the exported workflow with its doc comment, parameters and return type", () => {
    expect(workflow.kind).toBe("WorkflowDecl");
    expect(workflow.name.name).toBe("feature");
    expect(workflow.exported).toBe(true);
    expect(workflow.doc).toBe("Scaffold a feature end to end.");
    expect(workflow.params.map((p) => `${p.name.name}: ${sexp(p.type)}${p.default ? " = " + sexp(p.default) : ""}`)).toEqual([
      "name: string",
      'standards: path = (str "docs/api-standards.md")',
    ]);
    expect(sexp(workflow.returns)).toBe("(RecordType fields=[(RecordTypeField name=summary type=string)])");
    expect(src(workflow.span).startsWith("export workflow feature(")).toBe(true);
    expect(src(workflow.span).endsWith("return { summary: plan.output.summary }\n}")).toBe(true);
  });

  it("has the statements of the body in order", () => {
    expect(workflow.body.statements.map((s) => s.kind)).toEqual([
      "AgentStmt",
      "AgentStmt",
      "RepeatStmt",
      "ForStmt",
      "RepeatStmt",
      "ReturnStmt",
    ]);
    expect(sexp(workflow.body.statements[0])).toBe('(AgentStmt name=architect value=(call claude model=(str "opus") permission=(str "plan")))');
  });

  it("has the first repeat with its triple-quoted prompt, until and else", () => {
    const repeat = workflow.body.statements[2] as RepeatStmt;
    expect(sexp(repeat.max)).toBe("3");
    expect(sexp(repeat.until)).toBe("review.approved");
    expect(sexp(repeat.otherwise)).toBe('(Block statements=[(EscalateStmt message=(str "the plan for " ${name} " was rejected 3 times"))])');
    const [plan, review] = repeat.body.statements as StepStmt[];
    expect(plan!.name.name).toBe("plan");
    const call = plan!.action as Expr & { kind: "CallExpr" };
    expect(sexp(call.callee)).toBe("architect.ask");
    expect(sexp(call.args[0])).toBe(
      '(str "Design the feature `" ${name} "` as independent tasks.\\nFollow these conventions:\\n" ${(call read standards)} ' +
        '"\\nReviewer feedback on the last plan: " ${(?? (call prev review)?.reason (str "none"))})',
    );
    expect(call.args.slice(1).map(sexp)).toEqual(["output=Plan", "timeout=1200000ms"]);
    expect(sexp(review!.action)).toBe('(call approve (str "Approve the plan for " ${name} "?\\n\\n" ${plan.output.summary}) timeout=86400000ms)');
  });

  it("has the for … parallel 3 loop", () => {
    const loop = workflow.body.statements[3] as ForStmt;
    expect(loop.variable.name).toBe("task");
    expect(sexp(loop.iterable)).toBe("plan.output.tasks");
    expect(loop.parallel).toBe(true);
    expect(sexp(loop.limit)).toBe("3");
    expect(sexp(loop.body.statements[0])).toBe(
      '(StepStmt name=build action=(call coder.ask (str "Implement: " ${task.title} "\\nTouch only: " ${(call join task.files (str ", "))}) retry=2))',
    );
  });

  it("has the nested if inside the second repeat", () => {
    const repeat = workflow.body.statements[4] as RepeatStmt;
    expect(sexp(repeat.max)).toBe("5");
    expect(repeat.otherwise).toBeUndefined();
    const [test, check] = repeat.body.statements;
    expect(sexp(test)).toBe('(StepStmt name=test action=(call sh (str "npm test") check=false))');
    const ifStmt = check as IfStmt;
    expect(ifStmt.kind).toBe("IfStmt");
    expect(sexp(ifStmt.condition)).toBe("(! test.ok)");
    expect(ifStmt.then.statements[0]!.kind).toBe("StepStmt");
    expect(ifStmt.otherwise).toBeUndefined();
  });

  it("maps spans of names, calls and interpolations back to the source text", () => {
    const repeat = workflow.body.statements[2] as RepeatStmt;
    const plan = repeat.body.statements[0] as StepStmt;
    expect(src(plan.name.span)).toBe("plan");
    expect(src(plan.span).startsWith('step plan = architect.ask("""')).toBe(true);
    expect(src(plan.span).endsWith("output: Plan, timeout: 20m)")).toBe(true);
    const call = plan.action as Expr & { kind: "CallExpr" };
    const prompt = call.args[0]!.value as Expr & { kind: "StringLit" };
    const interps = prompt.parts.filter((p) => p.kind === "InterpPart");
    expect(interps.map((p) => src(p.span))).toEqual(["${name}", "${read(standards)}", '${prev(review)?.reason ?? "none"}']);
    expect(interps.map((p) => src(p.expr.span))).toEqual(["name", "read(standards)", 'prev(review)?.reason ?? "none"']);
    expect(src(call.args[2]!.span)).toBe("timeout: 20m");
    const ret = workflow.body.statements[5]!;
    expect(src(ret.span)).toBe("return { summary: plan.output.summary }");
    const until = (workflow.body.statements[4] as RepeatStmt).until;
    expect(src(until.span)).toBe("test.ok");
  });
});

import { describe, expect, it } from "vitest";
import { compileSource, featureProgram } from "./helpers.js";

describe("the LANGUAGE.md §1 program", () => {
  it("checks with zero diagnostics", () => {
    expect(compileSource(featureProgram).diagnostics).toEqual([]);
  });

  it("with `test` misspelled in the last until gets the §10 diagnostic", () => {
    const source = featureProgram.replace("} until test.ok", "} until tset.ok");
    const [d, ...rest] = compileSource(source).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: "E0301",
      severity: "error",
      message: "unknown step `tset`",
      file: "main.cm",
      label: "not defined in workflow `feature`",
      help: "did you mean `test`?",
    });
    expect(source.slice(d!.span.start, d!.span.end)).toBe("tset");
  });

  it("reading the plan's output without a type is an error", () => {
    const source = featureProgram.replace(", output: Plan, timeout: 20m)", ", timeout: 20m)");
    expect(compileSource(source).diagnostics.map((d) => d.code)).toContain("E0306");
  });

  it("a wrong sandbox value lists the allowed ones", () => {
    const source = featureProgram.replace('sandbox: "workspace-write"', 'sandbox: "write"');
    const d = compileSource(source).diagnostics[0];
    expect(d?.code).toBe("E0308");
    expect(d?.help).toBe('expected one of "read-only", "workspace-write", "danger-full-access"');
  });
});

import { describe, expect, it } from "vitest";
import { codes, diags, first } from "./helpers.js";

const lib = 'export type Plan = { summary: string }\nexport workflow build(name: string) -> string { return name }\nworkflow hidden() { }\nexport let model = "opus"\n';

describe("modules", () => {
  it("a program importing the standard agents checks clean", () => {
    expect(diags('import { claude } from "std/agents"\nexport agent a = claude(model: "opus")\n')).toEqual([]);
  });

  it("a missing module is E0201 at the specifier", () => {
    const d = first('import { x } from "./nope.cm"\n');
    expect(d?.code).toBe("E0201");
    expect(d?.message).toBe("cannot find module `./nope.cm`");
  });

  it("an import path without ./ or std/ gets a help line", () => {
    expect(first('import { x } from "lib.cm"\n')?.help).toBe("import paths start with `./`, `../` or `std/`");
  });

  it("a name the module does not declare is E0202 with a suggestion", () => {
    const d = first('import { buld } from "./lib.cm"\n', { "lib.cm": lib });
    expect(d?.code).toBe("E0202");
    expect(d?.help).toBe("did you mean `build`?");
  });

  it("a name the module declares without export is E0202 saying so", () => {
    const d = first('import { hidden } from "./lib.cm"\n', { "lib.cm": lib });
    expect(d?.message).toBe("`hidden` is not exported by `lib.cm`");
  });

  it("imported workflows, types and lets can be used", () => {
    const src =
      'import { build, Plan, model } from "./lib.cm"\nexport workflow main() -> Plan {\n  step b = build(name: model)\n  return { summary: b }\n}\n';
    expect(diags(src, { "lib.cm": lib })).toEqual([]);
  });

  it("an import can be renamed with as", () => {
    const src = 'import { build as make } from "./lib.cm"\nexport workflow main() {\n  step b = make("x")\n}\n';
    expect(diags(src, { "lib.cm": lib })).toEqual([]);
  });

  it("an import cycle is E0203 at the import that closes it, naming the cycle", () => {
    const d = first('import { b } from "./b.cm"\nexport let a = 1\n', { "b.cm": 'import { a } from "./main.cm"\nexport let b = 2\n' });
    expect(d?.code).toBe("E0203");
    expect(d?.file).toBe("b.cm");
    expect(d?.message).toBe("import cycle: `main.cm` → `b.cm` → `main.cm`");
  });

  it("two declarations with one name are E0204", () => {
    expect(codes("export let x = 1\nexport let x = 2\n")).toEqual(["E0204"]);
  });

  it("a declaration clashing with an import is E0204", () => {
    expect(codes('import { claude } from "std/agents"\nexport let claude = 1\n')).toEqual(["E0204"]);
  });

  it("an agent constructor the runtime does not know is E0205", () => {
    const d = first("export agent robot(model: string?)\n");
    expect(d?.code).toBe("E0205");
    expect(d?.message).toBe("`robot` is not an agent constructor the runtime provides");
  });

  it("a constructor the runtime knows, declared outside std/agents, is E0205 too", () => {
    const d = first("export agent claude(model: string?, extra: int?)\n");
    expect(d?.code).toBe("E0205");
    expect(d?.help).toBe('import it: `import { claude } from "std/agents"`');
  });

  it("aliases resolve across modules", () => {
    const src = 'import { Plan } from "./lib.cm"\ntype Plans = list<Plan>\nexport workflow main(ps: Plans) -> string {\n  return ps[0].summary\n}\n';
    expect(diags(src, { "lib.cm": lib })).toEqual([]);
  });

  it("a field missing from an imported alias is E0306 naming the alias", () => {
    const src = 'import { Plan } from "./lib.cm"\nexport workflow main(p: Plan) -> string {\n  return p.sumary\n}\n';
    expect(diags(src, { "lib.cm": lib })).toEqual(["E0306 no field `sumary` on `Plan`"]);
  });

  it("a module with syntax errors reports them and is not type-checked", () => {
    const r = codes("export workflow main( {\n  step x = nope()\n}\n");
    expect(r.length).toBeGreaterThan(0);
    expect(r.every((c) => c.startsWith("E01"))).toBe(true);
  });

  it("importing from a module with syntax errors does not cascade into name errors", () => {
    const r = codes('import { x } from "./bad.cm"\nexport let y = x + 1\n', { "bad.cm": "export let x = = 1\n" });
    expect(r.every((c) => c.startsWith("E01"))).toBe(true);
  });

  it("diagnostics are sorted by file then offset", () => {
    const r = diags('import { b } from "./b.cm"\nexport let a = nope1\n', { "b.cm": "export let b = nope2\n" });
    expect(r).toEqual(["E0207 unknown name `nope2`", "E0207 unknown name `nope1`"]);
  });
});

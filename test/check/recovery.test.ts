import { describe, expect, it } from "vitest";
import { diags } from "./helpers.js";

const good = 'workflow good() {\n  step a = sh("echo hi")\n  step b = sh("echo ${a.stdot}")\n}\n';
const bad = 'workflow bad() -> string {\n  step x = sh("echo" +)\n  return x.stdout\n}\n';

describe("a syntax error in one declaration", () => {
  it("leaves the other declarations type-checked", () => {
    expect(diags(`${good}\n${bad}`)).toEqual(["E0306 no field `stdot` on `Shell`", "E0101 expected an expression, found `)`"]);
  });

  it("checks the declarations after it too", () => {
    expect(diags(`${bad}\n${good}`)).toEqual(["E0101 expected an expression, found `)`", "E0306 no field `stdot` on `Shell`"]);
  });

  it("spoils only its own declaration: what uses it is not reported again", () => {
    const uses = 'workflow uses() {\n  step c = bad()\n  step d = sh("echo ${c.whatever} ${nowhere}")\n}\n';
    expect(diags(`${bad}\n${uses}`)).toEqual(["E0101 expected an expression, found `)`", "E0207 unknown name `nowhere`"]);
  });

  it("spoils the declaration it follows when it lies between two", () => {
    const stray = 'workflow first() {\n  step a = sh("x")\n  step b = sh("echo ${a.nope}")\n}\n)\nworkflow second() {\n  step a = sh("x")\n  step b = sh("echo ${a.nope}")\n}\n';
    expect(diags(stray).map((d) => d.slice(0, 5))).toEqual(["E0101", "E0306"]);
  });

  it("among the imports stops the file's type check", () => {
    expect(diags(`import { claude from "std/agents"\n\n${good}`).map((d) => d.slice(0, 5))).toEqual(["E0101"]);
  });

  it("reports no unused top-level value (a damaged declaration's uses are unknown)", () => {
    expect(diags(`let limit = 3\n\n${bad}`)).toEqual(["E0101 expected an expression, found `)`"]);
    expect(diags("let limit = 3\n")).toEqual(["W0201 unused let `limit`"]);
  });
});

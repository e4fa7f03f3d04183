/**
 * Fixture tests of the checker: every `test/fixtures/check/<case>.cm` is compiled and its rendered
 * diagnostics are compared with `<case>.out` beside it (update with `npx vitest run
 * test/check-fixtures.test.ts -u`, then read the .out files). Also: every example and standard
 * library module checks without errors.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findCmFiles } from "../src/cli/commands/check.js";
import { nodeHost } from "../src/cli/node-host.js";
import { renderDiagnostics } from "../src/cli/render-diagnostics.js";
import { compile } from "../src/compiler/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixtures = path.join(root, "test", "fixtures", "check");
const host = nodeHost(root);

const cases = existsSync(fixtures)
  ? readdirSync(fixtures)
      .filter((f) => f.endsWith(".cm"))
      .sort()
  : [];

describe("check fixtures", () => {
  it("exist", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)("%s renders the expected diagnostics", async (name) => {
    const key = host.keyOf(path.join(fixtures, name));
    const result = compile(key, host);
    expect(result.diagnostics.length, "a fixture must produce at least one diagnostic").toBeGreaterThan(0);
    const rendered = `${renderDiagnostics(result.diagnostics, result.sources, { color: false })}\n`;
    await expect(rendered).toMatchFileSnapshot(path.join(fixtures, name.replace(/\.cm$/, ".out")));
  });
});

/** The `.cm` files under `dir` (relative to the repository), or none when the folder does not exist. */
function programsIn(dir: string): string[] {
  const abs = path.join(root, dir);
  return existsSync(abs) ? findCmFiles(abs).map((f) => host.keyOf(f)) : [];
}

for (const dir of ["examples", "stdlib"]) {
  describe(`${dir}/`, () => {
    const programs = programsIn(dir);

    it.runIf(existsSync(path.join(root, dir)))("holds .cm files", () => {
      expect(programs.length).toBeGreaterThan(0);
    });

    it.each(programs)("%s checks without errors", (key) => {
      const result = compile(key, host);
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      expect(renderDiagnostics(errors, result.sources, { color: false })).toBe("");
    });
  });
}

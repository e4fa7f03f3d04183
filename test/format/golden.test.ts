/**
 * Golden files of the formatter: every `golden/<case>.before.cm` formats to `golden/<case>.after.cm`
 * (update with `npx vitest run test/format/golden.test.ts -u`, then read the .after.cm files), and
 * the result is a fixed point. Adding a case is adding a `.before.cm` file.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatSource } from "../../src/compiler/format/index.js";

const golden = fileURLToPath(new URL("./golden", import.meta.url));
const cases = readdirSync(golden)
  .filter((f) => f.endsWith(".before.cm"))
  .map((f) => f.slice(0, -".before.cm".length))
  .sort();

function formatted(text: string, file: string): string {
  const result = formatSource(text, file);
  if (!result.ok) throw new Error(`${file} does not format: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.text;
}

describe("formatter golden files", () => {
  it("exist", () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  it.each(cases)("%s formats as its .after.cm", async (name) => {
    const before = readFileSync(path.join(golden, `${name}.before.cm`), "utf8");
    const after = formatted(before, `${name}.before.cm`);
    expect(after).not.toBe(before);
    await expect(after).toMatchFileSnapshot(path.join(golden, `${name}.after.cm`));
    expect(formatted(after, `${name}.after.cm`)).toBe(after);
  });
});

/** Every example type-checks cleanly, says how to run it, and together they use every agent CLI. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";

const dir = path.join(repoRoot, "examples");
const examples = readdirSync(dir).filter((f) => f.endsWith(".cm"));

it("cmc check --strict reports no diagnostic at all, not even a warning, for the examples folder", async () => {
  const r = await runCli(["check", "examples", "--strict", "--format", "json"]);
  expect(JSON.parse(r.stdout)).toEqual([]);
  expect(r.code).toBe(0);
});

it("there is an example for each pattern, each opening with a comment that says how to run it", () => {
  expect(examples).toEqual(
    expect.arrayContaining(["autonomous.cm", "bugfix.cm", "feature.cm", "hello.cm", "human-in-the-loop.cm", "refine.cm", "supervised.cm", "team.cm"]),
  );
  for (const file of examples) {
    const text = readFileSync(path.join(dir, file), "utf8");
    expect(text.startsWith(`// examples/${file} — `), file).toBe(true);
    expect(text, file).toMatch(/^\/\/ .*cmc run examples\//m);
  }
});

it("the examples together use every agent constructor that runs a real CLI", () => {
  const used = new Set<string>();
  for (const file of examples) {
    const text = readFileSync(path.join(dir, file), "utf8");
    for (const m of text.matchAll(/^\s*agent \w+ = (\w+)\(/gm)) used.add(m[1] as string);
  }
  for (const ctor of ["claude", "codex", "gemini", "opencode", "cursor"]) expect(used, ctor).toContain(ctor);
});

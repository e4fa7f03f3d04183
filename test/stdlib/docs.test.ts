/** The standard library documents every export, and every exported workflow has a test here. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const modules = ["agents.cm", "patterns.cm", "git.cm"].map((file) => ({
  file,
  lines: readFileSync(path.join(repoRoot, "stdlib", file), "utf8").split("\n"),
}));

it("every exported workflow, agent and type in stdlib/ has a /// doc comment right above it", () => {
  for (const { file, lines } of modules) {
    lines.forEach((line, i) => {
      if (/^export (workflow|agent|type) /.test(line)) expect(lines[i - 1] ?? "", `${file}:${i + 1} ${line}`).toMatch(/^\/\/\/ /);
    });
  }
});

it("the exported workflows are exactly the ones test/stdlib runs", () => {
  const exported = modules.flatMap(({ file, lines }) =>
    lines.flatMap((l) => {
      const m = /^export workflow (\w+)/.exec(l);
      return m ? [`${file}:${m[1]}`] : [];
    }),
  );
  expect(exported.sort()).toEqual(
    [
      "patterns.cm:testAndFix",
      "patterns.cm:authorReview",
      "patterns.cm:planApproveBuild",
      "patterns.cm:qualityGate",
      "git.cm:branch",
      "git.cm:diff",
      "git.cm:commit",
    ].sort(),
  );
});

/** The `.cm` programs shown in the README and the docs are real: each checks clean, warnings included. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compiler/index.js";
import { nodeHost } from "../src/cli/node-host.js";
import { repoRoot } from "./helpers/cli.js";

const pages = ["README.md", "docs/language.md", "docs/agents.md", "docs/ir.md"];

describe.each(pages)("the programs in %s", (page) => {
  const text = readFileSync(`${repoRoot}/${page}`, "utf8");
  const blocks = [...text.matchAll(/```cm\n([\s\S]*?)```/g)].map((m) => m[1] as string);

  it("are there", () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))("block %i checks with no diagnostics", (_n, source) => {
    // The block is module `doc.cm` at the repository root; its imports resolve as on disk.
    const disk = nodeHost(repoRoot);
    const result = compile("doc.cm", { resolve: disk.resolve.bind(disk), read: (file) => (file === "doc.cm" ? source : disk.read(file)) });
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });
});

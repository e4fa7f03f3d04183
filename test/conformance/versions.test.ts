/**
 * The CLIs the suite runs are the versions verified.ts names (their own `--version` says so), and
 * docs/agents.md's Conformance table lists the same versions.
 */
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { VERIFIED, parseVersion } from "../../src/runtime/agents/verified.js";
import { REAL_CLIS, cliBin, pinned, privateHome } from "./harness/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the conformance CLIs", () => {
  it.each(REAL_CLIS)("%s reports the version verified.ts pins", async (cli) => {
    const home = privateHome();
    try {
      const r = await execa(cliBin(cli), ["--version"], { env: home.env(), extendEnv: false, cwd: home.workspace, reject: false, timeout: 60_000 });
      expect(parseVersion(`${r.stdout}\n${r.stderr}`)).toBe(pinned(cli).version);
    } finally {
      home.remove();
    }
  });

  it("are the ones docs/agents.md's Conformance table lists", () => {
    const doc = readFileSync(path.join(root, "docs/agents.md"), "utf8");
    const table = doc.slice(doc.indexOf("| CLI | npm package | verified version |"));
    for (const [name, v] of Object.entries(VERIFIED)) {
      const cells = table.split("\n").find((l) => l.startsWith(`| \`${name}\` |`))?.split("|").map((c) => c.trim());
      const expected = v.npm ? [`\`${v.npm}\``, v.versions.join(", ")] : ["not on npm", "none"];
      expect([name, cells?.[2], cells?.[3]]).toEqual([name, ...expected]);
    }
  });
});

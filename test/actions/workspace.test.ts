import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StepError } from "../../src/runtime/errors.js";
import { expandBraces, globPaths, pathExists, readText, resolveInside } from "../../src/runtime/workspace.js";
import { removeDir, tempDir } from "./helpers.js";

let workspace: string;
let outside: string;

beforeEach(() => {
  workspace = tempDir("cmc-ws-");
  outside = tempDir("cmc-outside-");
});
afterEach(() => {
  removeDir(workspace);
  removeDir(outside);
});

function files(paths: readonly string[]): void {
  for (const p of paths) {
    mkdirSync(path.dirname(path.join(workspace, p)), { recursive: true });
    writeFileSync(path.join(workspace, p), p);
  }
}

describe("resolveInside", () => {
  it("resolves relative paths against the workspace and normalises `..` that stays inside", () => {
    expect(resolveInside(workspace, "src/../docs/a.md", false)).toBe(path.join(workspace, "docs/a.md"));
    expect(resolveInside(workspace, ".", false)).toBe(workspace);
    expect(resolveInside(workspace, path.join(workspace, "x"), false)).toBe(path.join(workspace, "x"));
  });

  it("rejects a path that climbs out, naming it and the flag that allows it", () => {
    const attempt = () => resolveInside(workspace, "../secret", false);
    expect(attempt).toThrow(StepError);
    expect(attempt).toThrow(`path \`../secret\` is outside the workspace ${workspace}; pass --allow-outside to allow it`);
    expect(() => resolveInside(workspace, "/etc/passwd", false)).toThrow(/outside the workspace/);
  });

  it("rejects a sibling folder whose name starts with the workspace's", () => {
    expect(() => resolveInside(workspace, `../${path.basename(workspace)}-other/x`, false)).toThrow(/outside/);
  });

  it("follows symlinks, also for paths below a link that do not exist yet", () => {
    symlinkSync(outside, path.join(workspace, "link"));
    expect(() => resolveInside(workspace, "link", false)).toThrow(/outside/);
    expect(() => resolveInside(workspace, "link/new/file.txt", false)).toThrow(/outside/);
  });

  it("accepts a symlink that points elsewhere inside the workspace", () => {
    files(["real/a.txt"]);
    symlinkSync(path.join(workspace, "real"), path.join(workspace, "alias"));
    expect(resolveInside(workspace, "alias/a.txt", false)).toBe(path.join(workspace, "alias/a.txt"));
  });

  it("allows anything with allowOutside", () => {
    expect(resolveInside(workspace, "../elsewhere", true)).toBe(path.join(path.dirname(workspace), "elsewhere"));
  });

  it("is an error of kind runtime that is not retried", () => {
    try {
      resolveInside(workspace, "..", false);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ kind: "runtime", retryable: false });
    }
  });
});

describe("readText and pathExists", () => {
  it("read a file inside the workspace and tell whether paths exist", () => {
    files(["notes/a.md"]);
    expect(readText(workspace, "notes/a.md", false)).toBe("notes/a.md");
    expect(pathExists(workspace, "notes/a.md", false)).toBe(true);
    expect(pathExists(workspace, "notes", false)).toBe(true);
    expect(pathExists(workspace, "notes/b.md", false)).toBe(false);
  });

  it("report a missing file as a runtime error naming it", () => {
    expect(() => readText(workspace, "nope.txt", false)).toThrow("cannot read `nope.txt`: no such file");
  });

  it("refuse to read outside the workspace, through a symlink too, unless allowed", () => {
    writeFileSync(path.join(outside, "secret.txt"), "secret");
    symlinkSync(path.join(outside, "secret.txt"), path.join(workspace, "innocent.txt"));
    expect(() => readText(workspace, "innocent.txt", false)).toThrow(/outside the workspace/);
    expect(() => readText(workspace, path.join(outside, "secret.txt"), false)).toThrow(/outside the workspace/);
    expect(() => pathExists(workspace, path.join(outside, "secret.txt"), false)).toThrow(/outside the workspace/);
    expect(readText(workspace, "innocent.txt", true)).toBe("secret");
  });
});

describe("globPaths", () => {
  beforeEach(() => {
    files([
      "README.md",
      "src/main.ts",
      "src/util.ts",
      "src/util.test.ts",
      "src/deep/er/x.ts",
      "src/.hidden.ts",
      "docs/a.md",
      "docs/b.txt",
      "node_modules/pkg/index.ts",
      ".git/config.ts",
      ".cmc/logs/x.ts",
      ".github/ci.ts",
    ]);
  });

  it("matches `*` within one folder, sorted and workspace-relative", () => {
    expect(globPaths(workspace, "src/*.ts", false)).toEqual(["src/main.ts", "src/util.test.ts", "src/util.ts"]);
  });

  it("matches `**` across any number of folders, skipping .git, node_modules, .cmc and dotfiles", () => {
    expect(globPaths(workspace, "**/*.ts", false)).toEqual([
      "src/deep/er/x.ts",
      "src/main.ts",
      "src/util.test.ts",
      "src/util.ts",
    ]);
    expect(globPaths(workspace, "src/**", false)).toEqual([
      "src/deep",
      "src/deep/er",
      "src/deep/er/x.ts",
      "src/main.ts",
      "src/util.test.ts",
      "src/util.ts",
    ]);
  });

  it("matches `?` and `{a,b}` alternatives", () => {
    expect(globPaths(workspace, "docs/?.{md,txt}", false)).toEqual(["docs/a.md", "docs/b.txt"]);
    expect(globPaths(workspace, "{src,docs}/{main,a}.*", false)).toEqual(["docs/a.md", "src/main.ts"]);
  });

  it("matches a leading dot only when the pattern spells it", () => {
    expect(globPaths(workspace, "src/.*", false)).toEqual(["src/.hidden.ts"]);
    expect(globPaths(workspace, ".github/*", false)).toEqual([".github/ci.ts"]);
  });

  it("returns a literal path only when it exists, and nothing for a missing folder", () => {
    expect(globPaths(workspace, "README.md", false)).toEqual(["README.md"]);
    expect(globPaths(workspace, "MISSING.md", false)).toEqual([]);
    expect(globPaths(workspace, "missing/*.ts", false)).toEqual([]);
  });

  it("does not follow a symlinked folder out of the workspace and rejects patterns rooted outside", () => {
    writeFileSync(path.join(outside, "leak.ts"), "");
    symlinkSync(outside, path.join(workspace, "src/outside"));
    expect(globPaths(workspace, "**/*.ts", false)).not.toContain("src/outside/leak.ts");
    expect(() => globPaths(workspace, "../*", false)).toThrow(/outside the workspace/);
    expect(globPaths(workspace, `${outside}/*.ts`, true)).toEqual([path.join(outside, "leak.ts")]);
  });
});

describe("expandBraces", () => {
  it("expands nested alternatives and leaves an unmatched brace alone", () => {
    expect(expandBraces("a{b,c{d,e}}f")).toEqual(["abf", "acdf", "acef"]);
    expect(expandBraces("a{b")).toEqual(["a{b"]);
  });
});

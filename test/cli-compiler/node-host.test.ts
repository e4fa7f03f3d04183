/** The file-system compiler host: module keys, resolution of imports, the standard library. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost, stdlibDir } from "../../src/cli/node-host.js";

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "cmc-host-"));
  mkdirSync(path.join(root, "flows", "lib"), { recursive: true });
  writeFileSync(path.join(root, "flows", "main.cm"), "workflow main() {}\n");
  writeFileSync(path.join(root, "flows", "lib", "util.cm"), "export let x = 1\n");
  writeFileSync(path.join(root, "shared.cm"), "export let y = 2\n");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("nodeHost", () => {
  it("keys files by their posix path relative to the working folder", () => {
    const host = nodeHost(root);
    expect(host.keyOf(path.join(root, "flows", "main.cm"))).toBe("flows/main.cm");
    expect(host.keyOf("flows/lib/util.cm")).toBe("flows/lib/util.cm");
  });

  it("keys files outside the working folder by their absolute path", () => {
    const host = nodeHost(path.join(root, "flows"));
    const key = host.keyOf(path.join(root, "shared.cm"));
    expect(key).toBe(path.join(root, "shared.cm").split(path.sep).join("/"));
    expect(host.read(key)).toBe("export let y = 2\n");
  });

  it("resolves ./ and ../ imports relative to the importing module", () => {
    const host = nodeHost(root);
    expect(host.resolve("flows/main.cm", "./lib/util.cm")).toBe("flows/lib/util.cm");
    expect(host.resolve("flows/lib/util.cm", "../main.cm")).toBe("flows/main.cm");
    expect(host.resolve("flows/main.cm", "../shared.cm")).toBe("shared.cm");
  });

  it("appends .cm to a relative specifier that names no file as written", () => {
    expect(nodeHost(root).resolve("flows/main.cm", "./lib/util")).toBe("flows/lib/util.cm");
  });

  it("resolves nothing for a missing file or a bare specifier", () => {
    const host = nodeHost(root);
    expect(host.resolve("flows/main.cm", "./nope.cm")).toBeUndefined();
    expect(host.resolve("flows/main.cm", "lib/util.cm")).toBeUndefined();
    expect(host.resolve("flows/main.cm", "std/no_such_module")).toBeUndefined();
    expect(host.read("flows/nope.cm")).toBeUndefined();
  });

  it("reads user modules by key", () => {
    expect(nodeHost(root).read("flows/lib/util.cm")).toBe("export let x = 1\n");
  });

  it("locates the standard library in the package's stdlib folder", () => {
    expect(stdlibDir()).toBe(path.resolve(import.meta.dirname, "..", "..", "stdlib"));
  });

  it("keys standard library modules std/<name>, also for relative imports inside it", () => {
    const std = path.join(root, "std-lib");
    mkdirSync(std, { recursive: true });
    writeFileSync(path.join(std, "probe.cm"), "export let z = 3\n");
    writeFileSync(path.join(std, "other.cm"), "export let w = 4\n");
    const host = nodeHost(root, { stdlib: std });
    expect(host.resolve("flows/main.cm", "std/probe")).toBe("std/probe");
    expect(host.resolve("flows/main.cm", "std/probe.cm")).toBe("std/probe");
    expect(host.resolve("std/probe", "./other.cm")).toBe("std/other");
    expect(host.read("std/probe")).toBe("export let z = 3\n");
    expect(host.keyOf(path.join(std, "probe.cm"))).toBe("std/probe");
  });
});

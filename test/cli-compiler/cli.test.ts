/** `cmc check`, `cmc compile` and `cmc graph` run as real processes in a temporary workspace. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { irProgramSchema } from "../../src/compiler/ir/schema.js";
import { runCli } from "../helpers/cli.js";

let ws: string;

const files: Record<string, string> = {
  "good.cm": `workflow main() {\n  step hello = sh("echo hi")\n}\n`,
  "bad.cm": `workflow main() {\n  step hello = sh("echo hi")\n  step again = sh("echo \${helo.stdout}")\n}\n`,
  "warn.cm": `workflow main() {\n  let unused = 1\n  step hello = sh("echo hi")\n}\n`,
  "two.cm": `workflow build() {\n  step a = sh("make")\n}\n\nworkflow deploy() {\n  step b = sh("ship")\n}\n`,
  "flow.cm": [
    `import { codex } from "std/agents"`,
    ``,
    `workflow main(name: string) {`,
    `  agent coder = codex(sandbox: "workspace-write")`,
    `  repeat max 3 {`,
    `    step plan = coder.ask("Plan \${name}")`,
    `    step review = approve("Approve?")`,
    `  } until review.approved`,
    `  for task in ["a", "b"] parallel 2 {`,
    `    step build = sh("make \${task}")`,
    `  }`,
    `  if !review.approved {`,
    `    step fix = sh("fix")`,
    `  }`,
    `}`,
    ``,
  ].join("\n"),
  "fails.cm": `workflow main() {\n  step first = sh("true")\n  step boom = sh("exit 3")\n  step never = sh("true")\n}\n`,
  "shared/lib.cm": `export let broken = nope\n`,
  "shared/a.cm": `import { broken } from "./lib.cm"\nworkflow main() {\n  step s = sh("echo \${broken}")\n}\n`,
  "shared/b.cm": `import { broken } from "./lib"\nworkflow main() {\n  step t = sh("echo \${broken}")\n}\n`,
  "nested/deep/one.cm": `workflow main() {\n  step x = sh("true")\n}\n`,
  "nested/deep/broken.cm": `workflow main() {\n  step x = sh(\n}\n`,
  "node_modules/ignored.cm": `this is not a program`,
};

beforeAll(() => {
  ws = mkdtempSync(path.join(tmpdir(), "cmc-cli-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
    writeFileSync(path.join(ws, name), text);
  }
  mkdirSync(path.join(ws, "empty"));
});

afterAll(() => rmSync(ws, { recursive: true, force: true }));

const cmc = (args: string[], env?: Record<string, string | undefined>) => runCli(args, { cwd: ws, ...(env ? { env } : {}) });

describe("the command line", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

  it("prints package.json's version for --version and -V, also after other flags", async () => {
    for (const args of [["--version"], ["-V"], ["--store", "elsewhere", "--version"], ["--bogus", "-V"]]) {
      expect(await cmc(args)).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    }
  });

  it("lists the commands for --help and exits 0", async () => {
    const r = await cmc(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: cmc \[options\] \[command\]/);
    expect(r.stdout).toMatch(/-V, --version +output the version number/);
    expect(r.stdout).toMatch(/^ +status \[options\] \[run\] +show a run, or every run$/m);
  });

  it("rejects an unknown flag as a usage error", async () => {
    expect(await cmc(["--bogus"])).toEqual({ code: 2, stdout: "", stderr: "error: unknown option '--bogus'\n(run `cmc help` for usage)\n" });
  });
});

describe("cmc check", () => {
  it("exits 0 and prints nothing for a clean file", async () => {
    const r = await cmc(["check", "good.cm"]);
    expect(r).toMatchObject({ code: 0, stdout: "" });
    expect(r.stderr).toBe("");
  });

  it("exits 1 and renders errors with their location and a summary on stderr", async () => {
    const r = await cmc(["check", "bad.cm"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error\[E0301\]: unknown step `helo`$/m);
    expect(r.stderr).toContain(" --> bad.cm:3:");
    expect(r.stderr).toContain("3 |   step again = sh(\"echo ${helo.stdout}\")");
    expect(r.stderr).toMatch(/\^\^\^\^/);
    expect(r.stderr.trimEnd().split("\n").at(-1)).toBe("error: 1 error in 1 file");
    expect(r.stderr).not.toContain("\u001b[");
  });

  it("colours output when FORCE_COLOR is set and not when NO_COLOR is", async () => {
    const forced = await cmc(["check", "bad.cm"], { NO_COLOR: undefined, FORCE_COLOR: "1" });
    expect(forced.stderr).toContain("\u001b[");
    const plain = await cmc(["check", "bad.cm"], { NO_COLOR: "1", FORCE_COLOR: "1" });
    expect(plain.stderr).not.toContain("\u001b[");
  });

  it("prints diagnostics as one JSON array on stdout with --format json", async () => {
    const r = await cmc(["check", "bad.cm", "good.cm", "--format", "json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(json).toHaveLength(1);
    expect(Object.keys(json[0]!).sort()).toEqual(
      ["code", "column", "endColumn", "endLine", "file", "help", "line", "message", "severity"].sort(),
    );
    expect(json[0]).toMatchObject({ severity: "error", file: "bad.cm", line: 3 });
    expect(json[0]!.endColumn as number).toBeGreaterThan(json[0]!.column as number);
  });

  it("prints an empty JSON array for clean files", async () => {
    const r = await cmc(["check", "good.cm", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it("passes with warnings but fails on them with --strict", async () => {
    const loose = await cmc(["check", "warn.cm"]);
    expect(loose.code).toBe(0);
    expect(loose.stderr).toMatch(/^warning\[W0201\]: unused .*`unused`/m);
    expect(loose.stderr.trimEnd().split("\n").at(-1)).toBe("warning: 1 warning in 1 file");
    const strict = await cmc(["check", "warn.cm", "--strict"]);
    expect(strict.code).toBe(1);
  });

  it("checks every .cm file in a folder recursively, skipping node_modules", async () => {
    const r = await cmc(["check", "nested", "--format", "json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { file: string; code: string }[];
    expect(json.length).toBeGreaterThan(0);
    expect(new Set(json.map((d) => d.file))).toEqual(new Set(["nested/deep/broken.cm"]));
    expect(json.every((d) => d.code.startsWith("E01"))).toBe(true);
  });

  it("reports an error of a module imported by several checked files once", async () => {
    const r = await cmc(["check", "shared", "--format", "json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { file: string; message: string }[];
    expect(json.filter((d) => d.file === "shared/lib.cm")).toHaveLength(1);
    expect(json[0]!.message).toContain("`nope`");
  });

  it("checks the working folder when given no paths, never reading node_modules", async () => {
    const r = await cmc(["check", "--format", "json"]);
    const json = JSON.parse(r.stdout) as { file: string }[];
    const checked = new Set(json.map((d) => d.file));
    expect(checked.has("bad.cm")).toBe(true);
    expect(checked.has("nested/deep/broken.cm")).toBe(true);
    expect([...checked].some((f) => f.includes("node_modules"))).toBe(false);
  });

  it("reports a missing path or a folder without .cm files as a usage error", async () => {
    const missing = await cmc(["check", "nope.cm"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file or folder: nope.cm");
    const empty = await cmc(["check", "empty"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no .cm files in empty");
  });

  it("checks sources large enough for the raised interrupt budget like any other", async () => {
    const big = Array.from({ length: 400 }, (_, i) => `workflow w${i}() {\n  step s = sh("echo ${i}")\n}\n`).join("\n");
    writeFileSync(path.join(ws, "big.cm"), big);
    expect(big.length).toBeGreaterThan(10_000);
    expect(await cmc(["check", "big.cm"])).toEqual({ code: 0, stdout: "", stderr: "" });
    writeFileSync(path.join(ws, "big-bad.cm"), `${big}\nworkflow last() {\n  step t = sh("echo \${nope.stdout}")\n}\n`);
    const bad = await cmc(["check", "big-bad.cm"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("`nope`");
  });

  it("rejects an unknown flag or format as a usage error", async () => {
    expect((await cmc(["check", "good.cm", "--bogus"])).code).toBe(2);
    expect((await cmc(["check", "good.cm", "--format", "xml"])).code).toBe(2);
  });
});

describe("cmc compile", () => {
  it("prints valid IR JSON with two-space indentation", async () => {
    const r = await cmc(["compile", "flow.cm"]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('{\n  "version": 1,')).toBe(true);
    const ir = irProgramSchema.parse(JSON.parse(r.stdout));
    expect(ir.root).toBe("flow.cm");
    expect(Object.keys(ir.workflows)).toContain("flow.cm:main");
  });

  it("writes the IR to a file with -o, creating its folder", async () => {
    const r = await cmc(["compile", "good.cm", "-o", "out/good.json"]);
    expect(r).toMatchObject({ code: 0, stdout: "" });
    const ir = irProgramSchema.parse(JSON.parse(readFileSync(path.join(ws, "out", "good.json"), "utf8")));
    expect(ir.workflows["good.cm:main"]?.name).toBe("main");
  });

  it("exits 2 with diagnostics on stderr for a program with errors", async () => {
    const r = await cmc(["compile", "bad.cm"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error\[E/m);
  });

  it("exits 2 for a missing file", async () => {
    const r = await cmc(["compile", "missing.cm"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no such file: missing.cm");
  });
});

describe("cmc graph", () => {
  it("draws a Mermaid flowchart with step boxes, a gate, loop subgraphs and an if diamond", async () => {
    const r = await cmc(["graph", "flow.cm"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n").map((l) => l.trim());
    expect(lines[0]).toBe("flowchart TD");
    expect(lines).toContain('n_plan["plan: coder.ask"]');
    expect(lines).toContain('n_review{{"review: approve"}}');
    expect(lines).toContain('n_build["build: sh"]');
    expect(lines.some((l) => /^subgraph \S+ \["repeat max 3 … until review\.approved"\]$/.test(l))).toBe(true);
    expect(lines.some((l) => /^subgraph \S+ \["for task in \[.*\] parallel 2"\]$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\S+\{"if !review\.approved"\}$/.test(l))).toBe(true);
    expect(lines.some((l) => /-->\|"true"\| n_fix$/.test(l))).toBe(true);
  });

  it("draws DOT with --format dot", async () => {
    const r = await cmc(["graph", "flow.cm", "--format", "dot"]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('digraph "main" {')).toBe(true);
    expect(r.stdout).toContain('n_review [label="review: approve", shape=hexagon];');
    expect(r.stdout).toContain("subgraph cluster_");
  });

  it("asks which workflow to draw when the file has several and none is main", async () => {
    const r = await cmc(["graph", "two.cm"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("two.cm has several workflows (`build`, `deploy`); choose one with --workflow");
    const chosen = await cmc(["graph", "two.cm", "--workflow", "deploy"]);
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toContain('n_b["b: sh"]');
    expect((await cmc(["graph", "two.cm", "-w", "nope"])).code).toBe(2);
  });

  it("exits 2 for a program with errors", async () => {
    expect((await cmc(["graph", "bad.cm"])).code).toBe(2);
  });

  it("colours a run's steps with --run: done, failed, and skipped after the failure", async () => {
    const run = await cmc(["run", "fails.cm", "--json"]);
    expect(run.code).toBe(1);
    const id = (JSON.parse(run.stdout) as { run: string }).run;
    // The run's stored graph is drawn, even after the file changes.
    writeFileSync(path.join(ws, "fails.cm"), "this no longer parses\n");
    const r = await cmc(["graph", "fails.cm", "--run", id]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n").map((l) => l.trim());
    expect(lines).toContain("class n_first done");
    expect(lines).toContain("class n_boom failed");
    expect(lines).toContain("class n_never skipped");
    const dot = await cmc(["graph", "fails.cm", "--run", id, "--format", "dot"]);
    expect(dot.stdout).toContain('n_boom [label="boom: sh", shape=box, style="filled,rounded", fillcolor="#ffe3e3"];');
    // Another file's graph is not drawn with this run's state.
    const other = await cmc(["graph", "good.cm", "--run", id]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`run ${id} is a run of fails.cm, not of good.cm`);
  });

  it("reports an unknown run, or a folder without a store, as a usage error", async () => {
    const unknown = await cmc(["graph", "good.cm", "--run", "zzzzzz"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no run `zzzzzz`");
    const nowhere = await cmc(["--store", path.join(ws, "no-store"), "graph", "good.cm", "--run", "x"]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain("does not exist");
  });
});

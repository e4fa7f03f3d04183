/** `cmc fmt` and `cmc fmt --check` through the real CLI, in a temporary folder. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const formatted = 'workflow main() {\n  step a = sh("echo hi")\n}\n';
const unformatted = 'workflow main() { step a = sh( "echo hi" ) }\n';
const broken = "workflow main( {\n";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cmc-fmt-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), text);
}
const read = (name: string) => readFileSync(path.join(dir, name), "utf8");

describe("cmc fmt", () => {
  it("rewrites every .cm file under the folder in place, skipping node_modules, .git and .cmc", async () => {
    write("a.cm", unformatted);
    write("sub/b.cm", unformatted);
    write("ok.cm", formatted);
    for (const skipped of ["node_modules/x.cm", ".git/x.cm", ".cmc/x.cm"]) write(skipped, unformatted);
    const result = await runCli(["fmt"], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect([read("a.cm"), read("sub/b.cm"), read("ok.cm")]).toEqual([formatted, formatted, formatted]);
    for (const skipped of ["node_modules/x.cm", ".git/x.cm", ".cmc/x.cm"]) expect(read(skipped)).toBe(unformatted);
  });

  it("formats only the files it is given", async () => {
    write("a.cm", unformatted);
    write("b.cm", unformatted);
    expect((await runCli(["fmt", "a.cm"], { cwd: dir })).code).toBe(0);
    expect([read("a.cm"), read("b.cm")]).toEqual([formatted, unformatted]);
  });

  it("reports a file that does not parse as `cmc check` does, exits 1, and still formats the others", async () => {
    write("a.cm", unformatted);
    write("bad.cm", broken);
    const result = await runCli(["fmt"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[E0101]: expected a parameter or `)`, found `{`\n --> bad.cm:1:16");
    expect(result.stderr).toContain("error: 1 error in 1 file");
    expect(read("a.cm")).toBe(formatted);
    expect(read("bad.cm")).toBe(broken);
    const checked = await runCli(["check", "bad.cm"], { cwd: dir });
    expect((await runCli(["fmt", "bad.cm"], { cwd: dir })).stderr).toBe(checked.stderr);
  });

  it("says a bad flag with the usage hint and exits 2", async () => {
    const result = await runCli(["fmt", "--chek"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--chek'");
  });
});

describe("cmc fmt --check", () => {
  it("lists the files that would change, writes nothing, and exits 1", async () => {
    write("a.cm", unformatted);
    write("sub/b.cm", unformatted);
    write("ok.cm", formatted);
    const result = await runCli(["fmt", "--check"], { cwd: dir });
    expect(result).toMatchObject({ code: 1, stdout: "a.cm\nsub/b.cm\n", stderr: "" });
    expect([read("a.cm"), read("sub/b.cm")]).toEqual([unformatted, unformatted]);
  });

  it("exits 0 when every file is formatted", async () => {
    write("ok.cm", formatted);
    expect(await runCli(["fmt", "--check", "ok.cm"], { cwd: dir })).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });

  it("exits 1 for a file that does not parse", async () => {
    write("ok.cm", formatted);
    write("bad.cm", broken);
    const result = await runCli(["fmt", "--check"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("bad.cm:1:16");
  });
});

/** Hostile values against the real CLI, `/bin/sh` and a real store: they stay data, never syntax or options. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workspace, type Workspace } from "./workspace.js";

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

const HOSTILE = "; touch pwned";

describe("shell injection", () => {
  it("refuses the issue's program (a built string run as a command) before anything runs", async () => {
    ws.write(
      "built.cm",
      `workflow main(x: string) {
        let c = "echo \${x}"
        step s = sh(c)
      }`,
    );
    const r = await ws.cmc(["run", "built.cm", "--input", `x=${HOSTILE}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("E0331");
    expect(r.stderr).toContain("raw(…)");
    expect(ws.has("pwned")).toBe(false);
  });

  it("quotes a hostile value on every path that reaches a shell: command parameters, calls, std/patterns, json, `+`", async () => {
    ws.write(
      "paths.cm",
      `import { testAndFix, qualityGate } from "std/patterns"
      import { scripted } from "std/agents"
      workflow run(cmd: command) -> string {
        step s = sh(cmd)
        step t = sh("\${cmd} | tr a-z A-Z")
        return trim(s.stdout) + "/" + trim(t.stdout)
      }
      workflow main(x: string) -> list<string> {
        let j = json(tojson({ v: x }))
        step a = run(cmd: "echo \${x}")
        step b = run(cmd: "echo \\"\${x}\\" '\${x}'")
        step c = sh("echo \${j.v} \${"pre" + x}")
        step d = testAndFix(fixer: scripted(file: "none.json"), command: "echo \${x}", rounds: 1)
        step e = qualityGate(commands: ["echo \${x}", "test \${x} = \\"\${x}\\""])
        return [a, b, trim(c.stdout), d.output]
      }`,
    );
    const r = await ws.cmc(["run", "paths.cm", "--input", `x=${HOSTILE}`, "--json"]);
    expect(r.stderr).not.toContain("pwned:");
    expect(ws.json(r).status).toBe("succeeded");
    expect(ws.json(r).result).toEqual([
      `${HOSTILE}/${HOSTILE.toUpperCase()}`,
      `${HOSTILE} ${HOSTILE}/${HOSTILE.toUpperCase()} ${HOSTILE.toUpperCase()}`,
      `${HOSTILE} pre${HOSTILE}`,
      `${HOSTILE}\n`,
    ]);
    expect(ws.has("pwned")).toBe(false);
  });

  it("runs a command input as the shell text its runner gave", async () => {
    ws.write("cmd.cm", `workflow main(check: command) -> string {\n  step s = sh(check)\n  return trim(s.stdout)\n}`);
    const r = await ws.cmc(["run", "cmd.cm", "--input", "check=echo a | tr a b", "--json"]);
    expect(ws.json(r).result).toBe("b");
  });
});

describe("evaluation", () => {
  it("gives a parameter named like an Object method its own value, not a JavaScript function", async () => {
    ws.write("proto.cm", `workflow main(toString: string?, constructor: string = "c") -> string {\n  return (toString ?? "absent") + " " + constructor\n}`);
    const r = await ws.cmc(["run", "proto.cm", "--json"]);
    expect(ws.json(r).result).toBe("absent c");
  });

  it("refuses an int input that is not exact, and fails a run whose int arithmetic overflows", async () => {
    ws.write("big.cm", `workflow main(n: int) -> int {\n  return n + 1\n}`);
    const refused = await ws.cmc(["run", "big.cm", "--input", "n=9007199254740993"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("input `n` expects int: beyond ±9007199254740991");
    const overflow = await ws.cmc(["run", "big.cm", "--input", "n=9007199254740991", "--json"]);
    expect(overflow.code).toBe(1);
    expect(ws.json(overflow).error).toMatchObject({ kind: "runtime", message: "integer overflow: 9007199254740991 + 1 is beyond ±9007199254740991" });
    const fine = await ws.cmc(["run", "big.cm", "--input", "n=9007199254740990", "--json"]);
    expect(ws.json(fine).result).toBe(9007199254740991);
  });

  it("fails every use of a top-level let whose evaluation failed, not only the first", async () => {
    ws.write(
      "let.cm",
      `let broken = json("{")
      workflow main() -> string {
        try {
          step first = sh("echo \${broken}")
        } catch e {
          step caught = sh("echo caught")
        }
        step later = sh("echo \${broken}")
        return later.stdout
      }`,
    );
    const r = await ws.cmc(["run", "let.cm", "--json"]);
    expect(r.code).toBe(1);
    const out = ws.json(r);
    expect(out.error).toMatchObject({ kind: "runtime", step: "later" });
    expect(out.error?.message).toContain("json(): the text is not valid JSON");
    expect(out.steps.map((s) => [s.id, s.status])).toEqual([
      ["first", "failed"],
      ["caught", "succeeded"],
      ["later", "failed"],
    ]);
  });
});

describe("option injection", () => {
  it("fails the step when a value beginning with `-` would start a word, and runs it after `--`", async () => {
    ws.write("keep", "");
    ws.write("-rf", "");
    ws.write(
      "rm.cm",
      `workflow main(f: string, n: int = -3) {
        step after = sh("ls -- \${f} && test \${n} -lt 0")
        step bare = sh("rm \${f}")
      }`,
    );
    const r = await ws.cmc(["run", "rm.cm", "--input", "f=-rf", "--json"]);
    expect(r.code).toBe(1);
    const out = ws.json(r);
    expect(out.steps.map((s) => [s.id, s.status])).toEqual([["after", "succeeded"], ["bare", "failed"]]);
    expect(out.error).toMatchObject({ kind: "runtime", step: "bare" });
    expect(out.error?.message).toContain('the value "-rf" would be read as an option');
    expect(ws.has("-rf") && ws.has("keep")).toBe(true);
  });
});

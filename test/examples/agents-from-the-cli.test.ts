/**
 * Agents from the command line: a workflow that takes an `agent` parameter (`--input fixer=claude`),
 * and an interactive ask under `--json`.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exampleWorkspace, type ExampleWorkspace } from "./harness.js";

let ws: ExampleWorkspace;
beforeEach(() => {
  ws = exampleWorkspace();
});
afterEach(() => ws.remove());

describe("agent inputs", () => {
  beforeEach(() => {
    ws.write("ask.cm", `workflow main(helper: agent) -> string {\n  step r = helper.ask("Say hello")\n  return r.text\n}\n`);
  });

  it("names a headless CLI, run with its defaults, on the command line or in an inputs file", async () => {
    const byFlag = await ws.run(["run", "ask.cm", "--input", "helper=claude", "--json"]);
    expect(byFlag.code, byFlag.stderr).toBe(0);
    expect(ws.json(byFlag).result).toBe("claude reply: Say hello");
    ws.write("inputs.json", JSON.stringify({ helper: "codex" }));
    const byFile = await ws.run(["run", "ask.cm", "--inputs", "inputs.json", "--json"]);
    expect(byFile.code, byFile.stderr).toBe(0);
    expect(ws.json(byFile).result).toBe("codex reply: Say hello");
  });

  it("refuses anything else before the run starts, naming the agents it takes", async () => {
    for (const value of ["{\"kind\":\"claude\"}", "scripted", "gpt"]) {
      const r = await ws.run(["run", "ask.cm", "--input", `helper=${value}`, "--json"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("input `helper` expects an agent: one of `claude`, `codex`, `gemini`, `opencode`, `cursor`");
    }
    expect(JSON.parse((await ws.run(["runs", "--json"])).stdout)).toEqual([]);
  });

  it("words a typed input's error without the reply's wording", async () => {
    ws.write("n.cm", `workflow main(n: int) -> int {\n  return n\n}\n`);
    ws.write("bad.json", JSON.stringify({ n: "1" }));
    const r = await ws.run(["run", "n.cm", "--inputs", "bad.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("input `n`: expected int, got string");
  });
});

describe("interactive asks", () => {
  it("shows an interactive ask's screen on stderr when stdout is piped, so --json holds only the JSON", async () => {
    ws.write("live.cm", `import { claude } from "std/agents"\nworkflow main() {\n  step s = claude().ask("hello there", interactive: true)\n}\n`);
    const r = await ws.run(["run", "live.cm", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(ws.json(r).status).toBe("succeeded");
    expect(r.stderr).toContain("claude interactive: hello there");
  });
});

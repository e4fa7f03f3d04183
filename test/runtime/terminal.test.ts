/** A person at a terminal: `cmc run` asks gate questions inline (run under a pseudo-terminal by `script`). */
import { execFileSync } from "node:child_process";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cmcBin } from "../helpers/cli.js";
import { workspace, type Workspace } from "./workspace.js";

const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

/** Runs `cmc args` on a pseudo-terminal, typing `answers` (kept open until cmc exits). */
async function onTerminal(args: string[], answers: string): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, cmcBin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const child = execa("script", ["-qec", command, "/dev/null"], {
    cwd: ws.dir,
    env: { NO_COLOR: "1", CI: undefined, CMC_STORE: undefined },
    reject: false,
    stdin: "pipe",
  });
  child.stdin.write(answers);
  const result = await child;
  return { code: result.exitCode ?? -1, screen: result.stdout };
}

describe.skipIf(!hasScript)("on a terminal", () => {
  it("asks an approval inline and hands the answer and reason to the workflow", async () => {
    ws.write("gate.cm", `workflow main() -> string {\n  step review = approve("Ship it?")\n  return "\${review.approved}:\${review.reason}"\n}`);
    const yes = await onTerminal(["run", "gate.cm"], "y\nlooks good\n");
    expect(yes.screen).toContain("Ship it?");
    expect(yes.code).toBe(0);
    expect(yes.screen).toContain('"true:looks good"');
    const no = await onTerminal(["run", "gate.cm"], "maybe\nn\nnot yet\n");
    expect(no.code).toBe(0);
    expect(no.screen).toContain('"false:not yet"');
  });

  it("asks for a missing required input and parses it by its type", async () => {
    ws.write("ask.cm", `workflow main(rounds: int, who: string) -> string {\n  return "\${who} \${rounds * 2}"\n}`);
    const r = await onTerminal(["run", "ask.cm"], "x\n21\nada\n");
    expect(r.screen).toContain("rounds (int)");
    expect(r.screen).toContain("expects int");
    expect(r.screen).toContain("who (string)");
    expect(r.code).toBe(0);
    expect(r.screen).toContain('"ada 42"');
  });
});

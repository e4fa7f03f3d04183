/** Runs real workflows through the real CLI, in a temporary workspace with a real LMDB store. */
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cmcBin } from "../helpers/cli.js";
import { until, workspace, type Workspace } from "./workspace.js";

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

function processesMatching(pattern: string): string[] {
  try {
    return execFileSync("pgrep", ["-f", pattern], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

describe("cmc run", () => {
  it("runs a sequence of shell steps and prints the result as JSON", async () => {
    ws.write(
      "seq.cm",
      `workflow main(who: string) -> { greeting: string, code: int } {
        step a = sh("echo hello")
        step b = sh("echo \${trim(a.stdout)}, \${who}")
        return { greeting: trim(b.stdout), code: b.code }
      }`,
    );
    const r = await ws.cmc(["run", "seq.cm", "--input", "who=ada", "--json"]);
    expect(r.code).toBe(0);
    const out = ws.json(r);
    expect(out.status).toBe("succeeded");
    expect(out.result).toEqual({ greeting: "hello, ada", code: 0 });
    expect(out.error).toBeNull();
    expect(out.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
      ["a", "succeeded", 1],
      ["b", "succeeded", 1],
    ]);
  });

  it("runs a program that narrows an optional step result by a guard", async () => {
    ws.write(
      "narrow.cm",
      `workflow main(broken: bool) -> string {
        step build = sh("test \${broken} = false", check: false)
        if !build.ok {
          step fix = sh("echo fixed")
        }
        if fix == none {
          return "nothing to fix"
        }
        return trim(fix.stdout)
      }`,
    );
    for (const [broken, result] of [["true", "fixed"], ["false", "nothing to fix"]]) {
      const r = await ws.cmc(["run", "narrow.cm", "--input", `broken=${broken}`, "--json"]);
      expect(r.code).toBe(0);
      expect(ws.json(r).result).toBe(result);
    }
  });

  it("binds the steps of a repeat's else block after the loop: their results when it ran, none when it did not", async () => {
    ws.write(
      "else.cm",
      `workflow main(n: int) -> string {
        repeat max 2 {
          step s = sh("echo round")
        } until s.ok && n > 0 else {
          step note = sh("echo exhausted")
          if n < -5 {
            step deep = sh("echo deep")
          }
        }
        return trim(note?.stdout ?? "no note") + " " + trim(s.stdout) + " " + trim(deep?.stdout ?? "no deep")
      }`,
    );
    for (const [n, result] of [["0", "exhausted round no deep"], ["1", "no note round no deep"], ["-9", "exhausted round deep"]]) {
      const r = await ws.cmc(["run", "else.cm", "--input", `n=${n}`, "--json"]);
      expect(ws.json(r).result).toBe(result);
    }
  });

  it("validates an agent's output against a type written inline (output: list<T>)", async () => {
    ws.write(
      "replies.json",
      JSON.stringify([
        { when: "Split", text: "two tasks", output: [{ title: "parse" }, { title: "check" }] },
        { when: "Bad", text: "not a list", output: { title: "x" } },
      ]),
    );
    ws.write(
      "tasks.cm",
      `import { scripted } from "std/agents"
      workflow main(prompt: string) -> string {
        agent planner = scripted(file: "replies.json")
        step tasks = planner.ask(prompt, output: list<{ title: string }>)
        for task in tasks.output {
          step work = sh("echo \${task.title}")
        }
        return "\${tasks.output[0].title},\${tasks.output[1].title}"
      }`,
    );
    const good = await ws.cmc(["run", "tasks.cm", "--input", "prompt=Split the work", "--json"]);
    expect(good.code).toBe(0);
    expect(ws.json(good).steps.map((s) => s.id)).toEqual(["tasks", "work[0]", "work[1]"]);
    expect(ws.json(good).result).toBe("parse,check");
    const bad = await ws.cmc(["run", "tasks.cm", "--input", "prompt=Bad", "--json"]);
    expect(bad.code).toBe(1);
    expect(ws.json(bad).error).toMatchObject({ kind: "invalid_output", step: "tasks" });
  });

  it("quotes interpolated values so that hostile input is one argument, never code", async () => {
    ws.write(
      "quote.cm",
      `workflow main(name: string) -> string {
        step s = sh("printf '%s|' \${name}")
        return s.stdout
      }`,
    );
    for (const hostile of ["a; touch pwned", "$(touch pwned)", "`touch pwned`", "x' ; touch pwned; echo '", "*"]) {
      const r = await ws.cmc(["run", "quote.cm", "--input", `name=${hostile}`, "--json"]);
      expect(r.code).toBe(0);
      expect(ws.json(r).result).toBe(`${hostile}|`);
      expect(ws.has("pwned")).toBe(false);
    }
  });

  it("keeps a value inert inside double quotes, single quotes and here-documents too", async () => {
    ws.write(
      "inside.cm",
      [
        "workflow main(v: string) -> string {",
        '  step a = sh("printf \'%s|\' \\"dq: ${v}\\"")',
        '  step b = sh("printf \'%s|\' \'sq: ${v}\'")',
        '  step c = sh("cat <<EOF\\n${v}\\nEOF")',
        '  step d = sh("printf \'%s|\' \\"$(printf %s ${v})\\"")',
        "  return a.stdout + b.stdout + c.stdout + d.stdout",
        "}",
      ].join("\n"),
    );
    for (const hostile of ["$(touch pwned)", "x; touch pwned", "`touch pwned`", "'; touch pwned; '", '"; touch pwned; "']) {
      const r = await ws.cmc(["run", "inside.cm", "--input", `v=${hostile}`, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(ws.json(r).result).toBe(`dq: ${hostile}|sq: ${hostile}|${hostile}\n${hostile}|`);
      expect(ws.has("pwned")).toBe(false);
    }
    const ending = await ws.cmc(["run", "inside.cm", "--input", "v=x\nEOF\ntouch pwned", "--json"]);
    expect(ending.code).toBe(1);
    expect(ws.json(ending).error).toMatchObject({ kind: "runtime", step: "c" });
    expect(ws.json(ending).error?.message).toContain("would end the here-document");
    expect(ws.has("pwned")).toBe(false);
  });

  it("reads prev() of an enclosing repeat's step from inside a nested repeat", async () => {
    ws.write(
      "nested.cm",
      [
        "workflow main() -> list<string> {",
        "  repeat max 2 {",
        '    step n = sh("echo round")',
        '    repeat max 1 { step inner = sh("printf inner-%s ${prev(n)?.stdout ?? \"none\"}") } until true',
        "  } until false else { let z = 1 }",
        "  return [inner.stdout]",
        "}",
      ].join("\n"),
    );
    const r = await ws.cmc(["run", "nested.cm", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    // Round 0 has no previous round; round 1 reads round 0's `n`.
    expect(ws.json(r).result).toEqual(["inner-round\n"]);
  });

  it("shows a step's label beside its id in progress, --json and cmc status", async () => {
    ws.write("label.cm", `workflow main() {\n  step t = sh("true", label: "the test suite")\n}`);
    const r = await ws.cmc(["run", "label.cm", "--json"]);
    expect(r.code).toBe(0);
    expect(ws.json(r).steps).toEqual([{ id: "t", status: "succeeded", attempts: 1, label: "the test suite" }]);
    expect(r.stderr).toContain("t (the test suite): succeeded");
    expect((await ws.cmc(["status", ws.json(r).run])).stdout).toMatch(/succeeded\s+t \(the test suite\)/);
  });

  it("refuses a JSON document nested thousands deep where it enters, instead of crashing when storing it", async () => {
    ws.write("deep.json", `${"[".repeat(3000)}1${"]".repeat(3000)}`);
    ws.write("deep.cm", `workflow main() -> json {\n  step s = sh("cat deep.json")\n  return json(s.stdout)\n}`);
    const r = await ws.cmc(["run", "deep.cm", "--json"]);
    expect(r.code, r.stderr).toBe(1);
    expect(ws.json(r).error).toMatchObject({ kind: "runtime", message: "json(): the document nests deeper than 256 levels" });
    ws.write("ok.json", `${"[".repeat(200)}1${"]".repeat(200)}`);
    ws.write("ok.cm", `workflow main() -> int {\n  step s = sh("cat ok.json")\n  return len(json(s.stdout))\n}`);
    expect(ws.json(await ws.cmc(["run", "ok.cm", "--json"])).result).toBe(1);
  });

  it("runs on to its end when whoever reads its output goes away (cmc run | head -1)", async () => {
    ws.write("piped.cm", `workflow main() {\n  step a = sh("sleep 0.2")\n  step b = sh("sleep 0.2")\n  step c = sh("echo c > done.txt")\n}`);
    const piped = spawnSync("/bin/sh", ["-c", `"${process.execPath}" "${cmcBin}" run piped.cm 2>&1 | head -1`], { cwd: ws.dir, encoding: "utf8" });
    expect(piped.stdout).toMatch(/^run \w+ started/);
    await until(() => ws.has("done.txt"));
    let status = "";
    for (let i = 0; i < 50 && status !== "succeeded"; i++) {
      status = (JSON.parse((await ws.cmc(["runs", "--json"])).stdout) as { status: string }[])[0]?.status ?? "";
      if (status !== "succeeded") await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe("succeeded");
  });

  it("checks a json value where it meets a declared type: a return, a condition, a call's argument", async () => {
    const run = async (name: string, body: string) => {
      ws.write(`${name}.cm`, body);
      return ws.json(await ws.cmc(["run", `${name}.cm`, "--json"]));
    };
    expect((await run("ret", `workflow main() -> int {\n  let j = json("\\"str\\"")\n  return j\n}`)).error).toEqual({
      kind: "runtime",
      step: null,
      message: "the result of `main`: expected int, got string",
    });
    expect((await run("cond", `workflow main() -> string {\n  let j = json("\\"str\\"")\n  if j { return "yes" }\n  return "no"\n}`)).error?.message).toBe(
      "a condition must be a bool, got a string",
    );
    const arg = await run("arg", `workflow sub(n: int) -> int {\n  return n * 2\n}\nworkflow main() -> int {\n  let j = json("\\"str\\"")\n  step s = sub(n: j)\n  return s\n}`);
    expect(arg.error).toMatchObject({ kind: "runtime", step: "s", message: "argument `n`: expected int, got string" });
    expect((await run("fine", `workflow main() -> { a: int } {\n  return json("{\\"a\\": 1, \\"b\\": true}")\n}`)).result).toEqual({ a: 1 });
  });

  it("fails a float division by zero, which has no JSON value, as it does an int one", async () => {
    ws.write("zero.cm", `workflow main() -> float {\n  let z = 0.0\n  return 1.0 / z\n}`);
    expect(ws.json(await ws.cmc(["run", "zero.cm", "--json"])).error).toMatchObject({ kind: "runtime", message: "division by zero" });
  });

  it("splices raw() text into the command unquoted", async () => {
    ws.write(
      "raw.cm",
      `workflow main() -> string {
        let pipeline = "echo abc | tr a-z A-Z"
        step s = sh("\${raw(pipeline)}")
        return trim(s.stdout)
      }`,
    );
    const r = await ws.cmc(["run", "raw.cm", "--json"]);
    expect(ws.json(r).result).toBe("ABC");
  });

  it("fails with exit 1 and the step's error when a checked command exits non-zero", async () => {
    ws.write("fail.cm", `workflow main() {\n  step bad = sh("echo oops >&2; exit 3")\n}`);
    const r = await ws.cmc(["run", "fail.cm", "--json"]);
    expect(r.code).toBe(1);
    const out = ws.json(r);
    expect(out.status).toBe("failed");
    expect(out.error?.kind).toBe("failed");
    expect(out.error?.step).toBe("bad");
    expect(out.error?.message).toContain("3");
    expect(r.stderr).toContain("failed: step `bad` (fail.cm:2): `echo oops >&2; exit 3` exited with code 3: oops [failed]");
  });

  it("says where a run failed: the step and its line, or the line of a failure outside any step", async () => {
    ws.write(
      "where.cm",
      `workflow inner() {\n  step boom = sh("exit 3")\n}\nworkflow main() -> string {\n  step s = sh("echo '{}'")\n  for x in [1] {\n    step call = inner()\n  }\n  return join(json(s.stdout), ",")\n}`,
    );
    const nested = await ws.cmc(["run", "where.cm"]);
    expect(nested.stderr).toContain("failed: step `call[0]/boom` (where.cm:2): `exit 3` exited with code 3 [failed]");
    ws.write("outside.cm", `workflow main() -> string {\n  step s = sh("echo '{}'")\n  return join(json(s.stdout), ",")\n}`);
    const outside = await ws.cmc(["run", "outside.cm"]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain("failed at outside.cm:3 (return): join() expects a list, got a record [runtime]");
  });

  it("lets a check: false step succeed and report ok = false", async () => {
    ws.write(
      "nocheck.cm",
      `workflow main() -> { ok: bool, code: int } {\n  step t = sh("exit 4", check: false)\n  return { ok: t.ok, code: t.code }\n}`,
    );
    const r = await ws.cmc(["run", "nocheck.cm", "--json"]);
    expect(ws.json(r).result).toEqual({ ok: false, code: 4 });
  });

  it("retries a failing step with backoff until an attempt succeeds", async () => {
    ws.write(
      "retry.cm",
      `workflow main() -> string {
        step flaky = sh("echo x >> tries; test $(wc -l < tries) -ge 3 && echo third", retry: 3, backoff: 10ms)
        return trim(flaky.stdout)
      }`,
    );
    const r = await ws.cmc(["run", "retry.cm", "--json"]);
    const out = ws.json(r);
    expect(out.result).toBe("third");
    expect(out.steps).toEqual([{ id: "flaky", status: "succeeded", attempts: 3 }]);
  });

  it("returns for-loop results in item order even when iterations run in parallel", async () => {
    ws.write(
      "for.cm",
      `workflow main() -> list<string> {
        for n in ["3", "1", "2"] parallel 3 {
          step s = sh("sleep 0.\${n}; echo \${n}")
        }
        let outs = [trim(s[0].stdout), trim(s[1].stdout), trim(s[2].stdout)]
        return outs
      }`,
    );
    const r = await ws.cmc(["run", "for.cm", "--json"]);
    expect(ws.json(r).result).toEqual(["3", "1", "2"]);
    expect(ws.json(r).steps.map((s) => s.id).sort()).toEqual(["s[0]", "s[1]", "s[2]"]);
  });

  it("fails a repeat that never meets its condition with kind exhausted", async () => {
    ws.write("exhaust.cm", `workflow main() {\n  repeat max 2 {\n    step t = sh("echo no")\n  } until trim(t.stdout) == "yes"\n}`);
    const r = await ws.cmc(["run", "exhaust.cm", "--json"]);
    expect(r.code).toBe(1);
    expect(ws.json(r).error?.kind).toBe("exhausted");
    expect(ws.json(r).steps.map((s) => s.id)).toEqual(["t#0", "t#1"]);
  });

  it("hands a failure to the catch block with its kind, step and message", async () => {
    ws.write(
      "try.cm",
      `workflow main() -> string {
        try {
          step bad = sh("exit 2")
        } catch e {
          step note = sh("echo caught \${e.kind} in \${e.step}")
        }
        return trim(note?.stdout ?? "") + " / " + (bad?.stdout ?? "none")
      }`,
    );
    const r = await ws.cmc(["run", "try.cm", "--json"]);
    expect(r.code).toBe(0);
    expect(ws.json(r).result).toBe("caught failed in bad / none");
  });

  it("runs a sub-workflow as a step and returns its value", async () => {
    ws.write(
      "call.cm",
      `workflow double(x: int) -> int {
        step s = sh("echo \${x * 2}")
        return len(trim(s.stdout))
      }
      workflow main() -> int {
        step d = double(x: 21)
        return d
      }`,
    );
    const r = await ws.cmc(["run", "call.cm", "--json"]);
    expect(r.code).toBe(0);
    expect(ws.json(r).result).toBe(2);
    expect(ws.json(r).steps.map((s) => s.id)).toEqual(["d", "d/s"]);
  });

  it("refuses an input that does not parse as its declared type, naming it", async () => {
    ws.write("typed.cm", `workflow main(rounds: int) {\n  step s = sh("echo \${rounds}")\n}`);
    const bad = await ws.cmc(["run", "typed.cm", "--input", "rounds=x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("rounds");
    const missing = await ws.cmc(["run", "typed.cm"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing input `rounds`");
  });

  it("lets an optional input without a default be left out: it is none", async () => {
    ws.write("opt.cm", `workflow main(who: string?) -> string {\n  return who ?? "nobody"\n}`);
    expect(ws.json(await ws.cmc(["run", "opt.cm", "--json"])).result).toBe("nobody");
    expect(ws.json(await ws.cmc(["run", "opt.cm", "--input", "who=ada", "--json"])).result).toBe("ada");
  });

  it("reads inputs from a JSON file, lets flags override it, and parses each by its type", async () => {
    ws.write(
      "inputs.cm",
      `workflow main(tasks: list<string>, level: "low" | "high", wait: duration, rounds: int = 1) -> string {
        return "\${join(tasks, "+")} \${level} \${wait} \${rounds}"
      }`,
    );
    ws.write("in.json", JSON.stringify({ tasks: ["a", "b"], level: "low", wait: "90s" }));
    const r = await ws.cmc(["run", "inputs.cm", "--inputs", "in.json", "--input", "level=high", "--input", "rounds=3", "--json"]);
    expect(r.code).toBe(0);
    expect(ws.json(r).result).toBe("a+b high 1m30s 3");
    const badEnum = await ws.cmc(["run", "inputs.cm", "--inputs", "in.json", "--input", "level=medium"]);
    expect(badEnum.code).toBe(2);
    expect(badEnum.stderr).toContain("level");
    const unknown = await ws.cmc(["run", "inputs.cm", "--inputs", "in.json", "--input", "colour=red"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown input `colour`");
  });

  it("runs the file's only workflow, else main, else asks for --workflow", async () => {
    ws.write("two.cm", `workflow a() -> string {\n  return "a"\n}\nworkflow b() -> string {\n  return "b"\n}`);
    const ambiguous = await ws.cmc(["run", "two.cm"]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("--workflow");
    expect(ws.json(await ws.cmc(["run", "two.cm", "--workflow", "b", "--json"])).result).toBe("b");
  });

  it("writes a large result to a pipe in full before exiting", async () => {
    ws.write("big.cm", `workflow main() -> string {\n  step s = sh("head -c 900000 /dev/zero | tr '\\\\0' a")\n  return s.stdout\n}`);
    const r = await ws.cmc(["run", "big.cm", "--json"]);
    expect(r.code).toBe(0);
    expect((ws.json(r).result as string).length).toBe(900_000);
  });

  it("exits 2 with diagnostics when the program does not compile", async () => {
    ws.write("broken.cm", `workflow main() {\n  step s = sh(undefinedName)\n}`);
    const r = await ws.cmc(["run", "broken.cm"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("broken.cm:2");
  });
});

describe("parallel branches, timeouts and cancellation", () => {
  it("cancels the sibling branches of a failing branch and kills their processes", async () => {
    ws.write(
      "par.cm",
      `workflow main() {
        parallel {
          step slow = sh("sleep 31.25; echo done > slow.txt")
          step bad = sh("sleep 0.3; exit 3")
        }
      }`,
    );
    const started = Date.now();
    const r = await ws.cmc(["run", "par.cm", "--json"]);
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    const out = ws.json(r);
    expect(out.error?.step).toBe("bad");
    expect(out.steps.find((s) => s.id === "slow")?.status).toBe("cancelled");
    expect(processesMatching("sleep 31.25")).toEqual([]);
    expect(ws.has("slow.txt")).toBe(false);
  });

  it("fails a loop bound or parallel limit below 1 from an input, instead of running no round or one at a time", async () => {
    ws.write(
      "bounds.cm",
      `workflow main(n: int, p: int) {\n  for x in [1, 2] parallel p {\n    step s = sh("true")\n  }\n  repeat max n {\n    step t = sh("true")\n  } until t.ok\n}`,
    );
    const zeroLimit = await ws.cmc(["run", "bounds.cm", "--input", "n=1", "--input", "p=0", "--json"]);
    expect(zeroLimit.code).toBe(1);
    expect(ws.json(zeroLimit).error).toEqual({ kind: "runtime", step: "for_1", message: "a `parallel` limit must be at least 1, got 0" });
    const negativeRounds = await ws.cmc(["run", "bounds.cm", "--input", "n=-2", "--input", "p=2"]);
    expect(negativeRounds.code).toBe(1);
    expect(negativeRounds.stderr).toContain("failed at bounds.cm:5 (repeat): `repeat max` must be at least 1, got -2 [runtime]");
  });

  it("shows a gate that a failed parallel block left waiting as cancelled", async () => {
    ws.write("pargate.cm", `workflow main() {\n  parallel {\n    step g = approve("ok?")\n    step s = sh("sleep 0.2; exit 2")\n  }\n}`);
    const r = await ws.cmc(["run", "pargate.cm", "--json"]);
    expect(r.code).toBe(1);
    expect(ws.json(r).steps.find((s) => s.id === "g")?.status).toBe("cancelled");
  });

  it("ends a step at its timeout, grandchildren included, with kind timeout", async () => {
    ws.write("timeout.cm", `workflow main() {\n  step t = sh("sleep 32.5 & sleep 32.5; wait", timeout: 500ms)\n}`);
    const r = await ws.cmc(["run", "timeout.cm", "--json"]);
    expect(r.code).toBe(1);
    expect(ws.json(r).error?.kind).toBe("timeout");
    expect(processesMatching("sleep 32.5")).toEqual([]);
  });

  it("refuses a timeout an input makes zero, which could only time out", async () => {
    ws.write("zero.cm", `workflow main(t: duration) {\n  step s = sh("touch ran", timeout: t)\n}`);
    const r = await ws.cmc(["run", "zero.cm", "--input", "t=0s", "--json"]);
    expect(r.code).toBe(1);
    expect(ws.json(r).error).toMatchObject({ kind: "runtime", step: "s", message: "`timeout` cannot be zero: the step could only time out" });
    expect(ws.has("ran")).toBe(false);
  });

  it("ends a step at its timeout on time when a process it started left its group, and names that process", async () => {
    ws.write("escape.cm", `workflow main() {\n  step t = sh("setsid sleep 31.5 &", timeout: 1s)\n}`);
    try {
      const started = Date.now();
      const r = await ws.cmc(["run", "escape.cm", "--json"]);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.code).toBe(1);
      const [escaped] = processesMatching("sleep 31.5");
      expect(ws.json(r).error).toMatchObject({
        kind: "timeout",
        message: `step \`t\` timed out after 1s; a process it started outside its process group still holds its output and was left running (pid ${escaped})`,
      });
    } finally {
      for (const pid of processesMatching("sleep 31.5")) process.kill(Number(pid), "SIGKILL");
    }
  });
});

describe("durability and resume", () => {
  // A process crash loses nothing in either mode: with `batch` the commit is in the OS before the next step starts.
  it.each(["sync", "batch"])("resumes a run killed with SIGKILL in the middle of a step without re-running finished steps (--durability %s)", async (durability) => {
    ws.write(
      "crash.cm",
      `workflow main() -> string {
        step a = sh("echo a >> trace")
        step b = sh("echo b >> trace; test -f go || sleep 33.75")
        step c = sh("echo c >> trace")
        return "done"
      }`,
    );
    const child = ws.spawn(["run", "crash.cm", "--durability", durability]);
    await until(() => ws.has("trace") && ws.read("trace").includes("b"));
    await until(() => processesMatching("sleep 33.75").length > 0);
    child.kill("SIGKILL");
    await child;
    // The killed driver's step process group outlives it…
    expect(processesMatching("sleep 33.75").length).toBeGreaterThan(0);

    const runs = JSON.parse((await ws.cmc(["runs", "--json"])).stdout) as { run: string; status: string }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe("interrupted");
    const id = runs[0]?.run as string;

    ws.write("go", "");
    const resumed = await ws.cmc(["resume", id, "--json"]);
    expect(resumed.code).toBe(0);
    expect(ws.json(resumed).result).toBe("done");
    expect(ws.read("trace")).toBe("a\nb\nb\nc\n");
    // …and the resume stopped it before running the step again.
    expect(resumed.stderr).toMatch(/stopped \d+ process(es)? left running by the previous driver/);
    expect(processesMatching("sleep 33.75")).toEqual([]);
    expect((await ws.cmc(["status", id])).stdout.includes("durable   batch")).toBe(durability === "batch");
  });

  it("marks every step process with the run and step, and a cancel stops what a dead driver left", async () => {
    ws.write(
      "marked.cm",
      `workflow main() {
        for n in [1, 2] {
          step mark = sh("echo $CMC_RUN_ID $CMC_STEP $CMC_RUN_STORE >> marks")
        }
        step wait = sh("sleep 34.25")
      }`,
    );
    const child = ws.spawn(["run", "marked.cm"]);
    await until(() => ws.has("marks") && ws.read("marks").split("\n").length === 3);
    await until(() => processesMatching("sleep 34.25").length > 0);
    child.kill("SIGKILL");
    await child;
    const id = (JSON.parse((await ws.cmc(["runs", "--json"])).stdout) as { run: string }[])[0]?.run as string;
    const store = path.join(ws.dir, ".cmc");
    expect(ws.read("marks")).toBe(`${id} mark[0] ${store}\n${id} mark[1] ${store}\n`);

    expect(processesMatching("sleep 34.25").length).toBeGreaterThan(0);
    expect((await ws.cmc(["cancel", id])).code).toBe(0);
    expect(processesMatching("sleep 34.25")).toEqual([]);
    const steps = ws.json(await ws.cmc(["status", id, "--json"])).steps;
    expect(steps.find((s) => s.id === "wait")?.status).toBe("cancelled");
  });

  it("leaves alone what a finished step started in the background when the run resumes", async () => {
    ws.write(
      "preview.cm",
      [
        "workflow main() -> string {",
        `  step server = sh("nohup sh -c 'sleep 1.5; echo up >> marks' >/dev/null 2>&1 & echo started")`,
        '  step ok = approve("Preview is running; looks good?")',
        '  step check = sh("sleep 2.5; cat marks")',
        "  return check.stdout",
        "}",
      ].join("\n"),
    );
    const first = await ws.cmc(["run", "preview.cm", "--json"]);
    expect(first.code).toBe(3);
    const id = ws.json(first).run;
    expect((await ws.cmc(["approve", id, "ok"])).code).toBe(0);
    const resumed = await ws.cmc(["resume", id, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toContain("stopped");
    expect(ws.json(resumed).result).toBe("up\n");
  });

  it("parks at an approval gate, records the decision, and continues on resume", async () => {
    ws.write(
      "gate.cm",
      `workflow main() -> string {
        step before = sh("echo before >> trace")
        step review = approve("Ship it?")
        if review.approved {
          step ship = sh("echo shipped >> trace")
        }
        return "\${review.approved} \${review.reason} \${review.by}"
      }`,
    );
    const first = await ws.cmc(["run", "gate.cm", "--json"]);
    expect(first.code).toBe(3);
    const out = ws.json(first);
    expect(out.status).toBe("waiting");
    expect(out.steps.find((s) => s.id === "review")?.status).toBe("waiting");
    expect(first.stderr).toContain(`cmc approve ${out.run} review`);

    const approved = await ws.cmc(["approve", out.run, "review", "--reason", "looks good"], { env: { USER: "ada" } });
    expect(approved.code).toBe(0);
    // Decided, not yet acted on: no longer waiting for a person.
    const decided = ws.json(await ws.cmc(["status", out.run, "--json"]));
    expect(decided.steps.find((s) => s.id === "review")?.status).toBe("decided");
    const resumed = await ws.cmc(["resume", out.run, "--json"]);
    expect(resumed.code).toBe(0);
    expect(ws.json(resumed).result).toBe("true looks good ada");
    expect(ws.read("trace")).toBe("before\nshipped\n");
  });

  it("shows a parked gate's whole question, when it parks and in cmc status", async () => {
    ws.write("plan.cm", `workflow main() {\n  step review = approve("Approve the plan?\\n\\nSummary: split the parser\\n- task 1")\n}`);
    const first = await ws.cmc(["run", "plan.cm", "--json"]);
    expect(first.code).toBe(3);
    const shown = "  gate `review` asks:\n    Approve the plan?\n\n    Summary: split the parser\n    - task 1\n";
    expect(first.stderr).toContain(shown);
    expect((await ws.cmc(["status", ws.json(first).run])).stdout).toContain(shown);
  });

  it("names the store in the follow-up commands when it is not the folder's default", async () => {
    ws.write("gate.cm", `workflow main() {\n  step review = approve("ok?")\n}`);
    const first = await ws.cmc(["run", "gate.cm", "--store", "elsewhere", "--json"]);
    const id = ws.json(first).run;
    expect(first.stderr).toContain(`cmc --store elsewhere approve ${id} review`);
    expect((await ws.cmc(["--store", "elsewhere", "approve", id, "review"])).code).toBe(0);
    expect((await ws.cmc(["resume", id, "--store", "elsewhere"])).code).toBe(0);
  });

  it("lets a rejection reach the workflow with its reason", async () => {
    ws.write(
      "reject.cm",
      `workflow main() -> string {
        step review = approve("Ship it?")
        return review.reason
      }`,
    );
    const first = await ws.cmc(["run", "reject.cm", "--json"]);
    const id = ws.json(first).run;
    const noReason = await ws.cmc(["reject", id, "review"]);
    expect(noReason.code).toBe(2);
    expect((await ws.cmc(["reject", id, "review", "--reason", "tests are missing"])).code).toBe(0);
    const resumed = await ws.cmc(["resume", id, "--json"]);
    expect(ws.json(resumed).result).toBe("tests are missing");
  });

  it("applies a gate's onTimeout once its deadline has passed, counting from when it first waited", async () => {
    ws.write(
      "deadline.cm",
      `workflow main() -> string {
        step soft = approve("ok?", timeout: 500ms, onTimeout: "reject")
        step hard = approve("really?", timeout: 500ms)
        return "\${soft.approved} \${soft.by}"
      }`,
    );
    const first = await ws.cmc(["run", "deadline.cm", "--json"]);
    expect(first.code).toBe(3);
    const id = ws.json(first).run;
    await new Promise((r) => setTimeout(r, 600));
    const second = await ws.cmc(["resume", id, "--json"]);
    expect(second.code).toBe(3);
    expect(ws.json(second).steps).toEqual([
      { id: "soft", status: "succeeded", attempts: 1, decision: { approved: false, by: "timeout", reason: "no decision within 500ms" } },
      { id: "hard", status: "waiting", attempts: 1 },
    ]);
    await new Promise((r) => setTimeout(r, 600));
    const third = await ws.cmc(["resume", id, "--json"]);
    expect(third.code).toBe(1);
    const out = ws.json(third);
    expect(out.error).toMatchObject({ kind: "timeout", step: "hard" });
    expect(out.steps.find((s) => s.id === "hard")?.status).toBe("failed");
  });

  it("names a gate in a loop by its instance when its question fails to evaluate", async () => {
    ws.write("question.cm", `workflow main(t: string = "{") {\n  for x in [1] {\n    step g = approve("q \${json(t)}")\n  }\n}`);
    const r = await ws.cmc(["run", "question.cm", "--json"]);
    expect(ws.json(r).error).toMatchObject({ kind: "runtime", step: "g[0]" });
  });

  it("takes onTimeout from an input or a let, not only from a literal", async () => {
    ws.write(
      "chosen.cm",
      `workflow main(on: "fail" | "approve" | "reject") -> string {
        step g = approve("ok?", timeout: 300ms, onTimeout: on)
        return "\${g.approved} \${g.by}"
      }`,
    );
    const first = await ws.cmc(["run", "chosen.cm", "--input", "on=approve", "--json"]);
    expect(first.code).toBe(3);
    await new Promise((r) => setTimeout(r, 400));
    const resumed = await ws.cmc(["resume", ws.json(first).run, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(ws.json(resumed).result).toBe("true timeout");
  });

  it("approves every gate in autonomous mode, recorded as by autonomous", async () => {
    ws.write("auto.cm", `workflow main() -> string {\n  step review = approve("ok?")\n  return review.by\n}`);
    const r = await ws.cmc(["run", "auto.cm", "--mode", "autonomous", "--json"]);
    expect(r.code).toBe(0);
    expect(ws.json(r).result).toBe("autonomous");
  });

  it("waits for a person before every step in interactive mode", async () => {
    ws.write("inter.cm", `workflow main() {\n  step a = sh("echo a >> trace")\n}`);
    const first = await ws.cmc(["run", "inter.cm", "--mode", "interactive", "--json"]);
    expect(first.code).toBe(3);
    expect(ws.has("trace")).toBe(false);
    expect(ws.json(first).steps).toEqual([{ id: "a@start", status: "waiting", attempts: 0 }]);
    const id = ws.json(first).run;
    expect((await ws.cmc(["approve", id, "a"])).code).toBe(0);
    const resumed = await ws.cmc(["resume", id, "--json"]);
    expect(resumed.code).toBe(0);
    expect(ws.read("trace")).toBe("a\n");
  });

  it("parks an escalation, and continues after it when a person resumes", async () => {
    ws.write(
      "esc.cm",
      `workflow main() -> string {
        repeat max 2 {
          step t = sh("echo no")
        } until trim(t.stdout) == "yes" else {
          escalate("never said yes")
        }
        step after = sh("echo after")
        return trim(after.stdout)
      }`,
    );
    const first = await ws.cmc(["run", "esc.cm", "--json"]);
    expect(first.code).toBe(3);
    expect(ws.json(first).status).toBe("escalated");
    expect(first.stderr).toContain("never said yes");
    const resumed = await ws.cmc(["resume", ws.json(first).run, "--json"]);
    expect(resumed.code).toBe(0);
    expect(ws.json(resumed).result).toBe("after");
  });

  it("refuses a second driver of a live run, naming the owner", async () => {
    ws.write("long.cm", `workflow main() {\n  step s = sh("echo started > flag; sleep 34.5")\n}`);
    const child = ws.spawn(["run", "long.cm"]);
    try {
      await until(() => ws.has("flag"));
      const id = (JSON.parse((await ws.cmc(["runs", "--json"])).stdout) as { run: string }[])[0]?.run as string;
      const second = await ws.cmc(["resume", id]);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/driven by process \d+/);
      expect(second.stderr).not.toContain("resumed");
    } finally {
      child.kill("SIGINT");
      const ended = await child;
      expect(ended.exitCode).toBe(130);
    }
    expect(processesMatching("sleep 34.5")).toEqual([]);
  });

  describe("a loop that runs no step", () => {
    const busy = `workflow main(n: int = 1000000000) {\n  step s = sh("touch flag")\n  let k = 1\n  repeat max n {\n    let _j = k + 1\n  } until k < 0\n}`;

    it("stops on SIGINT, resumable", async () => {
      ws.write("busy.cm", busy);
      const child = ws.spawn(["run", "busy.cm"]);
      await until(() => ws.has("flag"));
      await new Promise((r) => setTimeout(r, 300));
      child.kill("SIGINT");
      const ended = await child;
      expect(ended.exitCode, ended.stderr).toBe(130);
    }, 60_000);

    it("stops when the run is cancelled with cmc cancel", async () => {
      ws.write("busy.cm", busy);
      const child = ws.spawn(["run", "busy.cm"]);
      await until(() => ws.has("flag"));
      const id = (JSON.parse((await ws.cmc(["runs", "--json"])).stdout) as { run: string }[])[0]?.run as string;
      expect((await ws.cmc(["cancel", id])).code).toBe(0);
      const ended = await child;
      expect(ended.exitCode).not.toBe(0);
      expect(ws.json(await ws.cmc(["status", id, "--json"])).status).toBe("cancelled");
    }, 60_000);
  });

  it("cancels a waiting run, and its gate shows as cancelled", async () => {
    ws.write("wait.cm", `workflow main() {\n  step review = approve("ok?")\n}`);
    const id = ws.json(await ws.cmc(["run", "wait.cm", "--json"])).run;
    expect((await ws.cmc(["cancel", id])).code).toBe(0);
    const status = await ws.cmc(["status", id, "--json"]);
    expect(ws.json(status).status).toBe("cancelled");
    expect(ws.json(status).steps).toEqual([{ id: "review", status: "cancelled", attempts: 1 }]);
    const text = await ws.cmc(["status", id]);
    expect(text.stdout).toMatch(/cancelled\s+review/);
    expect(text.stdout).not.toContain("waiting for a person");
    const again = await ws.cmc(["resume", id]);
    expect(again.code).toBe(1);
  });
});

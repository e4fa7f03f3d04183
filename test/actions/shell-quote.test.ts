import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shellQuote } from "../../src/runtime/actions/shell-quote.js";

/** What `/bin/sh` prints for `printf %s <quoted>`. */
function throughShell(value: string): Buffer {
  return execFileSync("/bin/sh", ["-c", `printf %s ${shellQuote(value)}`], { cwd: "/tmp" });
}

const hostile = fc.constantFrom(
  "a; rm -rf ~",
  "$(touch /tmp/cmc-pwned)",
  "`touch /tmp/cmc-pwned`",
  "'",
  "''",
  '"',
  "\\",
  "\n",
  "*",
  "?",
  "[a-z]",
  "~",
  "$HOME",
  "${PATH}",
  "|",
  "&",
  ">",
  "<",
  "#",
  "!",
  " ",
  "\t",
  "é",
  "日本",
  "🙂",
  "-n",
  "%s",
  "A=b",
);

/** Strings mixing hostile pieces with arbitrary text; NUL cannot be in an argv, lone surrogates not in UTF-8. */
const values = fc
  .array(fc.oneof(hostile, fc.string({ unit: "binary" }), fc.string()), { maxLength: 6 })
  .map((parts) => parts.join(""))
  .filter((s) => !s.includes("\0") && Buffer.from(s, "utf8").toString("utf8") === s);

describe("shellQuote", () => {
  it("leaves safe words bare and quotes everything else", () => {
    expect(shellQuote("src/main.ts")).toBe("src/main.ts");
    expect(shellQuote("--flag")).toBe("--flag");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("A=b")).toBe("'A=b'");
  });

  it("makes /bin/sh print exactly the original string, for any string", () => {
    rmSync("/tmp/cmc-pwned", { force: true });
    fc.assert(
      fc.property(values, (value) => {
        expect(throughShell(value).equals(Buffer.from(value, "utf8"))).toBe(true);
      }),
      { numRuns: 200 },
    );
    expect(existsSync("/tmp/cmc-pwned")).toBe(false);
  });

  it("keeps each quoted value one word, even next to another", () => {
    const words = ["a b", "", "x'y", "*", "$(echo no)"];
    const out = execFileSync("/bin/sh", ["-c", `printf '[%s]' ${words.map(shellQuote).join(" ")}`], { encoding: "utf8" });
    expect(out).toBe(words.map((w) => `[${w}]`).join(""));
  });
});

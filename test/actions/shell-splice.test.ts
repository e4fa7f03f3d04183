import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShellScanner, ShellSpliceError, shellQuote, type ShellContext } from "../../src/compiler/shell-context.js";

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

/** A command built like the runtime builds one: literal pieces followed, each value spliced where it lands. */
function build(pieces: readonly string[], values: readonly string[]): string {
  const scanner = new ShellScanner();
  let out = "";
  pieces.forEach((piece, i) => {
    scanner.feed(piece);
    out += piece;
    if (i < values.length) out += scanner.splice(values[i]!);
  });
  const problem = scanner.finish();
  if (problem) throw new ShellSpliceError(problem);
  return out;
}

/** The context each value of a template lands in. */
function contexts(pieces: readonly string[]): ShellContext[] {
  const scanner = new ShellScanner();
  return pieces.slice(0, -1).map((piece) => {
    scanner.feed(piece);
    const context = scanner.context;
    if (!scanner.refusal()) scanner.splice("1");
    return context;
  });
}

function sh(command: string): string {
  return execFileSync("/bin/sh", ["-c", command], { cwd: "/tmp", encoding: "utf8" });
}

describe("ShellScanner", () => {
  it("tells where a value lands", () => {
    expect(contexts(["echo ", ""])).toEqual(["plain"]);
    expect(contexts(['echo "a ', '"'])).toEqual(["double"]);
    expect(contexts(["echo 'a ", "'"])).toEqual(["single"]);
    expect(contexts(['echo "$(cat ', ')"'])).toEqual(["plain"]);
    expect(contexts(["echo $((", " + 1))"])).toEqual(["arithmetic"]);
    expect(contexts(["echo hi # ", ""])).toEqual(["comment"]);
    expect(contexts(["echo a#", ""])).toEqual(["plain"]);
    expect(contexts(["echo a\\ #", ""])).toEqual(["plain"]);
    expect(contexts(["echo $(true)#", ""])).toEqual(["plain"]);
    expect(contexts(["cat <<EOF\nx\nEOF\n#", ""])).toEqual(["comment"]);
    expect(contexts(["cat <<EOF\n$$(", "\nEOF"])).toEqual(["heredoc"]);
    expect(contexts(["cat <<EOF\n", "\nEOF\necho ", ""])).toEqual(["heredoc", "plain"]);
    expect(contexts(["cat <<'EOF' && echo ", "\n", "\nEOF"])).toEqual(["plain", "quoted-heredoc"]);
    expect(contexts(["cat <<-\"E\"\n\t", "\n\tE\n'", "'"])).toEqual(["quoted-heredoc", "single"]);
    expect(contexts(["echo `cat ", "`"])).toEqual(["backquote"]);
    expect(contexts(["cat <<", "\n"])).toEqual(["heredoc-delimiter"]);
    expect(contexts(["echo \\", ""])).toEqual(["escaped"]);
    expect(contexts(['echo "$', '"'])).toEqual(["dollar"]);
    expect(contexts(["echo '\\' ", ""])).toEqual(["plain"]);
    expect(contexts(['echo "\\"" ', ""])).toEqual(["plain"]);
    expect(contexts(["echo $((1 << 2)) ", ""])).toEqual(["plain"]);
    // `<` value `<` is two redirections, not a here-document.
    expect(contexts(["cat <", "<x\n", ""])).toEqual(["plain", "plain"]);
  });

  it("refuses a value where no quoting is safe", () => {
    for (const pieces of [["echo `", "`"], ["cat <<", "\nx\n"], ["echo \\", ""], ['echo "$', '"']]) {
      expect(() => build(pieces, ["v"])).toThrow(ShellSpliceError);
    }
  });

  it("refuses a value after a here-document line that shells read differently", () => {
    expect(() => build(["cat <<EOF\n$(\nEOF\n)", "\nEOF"], ["v"])).toThrow(/shells disagree/);
    expect(() => build(["cat <<EOF\nE\\\n", "\nEOF"], ["OF"])).toThrow(/shells disagree/);
    expect(build(["cat <<'EOF'\nE\\\n", "\nEOF"], ["v"])).toContain("E\\\nv");
  });

  it("refuses a value that would end its here-document", () => {
    expect(() => build(["cat <<EOF\n", "\nEOF\n"], ["a\nEOF\nrm -rf ~"])).toThrow(/would end the here-document/);
    expect(() => build(["cat <<-EOF\n", "\nEOF\n"], ["\t\tEOF\n"])).toThrow(ShellSpliceError);
    expect(() => build(["cat <<EOF\nE", "\nEOF\n"], ["OF\nrm"])).toThrow(ShellSpliceError);
    expect(build(["cat <<EOF\n", "\nEOF\n"], ["EOF2\n EOF"])).toContain("EOF2");
  });

  // Each template prints its value between brackets; the shell must print exactly that text.
  const templates: { name: string; pieces: [string, string]; expected: (v: string) => string }[] = [
    { name: "unquoted", pieces: ["printf '[%s]' ", ""], expected: (v) => `[${v}]` },
    { name: "double quotes", pieces: ['printf %s "[', ']"'], expected: (v) => `[${v}]` },
    { name: "single quotes", pieces: ["printf %s '[", "]'"], expected: (v) => `[${v}]` },
    { name: "$(…) inside double quotes", pieces: ['printf %s "[$(printf %s ', ')]"'], expected: (v) => `[${v.replace(/\n+$/, "")}]` },
    { name: "a here-document", pieces: ["cat <<EOF\n[", "]\nEOF"], expected: (v) => `[${v}]\n` },
    { name: "a quoted here-document", pieces: ["cat <<'EOF'\n[", "]\nEOF"], expected: (v) => `[${v}]\n` },
    { name: "a comment", pieces: ["printf '[ok]' # ", "\n"], expected: () => "[ok]" },
  ];

  for (const { name, pieces, expected } of templates) {
    it(`makes /bin/sh read a value in ${name} as exactly its text, for any text`, () => {
      rmSync("/tmp/cmc-pwned", { force: true });
      fc.assert(
        fc.property(values, (value) => {
          let command: string;
          try {
            command = build(pieces, [value]);
          } catch (error) {
            // Only a line that would end the here-document is refused, and a `-` that starts a word.
            expect(error).toBeInstanceOf(ShellSpliceError);
            if (value.startsWith("-") && (error as Error).message.includes("would be read as an option")) return;
            expect(`[${value}]`.split("\n")).toContain("EOF");
            return;
          }
          expect(sh(command)).toBe(expected(value));
        }),
        { numRuns: 60 },
      );
      expect(existsSync("/tmp/cmc-pwned")).toBe(false);
    });
  }

  it("splices only whole numbers into arithmetic, and only when its `$((` is closed by `))`", () => {
    expect(sh(build(["echo $((", " + 1))"], ["41"]))).toBe("42\n");
    expect(sh(build(["echo $((1 - ", "))"], ["-5"]))).toBe("6\n");
    expect(() => build(["echo $((", " + 1))"], ["1; touch x"])).toThrow(/only a whole number/);
    expect(() => build(["echo $((1+", ")\n"], ["1"])).toThrow(/not closed by `\)\)`/);
    expect(() => build(["echo $((1+2) ) ", ""], ["1"])).toThrow(ShellSpliceError);
    expect(build(["echo ", " $((1+2))"], ["1"])).toBe("echo 1 $((1+2))");
  });

  it("refuses a value that begins with `-` where it would start a word, so it cannot be an option", () => {
    for (const pieces of [["rm ", ""], ['rm "', '"'], ["rm '", "'"], ["rm ''", ""], ["echo $(rm ", ")"], ["rm -f ", " x"], ["rm -- x; rm ", ""], ["cat <<EOF\n-- x\nEOF\nrm ", ""]]) {
      expect(() => build(pieces, ["-rf"]), pieces.join("…")).toThrow(/the value "-rf" would be read as an option.*`--`.*`\.\/`.*`raw\(…\)`/);
    }
    // After `--` (in the same command), inside a word, as a redirection's target or as a number's sign, it is an argument.
    expect(build(["rm -- ", ""], ["-rf"])).toBe("rm -- -rf");
    expect(build(["rm -f -- a ", ""], ["-rf"])).toBe("rm -f -- a -rf");
    expect(build(["rm ./", ""], ["-rf"])).toBe("rm ./-rf");
    expect(build(["git log --format=", ""], ["-x"])).toBe("git log --format=-x");
    expect(build(["echo 'note: ", "'"], ["-n"])).toBe("echo 'note: -n'");
    expect(build(["cat > ", ""], ["-o"])).toBe("cat > -o");
    expect(build(["rm -- a 2>&1 ", ""], ["-rf"])).toBe("rm -- a 2>&1 -rf");
    expect(new ShellScanner().splice("-5", true)).toBe("-5");
    expect(sh(build(["printf -- '[%s]' ", ""], ["-n"]))).toBe("[-n]");
  });

  it("quotes a word after `~`", () => {
    expect(build(["echo ~", ""], ["root"])).toBe("echo ~'root'");
  });

  it("lets no value run code, in commands made of random shell syntax", () => {
    const pwned = "/tmp/cmc-pwned";
    rmSync(pwned, { force: true });
    const syntax = fc.constantFrom(
      "echo ", "printf %s ", " ", "x", ";", "|", "&&", '"', "'", "\\", "$", "$(", "$((1+", ")", "))", "`",
      "# ", "\n", "cat <<EOF\n", "\nEOF\n", "cat <<-'Q' ; echo\n", "\n\tQ\n", "(", "{ ", " }", "=", "~", "<", ">/dev/null ",
      "$$", "\\\n", ") )", "${HOME:-", "${HOME}", "}", "\t", "EOF", "<<", "-", "$(cat <<EOF\n", "<<-EOF\n", "'EOF'",
    );
    const attacks = fc.constantFrom(
      `'; touch ${pwned}; '`, `"; touch ${pwned}; "`, `$(touch ${pwned})`, `\`touch ${pwned}\``,
      `\nEOF\ntouch ${pwned}\n`, `\n\tQ\ntouch ${pwned}\n`, `\ntouch ${pwned}\n`, `)\ntouch ${pwned}\n(`,
      `\\"; touch ${pwned}; "`, `(touch ${pwned})`, `{touch,${pwned}}`, "IFS=x", `*`,
    );
    const template = fc.array(fc.array(syntax, { maxLength: 8 }).map((parts) => parts.join("")), { minLength: 2, maxLength: 4 });
    fc.assert(
      fc.property(template, fc.array(attacks, { minLength: 3, maxLength: 3 }), (pieces, chosen) => {
        let command: string;
        try {
          command = build(pieces, chosen.slice(0, pieces.length - 1));
        } catch (error) {
          expect(error).toBeInstanceOf(ShellSpliceError);
          return;
        }
        spawnSync("/bin/sh", ["-c", command], { cwd: "/tmp", stdio: "ignore", timeout: 5000 });
        expect(existsSync(pwned), command).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

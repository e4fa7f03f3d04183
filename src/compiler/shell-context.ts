/**
 * Where in a POSIX shell command an interpolated value lands, so that it can be spliced in as
 * inert text whatever the surrounding quotes (LANGUAGE.md §6.1): unquoted, inside `"…"` or `'…'`,
 * in a comment, in a here-document's body, inside `$(…)`. The checker reads the contexts of a
 * command literal's `${…}` to reject the few places no quoting can make safe; the runtime splices
 * each value by its context.
 *
 * This follows the POSIX shell grammar as far as quoting goes (what `dash` implements); it is not a
 * full shell parser: `case` patterns inside `$(…)` and bash-only syntax are not recognised.
 */

/**
 * - `plain`: unquoted (also inside `$(…)`): the value becomes one quoted word.
 * - `double` / `single`: inside `"…"` / `'…'`: the value is escaped for that quote.
 * - `arithmetic`: inside `$((…))`: only a whole number is spliced (bare) there.
 * - `comment`: after an unquoted `#`: line breaks in the value become spaces.
 * - `heredoc` / `quoted-heredoc`: a here-document's body (`<<EOF` / `<<'EOF'`).
 * - `backquote`, `heredoc-delimiter`, `escaped`, `dollar`: inside `` `…` ``, as a here-document's
 *   delimiter, right after a `\` or a `$`: no quoting is safe there, so a value is refused.
 */
export type ShellContext =
  | "plain"
  | "double"
  | "single"
  | "arithmetic"
  | "comment"
  | "heredoc"
  | "quoted-heredoc"
  | "backquote"
  | "heredoc-delimiter"
  | "escaped"
  | "dollar";

/** Why a value cannot be spliced where it is, and what to write instead. */
export const REFUSED: Readonly<Partial<Record<ShellContext, { readonly why: string; readonly help: string }>>> = {
  backquote: { why: "a value cannot be spliced inside backquotes", help: "write `$(…)` instead of `` `…` ``" },
  "heredoc-delimiter": { why: "a value cannot be a here-document's delimiter", help: "write the delimiter itself, e.g. `<<EOF`" },
  escaped: { why: "a `\\` right before a value would escape its quoting", help: "remove the `\\`: the value is spliced as plain text" },
  dollar: {
    why: "a `$` right before a value would expand it",
    help: "for a literal `$`, quote it on its own: `'$'${…}`",
  },
};

/** Why a value that is not a whole number cannot be spliced inside `$((…))`. */
export const ARITHMETIC_ONLY_NUMBERS = "only a whole number can be spliced inside `$((…))`";

/** Why a command whose `$((` is not closed by `))` cannot take values after it. */
export const AMBIGUOUS_ARITHMETIC = "a `$((` not closed by `))` is read as `$(` and a subshell: values after it cannot be placed";

/** A value that would break out of its context (a here-document's end), or a refused context. */
export class ShellSpliceError extends Error {}

// No `=`: a bare `NAME=value` in command position would be an assignment, not a word.
const SAFE = /^[A-Za-z0-9_@%+:,./-]+$/;

/**
 * Quotes `value` as one word for `/bin/sh`: safe strings stay bare, anything else is wrapped in
 * single quotes with each `'` written as `'\''`; the empty string becomes `''`.
 */
export function shellQuote(value: string): string {
  if (SAFE.test(value)) return value;
  return quoteAlways(value);
}

function quoteAlways(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

interface HereDoc {
  readonly delimiter: string;
  readonly quoted: boolean;
  /** `<<-`: leading tabs are stripped from body lines (and the delimiter line). */
  readonly stripTabs: boolean;
}

/** A here-document's delimiter word being read, after `<<`. */
interface DelimiterWord {
  word: string;
  quoted: boolean;
  stripTabs: boolean;
  started: boolean;
  /** The quote character the word is inside, if any. */
  quote: string | undefined;
}

type Frame =
  | { readonly kind: "top" }
  /** Inside `$(…)` or `$((…))`, `depth` open parentheses deep; `endOfOptions` is the outer command's. */
  | { readonly kind: "subst"; depth: number; arithmetic: boolean; lastClose?: number; readonly endOfOptions: boolean }
  | { readonly kind: "double" }
  | { readonly kind: "single" }
  | { readonly kind: "backquote" }
  /** A here-document's body; an unquoted one expands `$…` and `` `…` `` in it. */
  | { readonly kind: "body"; readonly doc: HereDoc };

/** Unquoted characters that end a word: an unquoted `#` after one starts a comment, and they end a delimiter. */
const WORD_BREAK = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]);

/** Unquoted characters that end a simple command (and so its `--`). */
const COMMAND_BREAK = new Set([";", "&", "|", "\n", "(", ")"]);

/** Why a value that begins with `-` cannot start a word: the command would read it as an option. */
export function optionValue(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return (
    `the value ${JSON.stringify(shown)} would be read as an option, not an argument: write \`--\` before it to end ` +
    "the command's options (`rm -- ${f}`), `./` before a path (`./${f}`), or `raw(…)` if it is meant as an option"
  );
}

/** Follows a command's text, piece by piece, and splices values into it by context. */
export class ShellScanner {
  private readonly frames: Frame[] = [{ kind: "top" }];
  private escapeNext = false;
  private inComment = false;
  /** The last character, as far as it matters: an unquoted `#` after a word break starts a comment; `~` + a bare word expands. */
  private previous = "\n";
  /** The last character was a `$` that is not quoted or escaped. */
  private dollar = false;
  /** The last character was the `(` of a `$(`. */
  private substOpened = false;
  /** The last character was an unquoted `<`. */
  private lessThan = false;
  private delimiter: DelimiterWord | undefined;
  /** Here-documents whose bodies start at the next line. */
  private readonly pending: HereDoc[] = [];
  /**
   * The here-document whose body is being read, and the frame it is at. Its end is found line by
   * line; where shells would disagree (a line ending inside `$(…)` or with `\`), `unsure` is set.
   */
  private body: { readonly doc: HereDoc; readonly frame: number } | undefined;
  /** The current line of that body, and whether a spliced value is part of it. */
  private line = "";
  private lineHasValue = false;
  /** Characters followed so far (for telling `))` from `) )`). */
  private offset = 0;
  /** A `$((` was opened before a spliced value; one was not closed by `))`. */
  private valueAfterArithmetic = false;
  private arithmeticOpened = false;
  private ambiguousArithmetic = false;
  /** Inside `${`: the parameter's name so far. Only `${name}` is followed; anything more makes the rest unsure. */
  private param: string | undefined;
  /** Set where shells read the rest of the command differently: no value is placed after it. */
  private unsure: string | undefined;
  /** The character before the last `\`: a `\` and line break vanish, so a `#` after them follows it. */
  private beforeEscape = "\n";
  /** The current word's text so far, quotes left out (a value at its start could be an option). */
  private word = "";
  /** A `--` word was read in this simple command: no later word is an option. */
  private endOfOptions = false;
  /** The next word is a redirection's target (after `<` or `>`), which no command reads as an option. */
  private redirectTarget = false;

  private get top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  /** The context a value spliced now would land in. */
  get context(): ShellContext {
    if (this.delimiter) return "heredoc-delimiter";
    const top = this.top;
    if (top.kind === "single" || top.kind === "backquote") return top.kind;
    if (top.kind === "body" && top.doc.quoted) return "quoted-heredoc";
    if (this.escapeNext) return "escaped";
    if (this.dollar) return "dollar";
    switch (top.kind) {
      case "double":
        return "double";
      case "body":
        return "heredoc";
      case "subst":
        if (top.arithmetic) return "arithmetic";
    }
    return this.inComment ? "comment" : "plain";
  }

  /** Follows command text written in the program (or spliced by `raw`). */
  feed(text: string): void {
    for (const c of text) this.step(c, false);
  }

  /** Why no value can be spliced here, and what to write instead; undefined where one can. */
  refusal(): { readonly why: string; readonly help: string } | undefined {
    return this.refusalAt(this.context);
  }

  private refusalAt(context: ShellContext): { readonly why: string; readonly help: string } | undefined {
    if (this.param !== undefined) return { why: "a value cannot be spliced inside `${…}`", help: "splice the value outside the `${…}`" };
    if (this.unsure) return { why: this.unsure, help: "splice values before that point, or write it more simply" };
    return REFUSED[context];
  }

  /**
   * The text that splices `value` in here as data; throws `ShellSpliceError` where no text can,
   * and where a value that begins with `-` would start a word the command reads as an option
   * (unless `mayStartWithDash`: a number, whose `-` is its sign).
   */
  splice(value: string, mayStartWithDash = false): string {
    const context = this.context;
    const refused = this.refusalAt(context);
    if (refused) throw new ShellSpliceError(refused.why);
    const inWord = context === "plain" || context === "double" || context === "single";
    if (inWord && !mayStartWithDash && value.startsWith("-") && this.word === "" && !this.endOfOptions && !this.redirectTarget) {
      throw new ShellSpliceError(optionValue(value));
    }
    const word = this.word;
    let text: string;
    switch (context) {
      case "arithmetic":
        if (!/^-?[0-9]+$/.test(value)) throw new ShellSpliceError(ARITHMETIC_ONLY_NUMBERS);
        text = value;
        break;
      case "plain":
        text = this.previous === "~" ? quoteAlways(value) : shellQuote(value);
        break;
      case "double":
      case "heredoc":
        text = value.replace(context === "heredoc" ? /[\\$`]/g : /[\\$`"]/g, "\\$&");
        break;
      case "single":
        text = value.replaceAll("'", `'\\''`);
        break;
      case "comment":
        text = value.replace(/[\r\n]+/g, " ");
        break;
      default:
        text = value;
    }
    this.placeholder();
    if (inWord) this.word = word + value;
    // In a here-document's body the text is followed, to find a line of it that would end the body.
    if (this.body) for (const c of text) this.step(c, true);
    return text;
  }

  /**
   * Marks a value spliced here, its text unknown (the checker's view of a command); `splice` marks
   * its values so too.
   */
  placeholder(): void {
    if (this.arithmeticOpened) this.valueAfterArithmetic = true;
    if (this.body) {
      this.lineHasValue = true;
      return;
    }
    // The value is part of a word: a `<` before it and one after it are no `<<`.
    this.previous = "'";
    this.word += "?";
    this.lessThan = false;
    this.substOpened = false;
  }

  /** After the whole command: why its values cannot be trusted to be where they seem, if so. */
  finish(): string | undefined {
    const open = this.frames.some((f) => f.kind === "subst" && f.arithmetic);
    return (open || this.ambiguousArithmetic) && this.valueAfterArithmetic ? AMBIGUOUS_ARITHMETIC : undefined;
  }

  private step(c: string, fromValue: boolean): void {
    this.offset++;
    if (this.body) {
      if (fromValue) this.lineHasValue = true;
      if (c !== "\n") this.line += c;
      else if (!this.body.doc.quoted && (this.escapeNext || this.top.kind !== "body")) {
        // dash reads on over a `\\` line break or an open `$(`, bash ends the body at its line.
        this.unsure ??= "shells disagree where this here-document ends (a line ends inside `$(…)` or with `\\`)";
      } else if (this.bodyEnds(this.body.doc)) {
        this.frames.length = this.body.frame;
        this.escapeNext = false;
        this.dollar = false;
        this.previous = "\n";
        this.body = undefined;
        this.word = "";
        this.endOfOptions = false;
        this.startBody();
        return;
      }
    }
    const top = this.top;
    const dollar = this.dollar;
    const previous = this.previous;
    this.dollar = false;
    this.previous = c;
    if (this.param !== undefined) this.paramChar(this.param, c);
    else if (this.delimiter) this.delimiterChar(this.delimiter, c);
    else if (this.escapeNext) {
      this.escapeNext = false;
      // An escaped character is part of a word, even a space; an escaped line break vanishes.
      this.previous = c === "\n" ? this.beforeEscape : "'";
      if (c !== "\n") this.word += c;
    } else if (this.inComment) {
      if (c === "\n") {
        this.inComment = false;
        this.endWord(c, previous);
        this.startBody();
      }
    } else if (top.kind === "top" || top.kind === "subst") this.unquotedChar(top, c, dollar, previous);
    else this.quotedChar(top, c, dollar);
  }

  /** The `)` of a `$(…)` belongs to its word: a `#` right after it starts no comment. */
  private closeSubst(): void {
    const frame = this.frames.pop();
    this.previous = "'";
    this.word = "$()";
    if (frame?.kind === "subst") this.endOfOptions = frame.endOfOptions;
  }

  /** An unquoted word break `c`: the word read before it ends (a `--` ends the command's options). */
  private endWord(c: string, previous: string): void {
    if (this.word === "--") this.endOfOptions = true;
    if (this.word !== "") this.redirectTarget = false;
    this.word = "";
    // `>&` and `<&` duplicate a descriptor: no command ends there.
    if (COMMAND_BREAK.has(c) && !(c === "&" && (previous === ">" || previous === "<"))) this.endOfOptions = false;
    if (c === "<" || c === ">") this.redirectTarget = true;
  }

  private paramChar(name: string, c: string): void {
    if (c === "}") this.param = undefined;
    else if (/[A-Za-z0-9_]/.test(c) || (name === "" && "@*#?$!-".includes(c))) this.param = name + c;
    else {
      this.unsure ??= "shell expansions like `${name:-…}` are not followed, so values after one cannot be placed";
      this.param = undefined;
    }
  }

  /** At the end of a line of a here-document's body: whether it was the delimiter line. */
  private bodyEnds(doc: HereDoc): boolean {
    const line = doc.stripTabs ? this.line.replace(/^\t+/, "") : this.line;
    const ends = line === doc.delimiter;
    if (ends && this.lineHasValue) {
      throw new ShellSpliceError(`a value would end the here-document (a line \`${doc.delimiter}\`)`);
    }
    this.line = "";
    this.lineHasValue = false;
    return ends;
  }

  private quotedChar(top: Frame, c: string, dollar: boolean): void {
    if (top.kind === "single") {
      if (c === "'") this.frames.pop();
      else this.word += c;
      return;
    }
    if (top.kind === "double" && c !== '"') this.word += c;
    if (top.kind === "body" && top.doc.quoted) return;
    if (c === "\\") this.escapeNext = true;
    else if (top.kind === "backquote") {
      if (c === "`") this.frames.pop();
    } else if (c === '"' && top.kind === "double") this.frames.pop();
    else this.expansionChar(c, dollar);
  }

  /** `$`, `$(` and `` ` `` where they expand: unquoted, inside `"…"`, in an unquoted here-document's body. */
  private expansionChar(c: string, dollar: boolean): boolean {
    // `$$` is the process id, not a `$` before what follows.
    if (c === "$") this.dollar = !dollar;
    else if (c === "{" && dollar) this.param = "";
    else if (c === "`") this.frames.push({ kind: "backquote" });
    else if (c === "(" && dollar) {
      this.frames.push({ kind: "subst", depth: 1, arithmetic: false, endOfOptions: this.endOfOptions });
      this.substOpened = true;
      this.word = "";
      this.endOfOptions = false;
      return true;
    } else return false;
    this.word += c;
    return true;
  }

  private unquotedChar(top: Frame & { kind: "top" | "subst" }, c: string, dollar: boolean, previous: string): void {
    const arithmetic = top.kind === "subst" && top.arithmetic;
    const lessThan = this.lessThan;
    const substOpened = this.substOpened;
    this.lessThan = false;
    this.substOpened = false;
    if (this.expansionChar(c, dollar)) return;
    if (arithmetic) {
      // Expanded as if inside `"…"`, except that `"` is not special.
      if (c === "\\") this.escapeNext = true;
      else if (c === "(") top.depth++;
      else if (c === ")") {
        if (--top.depth === 0) {
          if (top.lastClose !== this.offset - 1) this.ambiguousArithmetic = true;
          this.closeSubst();
        }
        top.lastClose = this.offset;
      }
      return;
    }
    if (WORD_BREAK.has(c)) this.endWord(c, previous);
    else if (c !== "'" && c !== '"' && c !== "\\") this.word += c;
    switch (c) {
      case "\\":
        this.escapeNext = true;
        this.beforeEscape = previous;
        return;
      case "'":
        this.frames.push({ kind: "single" });
        return;
      case '"':
        this.frames.push({ kind: "double" });
        return;
      case "#":
        if (WORD_BREAK.has(previous)) this.inComment = true;
        return;
      case "<":
        if (lessThan) this.delimiter = { word: "", quoted: false, stripTabs: false, started: false, quote: undefined };
        else this.lessThan = true;
        return;
      case "(":
        if (top.kind !== "subst") return;
        // `$((` opens arithmetic, not a subshell inside `$(`.
        if (substOpened) {
          top.arithmetic = true;
          this.arithmeticOpened = true;
        }
        top.depth++;
        return;
      case ")":
        if (top.kind === "subst" && --top.depth === 0) this.closeSubst();
        return;
      case "\n":
        this.startBody();
        return;
    }
  }

  private delimiterChar(d: DelimiterWord, c: string): void {
    if (!d.started) {
      if (c === "-" && !d.stripTabs) {
        d.stripTabs = true;
        return;
      }
      if (c === " " || c === "\t") return;
      d.started = true;
    }
    if (this.escapeNext) {
      this.escapeNext = false;
      if (c === "\n") {
        // A line continuation: gone, as if never written.
        if (d.word === "" && !d.quoted) d.started = false;
        return;
      }
      d.word += c;
      d.quoted = true;
    } else if (d.quote !== undefined) {
      if (c === d.quote) d.quote = undefined;
      else d.word += c;
    } else if (c === "\\") {
      this.escapeNext = true;
    } else if (c === "'" || c === '"') {
      d.quote = c;
      d.quoted = true;
    } else if (WORD_BREAK.has(c)) {
      this.pending.push({ delimiter: d.word, quoted: d.quoted, stripTabs: d.stripTabs });
      this.delimiter = undefined;
      this.word = `<<${d.word}`;
      const top = this.top;
      if (top.kind === "top" || top.kind === "subst") this.unquotedChar(top, c, false, "'");
    } else d.word += c;
  }

  /** After an unquoted line break (or the end of a body): the next pending here-document's body starts. */
  private startBody(): void {
    if (this.body) return;
    const doc = this.pending.shift();
    if (!doc) return;
    this.body = { doc, frame: this.frames.length };
    this.frames.push({ kind: "body", doc });
    this.line = "";
    this.lineHasValue = false;
  }
}

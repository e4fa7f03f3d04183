/**
 * How `cmc init` asks its questions: with `@clack/prompts` on a terminal; as plain lines on stderr,
 * each answered by a line of stdin, without one (an empty or missing line takes the default); and
 * not at all with `--yes` (every default taken, no file overwritten).
 */
import { readFileSync } from "node:fs";
import * as clack from "@clack/prompts";

export interface Choice<V extends string> {
  readonly value: V;
  readonly label: string;
  readonly hint?: string;
}

export interface Asker {
  pickMany<V extends string>(message: string, options: readonly Choice<V>[], initial: readonly V[]): Promise<V[]>;
  pickOne<V extends string>(message: string, options: readonly Choice<V>[], initial: V): Promise<V>;
  confirm(message: string, initial: boolean): Promise<boolean>;
  /** Says something between questions (to stderr). */
  note(text: string): void;
  /** Ends the conversation. */
  done(text: string): void;
}

/** The person pressed Ctrl-C or Escape at a question: nothing has been written. */
export class AskCancelled extends Error {
  constructor() {
    super("cancelled: nothing was written");
  }
}

function unwrap<T>(answer: T | symbol): T {
  if (clack.isCancel(answer)) throw new AskCancelled();
  return answer as T;
}

function clackOptions<V extends string>(options: readonly Choice<V>[]): clack.Option<V>[] {
  return options.map((o) => ({ value: o.value, label: o.label, ...(o.hint !== undefined ? { hint: o.hint } : {}) }) as clack.Option<V>);
}

/** Questions drawn on the terminal by @clack/prompts. */
export function clackAsker(title: string): Asker {
  // Questions go to stderr, like every other question cmc asks; stdout keeps the result.
  const output = process.stderr;
  clack.intro(title, { output });
  return {
    async pickMany(message, options, initial) {
      return unwrap<(typeof initial)[number][]>(await clack.multiselect({ output, message, options: clackOptions(options), initialValues: [...initial], required: false }));
    },
    async pickOne(message, options, initial) {
      return unwrap<typeof initial>(await clack.select({ output, message, options: clackOptions(options), initialValue: initial }));
    },
    async confirm(message, initial) {
      return unwrap<boolean>(await clack.confirm({ output, message, initialValue: initial }));
    },
    note: (text) => clack.log.info(text, { output }),
    done: (text) => clack.outro(text, { output }),
  };
}

/** Questions as plain lines: the answers are the lines of stdin, read once, in order. */
export function plainAsker(out: NodeJS.WritableStream = process.stderr, input?: readonly string[]): Asker {
  let lines: string[] | undefined = input ? [...input] : undefined;
  const next = (question: string): string => {
    if (lines === undefined) {
      let text = "";
      try {
        text = readFileSync(0, "utf8");
      } catch {
        // stdin closed
      }
      lines = text.split(/\r?\n/);
    }
    const answer = (lines.shift() ?? "").trim();
    out.write(`${question} ${answer}\n`);
    return answer;
  };
  const list = <V extends string>(options: readonly Choice<V>[]) => options.map((o) => o.value).join(", ");
  return {
    async pickMany(message, options, initial) {
      for (;;) {
        const answer = next(`${message} (comma-separated: ${list(options)}; empty for ${initial.join(",") || "none"}):`);
        if (answer === "") return [...initial];
        if (answer === "none") return [];
        const picked = answer.split(",").map((a) => a.trim()).filter((a) => a !== "");
        const unknown = picked.filter((p) => !options.some((o) => o.value === p));
        if (unknown.length === 0) return picked as typeof initial[number][];
        out.write(`  not a choice: ${unknown.join(", ")}\n`);
        if (lines!.length === 0) return [...initial];
      }
    },
    async pickOne(message, options, initial) {
      for (;;) {
        const answer = next(`${message} (${list(options)}; empty for ${initial}):`);
        if (answer === "") return initial;
        const found = options.find((o) => o.value === answer);
        if (found) return found.value;
        out.write(`  not a choice: ${answer}\n`);
        if (lines!.length === 0) return initial;
      }
    },
    async confirm(message, initial) {
      const answer = next(`${message} (y/n; empty for ${initial ? "y" : "n"}):`).toLowerCase();
      return answer === "" ? initial : answer === "y" || answer === "yes";
    },
    note: (text) => out.write(`${text}\n`),
    done: (text) => out.write(`${text}\n`),
  };
}

/** Every question answered by its default, except that nothing is overwritten. */
export function defaultsAsker(out: NodeJS.WritableStream = process.stderr): Asker {
  return {
    pickMany: async (_m, _o, initial) => [...initial],
    pickOne: async (_m, _o, initial) => initial,
    confirm: async () => false,
    note: (text) => out.write(`${text}\n`),
    done: (text) => out.write(`${text}\n`),
  };
}

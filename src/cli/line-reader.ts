/**
 * Reads answers typed at the terminal, one line per question. Lines typed ahead (or pasted at once)
 * wait for the question that reads them, and Ctrl-C at a prompt interrupts the process as usual.
 */
import { createInterface } from "node:readline";

export interface LineReader {
  /** Shows `prompt` and resolves with the next line; rejects with the signal's reason on abort. */
  ask(prompt: string, signal?: AbortSignal): Promise<string>;
  close(): void;
}

export function lineReader(output: NodeJS.WritableStream): LineReader {
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  rl.on("SIGINT", () => process.kill(process.pid, "SIGINT"));
  const typed: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  rl.on("line", (line) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(line);
    } else typed.push(line);
  });
  return {
    ask(prompt, signal) {
      return new Promise<string>((resolve, reject) => {
        rl.setPrompt(prompt);
        rl.prompt();
        const next = typed.shift();
        if (next !== undefined) return resolve(next);
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          waiting = undefined;
          reject(signal?.reason ?? new Error("aborted"));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        waiting = (line) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(line);
        };
      });
    },
    close: () => rl.close(),
  };
}

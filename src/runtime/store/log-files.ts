/** Step log files: safe, reversible file names under `<store>/logs/<run>/`, opened for appending. */
import { createHash } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { StepLog } from "../actions/types.js";
import { StoreError } from "./errors.js";

/** File names stay well under the usual 255-byte limit, leaving room for `.log`. */
const MAX_NAME = 200;
const SAFE_BYTE = /^[A-Za-z0-9._-]$/;

/**
 * Encodes a step key (`build[2]`, `call/inner`, `plan#1`) as a file name: bytes outside
 * `[A-Za-z0-9._-]` become `%XX`, so names are reversible with `decodeURIComponent` and can never
 * hold a path separator. A name that would be too long keeps a readable head and ends in `~` and a
 * hash of the key (`~` never appears in an encoded name, so the two forms cannot collide).
 */
export function encodeLogName(key: string): string {
  let out = "";
  for (const byte of Buffer.from(key, "utf8")) {
    const char = String.fromCharCode(byte);
    out += SAFE_BYTE.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  // `.` and `..` must never name a folder: a name made only of dots gets its first one escaped.
  if (/^\.+$/.test(out)) out = `%2E${out.slice(1)}`;
  if (out.length <= MAX_NAME) return out;
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 16);
  return `${out.slice(0, MAX_NAME - 17).replace(/%[0-9A-F]?$/, "")}~${hash}`;
}

/** The path of a step's log: `<dir>/logs/<run>/<encoded key>.log`, folders created. */
export function stepLogPath(dir: string, runId: string, key: string): string {
  if (runId === "") throw new StoreError("a step log needs a run id");
  const folder = join(dir, "logs", encodeLogName(runId));
  mkdirSync(folder, { recursive: true });
  return join(folder, `${encodeLogName(key)}.log`);
}

/**
 * Opens a step log for appending (folders created). Writes are buffered by the stream; `close`
 * resolves once everything written has reached the file.
 */
export function createStepLog(path: string): StepLog & { close(): Promise<void> } {
  mkdirSync(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { flags: "a" });
  let failure: Error | undefined;
  // A failing log must not crash the run; the error surfaces on close.
  stream.on("error", (error) => {
    failure ??= error;
  });
  let closing: Promise<void> | undefined;
  return {
    path,
    write(chunk: string | Uint8Array): void {
      if (closing || failure) return;
      stream.write(chunk);
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve, reject) => {
        const done = (): void => (failure ? reject(failure) : resolve());
        if (stream.destroyed) return done();
        stream.end(() => done());
        stream.once("error", () => done());
      });
      return closing;
    },
  };
}

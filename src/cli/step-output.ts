/** Printing steps' logs (`cmc logs`): a writer that keeps lines apart, and a log read from where it was last read. */
import { closeSync, openSync, readSync, fstatSync } from "node:fs";

/** Writes to `out`, knowing whether what it wrote last ended a line: `line` always starts one of its own. */
export class LineWriter {
  private atLineStart = true;

  constructor(private readonly out: (data: string | Buffer) => void) {}

  write(data: string | Buffer): void {
    if (data.length === 0) return;
    this.out(data);
    this.atLineStart = (typeof data === "string" ? data.charCodeAt(data.length - 1) : data[data.length - 1]) === 0x0a;
  }

  line(text: string): void {
    this.write(`${this.atLineStart ? "" : "\n"}${text}\n`);
  }
}

/** What the log `file` holds from byte `from` on (only that part is read); empty when it does not exist. */
export function logFrom(file: string, from: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= from) return Buffer.alloc(0);
    const bytes = Buffer.alloc(size - from);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, from + read);
      if (n === 0) break;
      read += n;
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

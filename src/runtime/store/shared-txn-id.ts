/**
 * LMDB keeps the id of the last committed transaction in the lock file (`lock.mdb`, shared by all
 * processes), and a write transaction starts from the snapshot that id names. The LMDB inside
 * lmdb-js 3.5 also writes that id each time a process opens the environment — the id it read a
 * moment earlier, without the writer lock (upstream LMDB does so only for `MDB_PREVSNAPSHOT`).
 * A process that opens the store while another commits can so set it back by one, and the next
 * write transaction then starts from the older snapshot: its commit silently drops the commit in
 * between (two `cmc cancel` of one run could both win, a step's result could vanish).
 *
 * The store mends that: every write transaction first compares the snapshot it started from with
 * the newest commit; if it is older, the id is written back here, under the writer lock the
 * transaction holds, and the transaction is run again.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";

/** The lock file's header: `mtb_magic` (u32), `mtb_format` (u32), then `mtb_txnid` (u64). */
const MAGIC = 0xbeefc0de;
const TXNID_AT = 8;

/**
 * Open lock files, one per path and process. Closing any descriptor of a file drops every POSIX
 * lock the process holds on it — LMDB's among them — so a lock file stays open until the last
 * store on it has closed its LMDB environment.
 */
const open = new Map<string, { fd: number; users: number }>();

export class SharedTxnId {
  readonly #path: string;
  readonly #fd: number;
  #released = false;

  constructor(lockFile: string) {
    this.#path = lockFile;
    let entry = open.get(lockFile);
    if (!entry) {
      entry = { fd: openSync(lockFile, "r+"), users: 0 };
      open.set(lockFile, entry);
    }
    entry.users++;
    this.#fd = entry.fd;
  }

  /** The id in the lock file; `undefined` when its header is not LMDB's as this cmc knows it. */
  read(): number | undefined {
    const header = Buffer.alloc(TXNID_AT + 8);
    if (readSync(this.#fd, header, 0, header.length, 0) < header.length) return undefined;
    if (header.readUInt32LE(0) !== MAGIC) return undefined;
    return Number(header.readBigUInt64LE(TXNID_AT));
  }

  /** Sets the id; only with LMDB's writer lock held (inside a write transaction). */
  write(id: number): boolean {
    if (this.read() === undefined) return false;
    const value = Buffer.alloc(8);
    value.writeBigUInt64LE(BigInt(id));
    return writeSync(this.#fd, value, 0, value.length, TXNID_AT) === value.length;
  }

  /** Once the store's LMDB environment is closed. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    const entry = open.get(this.#path);
    if (!entry || --entry.users > 0) return;
    open.delete(this.#path);
    closeSync(entry.fd);
  }
}

/**
 * A sanity check of an LMDB data file before it is opened. The native binding crashes the whole
 * process (SIGSEGV/SIGBUS) on a garbled or truncated `data.mdb` instead of returning an error, so
 * the two meta pages are read first and a file that cannot be a healthy environment is refused.
 *
 * Layout (lmdb-js 3.x, LMDB data version 2, 64-bit): each meta page starts with a 24-byte page
 * header (its page number first, its flags at byte 18); the meta follows with magic, version,
 * address, map size, two 48-byte DB records (the free-page DB, whose first field holds the page
 * size, and the main DB; each ends with its root page) and then the last used page and the txn
 * id. LMDB writes both meta pages when it creates a file and uses the one with the higher txn id;
 * its own `mdb_env_open` refuses a file whose either meta page lacks the magic, so a damaged one
 * is never healthy, and its root pages must lie inside the file, or LMDB follows them off the map.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { treeProblem } from "./page-check.js";

const MAGIC = 0xbeefc0de;
const DATA_VERSION = 2;
const P_META = 0x08;
const P_INVALID = 0xffffffffffffffffn;
const HEADER = 24;
const FLAGS_AT = 18;
const MAGIC_AT = HEADER;
const VERSION_AT = HEADER + 4;
const DBS_AT = HEADER + 24;
const DB_BYTES = 48;
const ROOT_IN_DB = 40;
const LAST_PAGE_AT = HEADER + 120;
const TXN_ID_AT = HEADER + 128;
const META_BYTES = TXN_ID_AT + 8;
/** A new store's data file is empty only for the moment between its creation and LMDB's first write. */
const NEW_FILE_MS = 10_000;

interface Meta {
  readonly pageSize: number;
  readonly lastPage: bigint;
  readonly txnId: bigint;
  /** The free-page DB's root and the main DB's. */
  readonly roots: readonly bigint[];
}

/** Meta page `page` read at `offset`, or why it is not one. */
function readMeta(fd: number, page: number, offset: number): Meta | string {
  const buffer = Buffer.alloc(META_BYTES);
  if (readSync(fd, buffer, 0, META_BYTES, offset) < META_BYTES) return "it is cut short";
  if (buffer.readUInt32LE(MAGIC_AT) !== MAGIC) return "it has no LMDB magic number";
  if (buffer.readBigUInt64LE(0) !== BigInt(page) || (buffer.readUInt16LE(FLAGS_AT) & P_META) === 0) return "its page header is wrong";
  const version = buffer.readUInt32LE(VERSION_AT);
  if (version !== DATA_VERSION) return `it has LMDB data version ${version}, not ${DATA_VERSION}`;
  const pageSize = buffer.readUInt32LE(DBS_AT);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return `its page size ${pageSize} is impossible`;
  const lastPage = buffer.readBigUInt64LE(LAST_PAGE_AT);
  const roots = [0, 1].map((db) => buffer.readBigUInt64LE(DBS_AT + db * DB_BYTES + ROOT_IN_DB));
  for (const root of roots) {
    if (root !== P_INVALID && (root < 2n || root > lastPage)) return `a root page (${root}) lies outside the data (${lastPage} pages)`;
  }
  return { pageSize, lastPage, txnId: buffer.readBigUInt64LE(TXN_ID_AT), roots };
}

/** Whether the store holding `file` (at `<store>/db/data.mdb`) has step logs: it has had runs. */
function hasLogs(file: string): boolean {
  try {
    return readdirSync(join(dirname(dirname(file)), "logs")).length > 0;
  } catch {
    return false;
  }
}

/**
 * Why `file` cannot be a healthy LMDB data file, or `undefined` when it looks sound (or does not
 * exist yet, or is empty because it was created a moment ago: LMDB initialises it). Only checked
 * on little-endian 64-bit machines, where the layout above holds.
 */
export function dataFileProblem(file: string): string | undefined {
  if (process.arch !== "x64" && process.arch !== "arm64") return undefined;
  let size: number;
  let age: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return "it is not a regular file";
    size = stat.size;
    age = Date.now() - stat.mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return `it cannot be read (${(error as Error).message})`;
  }
  if (size === 0) {
    // Opening it would silently start a new store over whatever it held.
    return age > NEW_FILE_MS || hasLogs(file) ? "it is empty (0 bytes): the runs it held are gone" : undefined;
  }
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    return `it cannot be read (${(error as Error).message})`;
  }
  try {
    // Another process may commit meanwhile (growing the file, rewriting a meta page, reusing pages
    // of the tree being walked): a problem counts only when it is still there once the live meta
    // page has stayed the same while the trees were read. A meta page that changes at every try is
    // a writer committing, through LMDB, to this file: not damage.
    for (let tries = 0; ; tries++) {
      const newest = liveMeta(fd);
      if (typeof newest === "string") {
        if (tries >= 2) return newest;
        pause(20);
        continue;
      }
      const problem = treeProblem(fd, newest.pageSize, newest.lastPage, newest.roots);
      if (problem === undefined) return undefined;
      const after = liveMeta(fd);
      if (typeof after === "string" || after.txnId === newest.txnId) return `its data is damaged: ${problem}`;
      if (tries >= 4) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}

/** Blocks for `ms`: the check runs before the store opens, synchronously. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The meta page LMDB would use (the higher txn id of two sound ones), or why there is none. */
function liveMeta(fd: number): Meta | string {
  const first = readMeta(fd, 0, 0);
  if (typeof first === "string") return `its first meta page is damaged (${first})`;
  const second = readMeta(fd, 1, first.pageSize);
  if (typeof second === "string") return `its second meta page is damaged (${second})`;
  if (second.pageSize !== first.pageSize) return "its two meta pages disagree on the page size";
  const newest = second.txnId > first.txnId ? second : first;
  // The size after the meta pages: a commit writes its pages before its meta page.
  const size = fstatSync(fd).size;
  const needed = (newest.lastPage + 1n) * BigInt(newest.pageSize);
  if (BigInt(size) < needed) return `it is truncated (${size} bytes, ${needed} expected)`;
  return newest;
}

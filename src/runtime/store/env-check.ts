/**
 * A sanity check of an LMDB data file before it is opened. The native binding crashes the whole
 * process (SIGSEGV/SIGBUS) on a garbled or truncated `data.mdb` instead of returning an error, so
 * the two meta pages are read first and a file that cannot be a healthy environment is refused.
 *
 * Layout (lmdb-js 3.x, LMDB data version 2, 64-bit): each meta page starts with a 24-byte page
 * header; the meta follows with magic, version, address, map size, two 48-byte DB records (the
 * first holds the page size in its first field) and then the last used page and the txn id.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";

const MAGIC = 0xbeefc0de;
const META = 24;
const MAGIC_AT = META;
const PAGE_SIZE_AT = META + 24;
const LAST_PAGE_AT = META + 120;
const TXN_ID_AT = META + 128;
const META_BYTES = TXN_ID_AT + 8;

interface Meta {
  readonly pageSize: number;
  readonly lastPage: bigint;
  readonly txnId: bigint;
}

function readMeta(fd: number, offset: number): Meta | undefined {
  const buffer = Buffer.alloc(META_BYTES);
  if (readSync(fd, buffer, 0, META_BYTES, offset) < META_BYTES) return undefined;
  if (buffer.readUInt32LE(MAGIC_AT) !== MAGIC) return undefined;
  const pageSize = buffer.readUInt32LE(PAGE_SIZE_AT);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return undefined;
  return { pageSize, lastPage: buffer.readBigUInt64LE(LAST_PAGE_AT), txnId: buffer.readBigUInt64LE(TXN_ID_AT) };
}

/**
 * Why `file` cannot be a healthy LMDB data file, or `undefined` when it looks sound (or does not
 * exist yet / is empty, which LMDB initialises). Only checked on little-endian 64-bit machines,
 * where the layout above holds.
 */
export function dataFileProblem(file: string): string | undefined {
  if (process.arch !== "x64" && process.arch !== "arm64") return undefined;
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return "it is not a regular file";
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return `it cannot be read (${(error as Error).message})`;
  }
  if (size === 0) return undefined;
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    return `it cannot be read (${(error as Error).message})`;
  }
  try {
    const first = readMeta(fd, 0);
    // With the first page unreadable its page size is unknown: try the common ones.
    const second = first ? readMeta(fd, first.pageSize) : (readMeta(fd, 4096) ?? readMeta(fd, 16384));
    const metas = [first, second].filter((meta): meta is Meta => meta !== undefined);
    if (metas.length === 0) return "it is not an LMDB data file (no valid meta page)";
    const newest = metas.reduce((a, b) => (b.txnId > a.txnId ? b : a));
    const needed = (newest.lastPage + 1n) * BigInt(newest.pageSize);
    if (BigInt(size) < needed) return `it is truncated (${size} bytes, ${needed} expected)`;
    return undefined;
  } finally {
    closeSync(fd);
  }
}

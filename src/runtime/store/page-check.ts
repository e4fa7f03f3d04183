/**
 * A walk over the B-trees of an LMDB data file before it is opened, because LMDB trusts its pages:
 * a damaged branch or leaf page sends the native code off the map (SIGSEGV/SIGBUS) instead of
 * returning an error. Every page reachable from a root is checked to be what its parent says it
 * is (its number, its kind, node offsets and sizes inside the page, children and overflow pages
 * inside the data); the contents of values are left to the decoder, which reports its own errors.
 *
 * Layout (LMDB data version 2, as lmdb-js 3.x builds it): a 24-byte page header (page number,
 * txn id, pad, flags at 18, `lower` and `upper` at 20 and 22, both counted from the end of the
 * header; an overflow page keeps its page count at 20), then 16-bit node offsets (also from the end
 * of the header). A node is `lo, hi, flags, key size` (16 bits each), its key, then its data: a
 * branch node's child page is `lo | hi << 16 | flags << 32`; a leaf node's data size is
 * `lo | hi << 16`, its data an overflow page number (F_BIGDATA), a sub-database record
 * (F_SUBDATA: 48 bytes, its root last) or the value itself.
 */
import { readSync } from "node:fs";

const HEADER = 24;
const P_BRANCH = 0x01;
const P_LEAF = 0x02;
const P_OVERFLOW = 0x04;
const F_BIGDATA = 0x01;
const F_SUBDATA = 0x02;
const F_DUPDATA = 0x04;
const NODE = 8;
const DB_BYTES = 48;
const ROOT_IN_DB = 40;
const P_INVALID = 0xffffffffffffffffn;
/** Deeper than any real tree (LMDB's own cursor stack holds 32). */
const MAX_DEPTH = 32;

/** Why the trees under `roots` are damaged, or `undefined` when every reachable page is sound. */
export function treeProblem(fd: number, pageSize: number, lastPage: bigint, roots: readonly bigint[]): string | undefined {
  // Page numbers are Numbers here (exact below 2^53, far past any file a machine holds): a BigInt
  // per node made the walk of a large store cost more than reading it.
  const last = Number(lastPage);
  const page = Buffer.alloc(pageSize);
  const header = Buffer.alloc(HEADER);
  const seen = new Uint8Array(last + 1);
  const pages: number[] = [];
  const depths: number[] = [];
  for (const root of roots) {
    if (root === P_INVALID) continue;
    pages.push(Number(root));
    depths.push(0);
  }

  while (pages.length > 0) {
    const pgno = pages.pop()!;
    const depth = depths.pop()!;
    const at = (): string => `page ${pgno}`;
    if (pgno < 2 || pgno > last) return outside(pgno);
    if (depth > MAX_DEPTH) return `${at()} lies deeper than any tree`;
    if (seen[pgno] === 1) return `${at()} is reached twice`;
    seen[pgno] = 1;
    if (readSync(fd, page, 0, pageSize, pgno * pageSize) < pageSize) return `${at()} is cut short`;
    if (uint64(page, 0) !== pgno) return `${at()} holds another page's number`;
    const flags = page.readUInt16LE(18);
    const kind = flags & (P_BRANCH | P_LEAF | P_OVERFLOW);
    if (kind !== P_BRANCH && kind !== P_LEAF) return `${at()} is neither a branch nor a leaf page`;
    const lower = page.readUInt16LE(20);
    const upper = page.readUInt16LE(22);
    if (lower % 2 !== 0 || lower > upper || HEADER + upper > pageSize) return `${at()} has impossible bounds`;
    const count = lower / 2;
    if (kind === P_BRANCH && count === 0) return `${at()} is an empty branch`;
    for (let i = 0; i < count; i++) {
      const node = HEADER + page.readUInt16LE(HEADER + 2 * i);
      if (node < HEADER + upper || node + NODE > pageSize) return `${at()} has a node outside its page`;
      const lo = page.readUInt16LE(node);
      const hi = page.readUInt16LE(node + 2);
      const nodeFlags = page.readUInt16LE(node + 4);
      const data = node + NODE + page.readUInt16LE(node + 6);
      if (data > pageSize) return `${at()} has a key outside its page`;
      if (kind === P_BRANCH) {
        pages.push(lo + hi * 0x10000 + nodeFlags * 0x100000000);
        depths.push(depth + 1);
        continue;
      }
      const size = lo + hi * 0x10000;
      if (nodeFlags & F_DUPDATA) return `${at()} has a duplicate-key node, which cmc's store never writes`;
      if (nodeFlags & F_BIGDATA) {
        if (data + 8 > pageSize) return `${at()} has a value outside its page`;
        const problem = overflowProblem(fd, header, uint64(page, data), size, pageSize, last, seen);
        if (problem) return problem;
      } else if (nodeFlags & F_SUBDATA) {
        if (data + DB_BYTES > pageSize || size !== DB_BYTES) return `${at()} has a damaged database record`;
        if (page.readBigUInt64LE(data + ROOT_IN_DB) !== P_INVALID) {
          pages.push(uint64(page, data + ROOT_IN_DB));
          depths.push(0);
        }
      } else if (data + size > pageSize) return `${at()} has a value outside its page`;
    }
  }
  return undefined;
}

function outside(pgno: number): string {
  return `a page number (${Number.isSafeInteger(pgno) ? pgno : "past 2^53"}) lies outside the data`;
}

/** The little-endian 64-bit number at `offset`, as a Number (inexact only past 2^53). */
function uint64(buffer: Buffer, offset: number): number {
  return buffer.readUInt32LE(offset) + buffer.readUInt32LE(offset + 4) * 0x100000000;
}

/** Why the overflow pages of a `size`-byte value starting at `pgno` are damaged, if they are. */
function overflowProblem(fd: number, header: Buffer, pgno: number, size: number, pageSize: number, last: number, seen: Uint8Array): string | undefined {
  const at = `overflow page ${pgno}`;
  if (pgno < 2 || pgno > last) return outside(pgno);
  if (readSync(fd, header, 0, HEADER, pgno * pageSize) < HEADER) return `${at} is cut short`;
  if (uint64(header, 0) !== pgno || (header.readUInt16LE(18) & P_OVERFLOW) === 0) return `${at} is not an overflow page`;
  const pages = header.readUInt32LE(20);
  if (pages < 1 || pgno + pages - 1 > last) return `${at} runs past the data`;
  if (pages * pageSize - HEADER < size) return `${at} is too short for its value`;
  if (seen[pgno] === 1) return `${at} is reached twice`;
  seen[pgno] = 1;
  return undefined;
}

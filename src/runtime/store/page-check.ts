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

/** Pages read at a time: the pages of a tree lie mostly near each other, and a read each cost more than the walk. */
const BLOCK_PAGES = 64;
/** Blocks kept (4 MB of 4 KB pages). */
const BLOCKS_KEPT = 16;

/** The file's pages, read a block at a time, the blocks used last kept. */
class PageReader {
  readonly #blocks = new Map<number, Buffer>();

  constructor(
    private readonly fd: number,
    private readonly pageSize: number,
  ) {}

  /**
   * The first `bytes` of page `pgno`, or undefined where the file ends sooner: a view into a kept
   * block, so a page stays valid while fewer than `BLOCKS_KEPT` other blocks are read (a walked
   * page while its overflow pages are checked).
   */
  at(pgno: number, bytes: number): Buffer | undefined {
    const block = Math.floor(pgno / BLOCK_PAGES);
    let data = this.#blocks.get(block);
    if (data !== undefined) {
      this.#blocks.delete(block);
      this.#blocks.set(block, data);
    } else {
      // The evicted block's memory is read into again: fresh memory costs a page fault per 4 KB.
      let buffer: Buffer;
      if (this.#blocks.size < BLOCKS_KEPT) buffer = Buffer.allocUnsafe(BLOCK_PAGES * this.pageSize);
      else {
        const [oldest, kept] = this.#blocks.entries().next().value!;
        this.#blocks.delete(oldest);
        buffer = Buffer.from(kept.buffer, kept.byteOffset, BLOCK_PAGES * this.pageSize);
      }
      data = buffer.subarray(0, readSync(this.fd, buffer, 0, buffer.length, block * buffer.length));
      this.#blocks.set(block, data);
    }
    const start = (pgno - block * BLOCK_PAGES) * this.pageSize;
    return start + bytes <= data.length ? data.subarray(start, start + bytes) : undefined;
  }
}

/** Why the trees under `roots` are damaged, or `undefined` when every reachable page is sound. */
export function treeProblem(fd: number, pageSize: number, lastPage: bigint, roots: readonly bigint[]): string | undefined {
  // Page numbers are Numbers here (exact below 2^53, far past any file a machine holds): a BigInt
  // per node made the walk of a large store cost more than reading it.
  const last = Number(lastPage);
  const reader = new PageReader(fd, pageSize);
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
    const page = reader.at(pgno, pageSize);
    if (page === undefined) return `${at()} is cut short`;
    if (uint64(page, 0) !== pgno) return `${at()} holds another page's number`;
    const flags = u16(page, 18);
    const kind = flags & (P_BRANCH | P_LEAF | P_OVERFLOW);
    if (kind !== P_BRANCH && kind !== P_LEAF) return `${at()} is neither a branch nor a leaf page`;
    const lower = u16(page, 20);
    const upper = u16(page, 22);
    if (lower % 2 !== 0 || lower > upper || HEADER + upper > pageSize) return `${at()} has impossible bounds`;
    const count = lower / 2;
    if (kind === P_BRANCH && count === 0) return `${at()} is an empty branch`;
    for (let i = 0; i < count; i++) {
      const node = HEADER + u16(page, HEADER + 2 * i);
      if (node < HEADER + upper || node + NODE > pageSize) return `${at()} has a node outside its page`;
      const lo = u16(page, node);
      const hi = u16(page, node + 2);
      const nodeFlags = u16(page, node + 4);
      const data = node + NODE + u16(page, node + 6);
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
        const problem = overflowProblem(reader, uint64(page, data), size, pageSize, last, seen);
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

/** The problem of a page number past the data (one past 2^53 cannot be printed exactly). */
function outside(pgno: number): string {
  return `a page number (${Number.isSafeInteger(pgno) ? pgno : "past 2^53"}) lies outside the data`;
}

/** The little-endian 16-bit number at `offset` (the bounds were checked by the caller). */
function u16(buffer: Buffer, offset: number): number {
  return buffer[offset]! | (buffer[offset + 1]! << 8);
}

/** The little-endian 64-bit number at `offset`, as a Number (inexact only past 2^53). */
function uint64(buffer: Buffer, offset: number): number {
  return buffer.readUInt32LE(offset) + buffer.readUInt32LE(offset + 4) * 0x100000000;
}

/** Why the overflow pages of a `size`-byte value starting at `pgno` are damaged, if they are. */
function overflowProblem(reader: PageReader, pgno: number, size: number, pageSize: number, last: number, seen: Uint8Array): string | undefined {
  const at = `overflow page ${pgno}`;
  if (pgno < 2 || pgno > last) return outside(pgno);
  const header = reader.at(pgno, HEADER);
  if (header === undefined) return `${at} is cut short`;
  if (uint64(header, 0) !== pgno || (u16(header, 18) & P_OVERFLOW) === 0) return `${at} is not an overflow page`;
  const pages = header.readUInt32LE(20);
  if (pages < 1 || pgno + pages - 1 > last) return `${at} runs past the data`;
  if (pages * pageSize - HEADER < size) return `${at} is too short for its value`;
  if (seen[pgno] === 1) return `${at} is reached twice`;
  seen[pgno] = 1;
  return undefined;
}

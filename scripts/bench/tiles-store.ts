/**
 * An S3-like store of a tiled log for the benchmark: an in-memory object map keyed by the
 * c2sp paths (docs/FORMAT.md, "log layout"), that counts GETs and PUTs and can wait a fixed
 * latency per request. Trees of 10^8 leaves do not fit in memory, so the map is filled lazily:
 * an object missing from it is generated on its first GET from a deterministic tree, and kept.
 * The hash tiles are those a real tree of those leaves has; the records bundles are
 * placeholders of the right line count (their bytes do not matter for counting reads).
 */
import { createHash } from 'node:crypto';
import { base64Encode, utf8Encode } from '../../core/encoding';
import { LedgerError } from '../../core/errors';
import { HASH_SIZE } from '../../core/merkle/hasher';
import { TILE_WIDTH, tileWidthInTree } from '../../core/tlog/tile';
import { hashTilePath, parseEntryBundlePath, parseHashTilePath } from '../../core/tlog/tile-path';
import { treeRootFromTiles } from '../../core/tlog/tile-proofs';
import type { TileReader } from '../../core/tlog/tile-reader';

/** The leaves of a synthetic tree, as the hashes each tile level holds. */
export interface TreeContents {
  readonly leaves: string;
  /** Hash number `k` of level `level`: MTH of leaves [k * 256^level, (k + 1) * 256^level). */
  hashAt(level: number, k: number): Uint8Array;
}

// node:crypto rather than core's hasher: the same RFC 9162 hashes, generated several times faster.
const sha256 = (...parts: Uint8Array[]): Uint8Array => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};
const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);
export const leafHash = (data: Uint8Array): Uint8Array => sha256(LEAF, data);
const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(NODE, left, right);

/** MTH of 256 consecutive hashes of one level: the hash above them 8 levels up. */
function rootOf256(hashes: Uint8Array[]): Uint8Array {
  let row = hashes;
  while (row.length > 1)
    row = Array.from({ length: row.length / 2 }, (_, i) => nodeHash(row[2 * i]!, row[2 * i + 1]!));
  return row[0]!;
}

/**
 * Every leaf the same record hash: every perfect subtree of a height has the same root, so a
 * tile at any position of a tree of any size costs a few dozen hashes.
 */
export function identicalLeaves(): TreeContents {
  const roots = [leafHash(sha256(utf8Encode('the same record')))];
  for (let h = 1; h <= 56; h++) roots.push(nodeHash(roots[h - 1]!, roots[h - 1]!));
  return { leaves: 'identical', hashAt: (level) => roots[level * 8]! };
}

/** The record hash of seq i in the hashed-leaves tree: SHA-256 of its decimal form. */
export const recordHashOf = (i: number): Uint8Array => sha256(utf8Encode(String(i)));

/**
 * Leaf i = the RFC 9162 leaf hash of SHA-256(decimal i), as records with distinct hashes.
 * Hashes above level 0 are computed from the whole subtree below and memoized: a level-L
 * hash costs 2 * 256^L hashes the first time, so this suits trees up to about 10^6.
 */
export function hashedLeaves(): TreeContents {
  const memo = new Map<string, Uint8Array>();
  const hashAt = (level: number, k: number): Uint8Array => {
    if (level === 0) return leafHash(recordHashOf(k));
    const key = `${level}/${k}`;
    let hash = memo.get(key);
    if (!hash) {
      hash = rootOf256(
        Array.from({ length: TILE_WIDTH }, (_, i) => hashAt(level - 1, k * TILE_WIDTH + i)),
      );
      memo.set(key, hash);
    }
    return hash;
  };
  return { leaves: 'hashed', hashAt };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The log of a tree of `treeSize` leaves under c2sp paths, generated on first read, counted. */
export class CountingLogStore implements TileReader {
  readonly objects = new Map<string, Uint8Array>();
  gets = 0;
  puts = 0;

  constructor(
    readonly treeSize: number,
    readonly contents: TreeContents,
    /** Fixed wait per request, standing for an S3 round trip; 0 for CPU time alone. */
    public latencyMs = 0,
  ) {}

  async get(path: string): Promise<Uint8Array> {
    this.gets++;
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    let bytes = this.objects.get(path);
    if (!bytes) {
      bytes = await this.generate(path);
      this.objects.set(path, bytes);
    }
    return bytes;
  }

  async put(path: string, bytes: Uint8Array): Promise<void> {
    this.puts++;
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    this.objects.set(path, bytes);
  }

  readHashTile(level: number, index: number, width: number): Promise<Uint8Array> {
    return this.get(hashTilePath({ level, index, width }));
  }

  /** GETs and PUTs made by `action`, counted afresh. */
  async count<T>(action: () => Promise<T>): Promise<{ result: T; gets: number; puts: number }> {
    [this.gets, this.puts] = [0, 0];
    const result = await action();
    return { result, gets: this.gets, puts: this.puts };
  }

  private tile(level: number, index: number, width: number): Uint8Array {
    if (tileWidthInTree(level, index, this.treeSize) !== width) {
      throw new LedgerError('TILE_MISSING', 'no such tile', { level, index, width });
    }
    const bytes = new Uint8Array(width * HASH_SIZE);
    for (let i = 0; i < width; i++) {
      bytes.set(this.contents.hashAt(level, index * TILE_WIDTH + i), i * HASH_SIZE);
    }
    return bytes;
  }

  private async generate(path: string): Promise<Uint8Array> {
    if (path === 'checkpoint') {
      // Uncounted: the generator's own reads of the rightmost tiles, not the client's.
      const direct = {
        readHashTile: (l: number, i: number, w: number) => Promise.resolve(this.tile(l, i, w)),
      };
      const root = await treeRootFromTiles(direct, this.treeSize);
      return utf8Encode(
        `bench.example/log\n${this.treeSize}\n${base64Encode(root)}\n\n— bench placeholder signature\n`,
      );
    }
    if (path.startsWith('tile/records/')) {
      const { index, width } = parseEntryBundlePath(path.replace('tile/records/', 'tile/entries/'));
      const lines = Array.from({ length: width }, (_, i) => `{"seq":${index * TILE_WIDTH + i}}\n`);
      return utf8Encode(lines.join(''));
    }
    const { level, index, width } = parseHashTilePath(path);
    return this.tile(level, index, width);
  }
}

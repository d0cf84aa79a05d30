/**
 * A tree whose leaves are all the same leaf hash: every perfect subtree of height h has the
 * same root, so its tiles (256 or W copies of one hash) and roots at any size, even 2^53 - 1,
 * cost a few dozen hashes. It is a real, consistent RFC 9162 tree, which lets the read-count
 * tests verify their proofs at the sizes the benchmark names.
 */
import { bytesToHex } from '../../../core/encoding';
import { LedgerError } from '../../../core/errors';
import { compactRangeRoot } from '../../../core/merkle/compact-range';
import { rfc9162Hasher } from '../../../core/merkle/hasher';
import { tileWidthInTree } from '../../../core/tlog/tile';
import { hashTilePath } from '../../../core/tlog/tile-path';
import type { TileReader } from '../../../core/tlog/tile-reader';

class UniformTileStore implements TileReader {
  reads: string[] = [];

  constructor(
    private readonly size: number,
    private readonly rootOfHeight: readonly Uint8Array[],
  ) {}

  readHashTile(level: number, index: number, width: number): Promise<Uint8Array> {
    this.reads.push(hashTilePath({ level, index, width }));
    if (tileWidthInTree(level, index, this.size) !== width) {
      return Promise.reject(
        new LedgerError('TILE_MISSING', 'no such tile', { level, index, width }),
      );
    }
    const tile = new Uint8Array(width * 32);
    for (let i = 0; i < width; i++) tile.set(this.rootOfHeight[level * 8]!, i * 32);
    return Promise.resolve(tile);
  }

  async countReads<T>(action: () => Promise<T>): Promise<{ result: T; reads: number }> {
    this.reads = [];
    const result = await action();
    return { result, reads: this.reads.length };
  }
}

export function uniformTree(size: number) {
  const leaf = rfc9162Hasher.hashLeaf(new TextEncoder().encode('the same record'));
  const rootOfHeight = [leaf];
  for (let h = 1; h <= 53; h++)
    rootOfHeight.push(rfc9162Hasher.hashChildren(rootOfHeight[h - 1]!, rootOfHeight[h - 1]!));
  /** The compact range of a tree of `n` leaves: one root per set bit, highest first. */
  const rangeHashes = (n: number): string[] => {
    const hashes: string[] = [];
    for (let h = 53; h >= 0; h--)
      if (Math.floor(n / 2 ** h) % 2 === 1) hashes.push(bytesToHex(rootOfHeight[h]!));
    return hashes;
  };
  const root = (n: number): Uint8Array => compactRangeRoot({ size: n, hashes: rangeHashes(n) });
  return { leaf, store: new UniformTileStore(size, rootOfHeight), root, rangeHashes };
}

/**
 * The benchmark's counting tile store (scripts/bench/tiles-store.ts) serves the tiles a real
 * tree of its leaves has, and proofs and exports read from it stay within the bound
 * 2 * ceil(log256 n) + 2 at the benchmark's sizes. Read counts only: no timing here.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../core/encoding';
import { tilesFromLeafHashes } from '../../../core/tlog/tile-append';
import { hashTilePath } from '../../../core/tlog/tile-path';
import { consistencyProofFromTiles, inclusionProofFromTiles } from '../../../core/tlog/tile-proofs';
import { verifyInclusion } from '../../../core/merkle/inclusion';
import { exportRecord, readBound } from '../../../scripts/bench/tiles';
import {
  CountingLogStore,
  hashedLeaves,
  identicalLeaves,
  leafHash,
  recordHashOf,
} from '../../../scripts/bench/tiles-store';

const SIZE = 70_000;

describe('the counting tile store', () => {
  it('generates, for hashed leaves, every tile the tree of those leaves has', async () => {
    const leaves = Array.from({ length: SIZE }, (_, i) => leafHash(recordHashOf(i)));
    const store = new CountingLogStore(SIZE, hashedLeaves());
    for (const tile of tilesFromLeafHashes(leaves)) {
      expect(bytesToHex(await store.get(hashTilePath(tile)))).toBe(bytesToHex(tile.hashes));
    }
  });

  it.each([
    [SIZE, 'hashed'],
    [1e6, 'identical'],
    [1e7, 'identical'],
    [1e8, 'identical'],
  ] as const)(
    'keeps proofs and exports at %i leaves (%s) within 2 * ceil(log256 n) + 2 reads',
    async (size, leaves) => {
      const store = new CountingLogStore(
        size,
        leaves === 'hashed' ? hashedLeaves() : identicalLeaves(),
      );
      for (const index of [0, 1, Math.floor(size / 3), size - 2, size - 1]) {
        const inclusion = await store.count(() => inclusionProofFromTiles(store, index, size));
        const consistency = await store.count(() =>
          consistencyProofFromTiles(store, index + 1, size),
        );
        const exported = await store.count(() => exportRecord(store, index));
        for (const { gets } of [inclusion, consistency, exported]) {
          expect(gets).toBeLessThanOrEqual(readBound(size));
        }
        expect(exported.gets).toBe(inclusion.gets + 2);
        const { proof, root } = exported.result;
        const leafHash = store.contents.hashAt(0, index);
        expect(() =>
          verifyInclusion({ leafIndex: index, treeSize: size, leafHash, proof, root }),
        ).not.toThrow();
      }
    },
  );

  it('fails a tile the tree does not have with TILE_MISSING', async () => {
    const store = new CountingLogStore(1000, identicalLeaves());
    await expect(store.readHashTile(0, 3, 256)).rejects.toFailWithCode('TILE_MISSING');
  });
});

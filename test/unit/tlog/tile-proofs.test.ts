/**
 * Proofs and roots from tiles equal core/merkle's proofs from all leaf hashes, and read at most
 * 2 * ceil(log256 n) + 2 tiles (the bound), counted on an in-memory store.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../core/encoding';
import { consistencyProof, verifyConsistency } from '../../../core/merkle/consistency';
import { rfc9162Hasher } from '../../../core/merkle/hasher';
import { inclusionProof, verifyInclusion } from '../../../core/merkle/inclusion';
import { treeRoot } from '../../../core/merkle/tree';
import { tilesFromLeafHashes } from '../../../core/tlog/tile-append';
import { hashTilePath } from '../../../core/tlog/tile-path';
import { partialTiles } from '../../../core/tlog/tiles-for-tree';
import {
  compactRangeFromTiles,
  consistencyProofFromTiles,
  inclusionProofFromTiles,
  leafHashFromTiles,
  treeRootFromTiles,
} from '../../../core/tlog/tile-proofs';
import { appendLeaves, EMPTY_COMPACT_RANGE } from '../../../core/merkle/compact-range';
import { makeLeafHashes } from '../merkle/fixtures';
import { ceilLog256, MemoryTileStore } from './fixtures';
import { uniformTree } from './uniform-tree';

const MAX_SIZE = 70_000;
const LEAVES = makeLeafHashes(MAX_SIZE);
const hex = (nodes: readonly Uint8Array[]): string[] => nodes.map((node) => bytesToHex(node));

/**
 * The store holds the tiles of every size the tests ask about, as a log keeps the partial
 * tiles of each checkpoint: those of MAX_SIZE, plus each smaller size's partial tiles, which
 * by the spec's definition are prefixes of MAX_SIZE's tiles at the same position.
 */
const store = new MemoryTileStore();
const FULL_TREE_TILES = new Map(
  tilesFromLeafHashes(LEAVES).map((tile) => [`${tile.level}/${tile.index}`, tile]),
);
function publishSize(size: number): void {
  store.write(
    partialTiles(size).map((tile) => {
      const { hashes } = FULL_TREE_TILES.get(`${tile.level}/${tile.index}`)!;
      return { ...tile, hashes: hashes.subarray(0, tile.width * 32) };
    }),
  );
}

beforeAll(() => {
  store.write([...FULL_TREE_TILES.values()]);
});

const smallSize = fc.oneof(
  fc.integer({ min: 1, max: 3000 }),
  fc
    .record({ l1: fc.integer({ min: 0, max: 12 }), l0: fc.integer({ min: 0, max: 255 }) })
    .map(({ l1, l0 }) => Math.max(1, l1 * 256 + l0)),
  fc.integer({ min: 1, max: 12 }).map((tiles) => tiles * 256),
);
const sizeAndIndex = smallSize.chain((size) =>
  fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.constant(size)),
);
const twoSizes = smallSize.chain((second) =>
  fc.tuple(fc.integer({ min: 0, max: second }), fc.constant(second)),
);

/** Asserts the tile proof equals the proof from all leaves, within the read bound. */
async function expectSameProof(
  size: number,
  fromTiles: () => Promise<Uint8Array[]>,
  fromLeaves: (leaves: Uint8Array[]) => Uint8Array[],
): Promise<void> {
  publishSize(size);
  const { result, reads } = await store.countReads(fromTiles);
  expect(hex(result)).toEqual(hex(fromLeaves(LEAVES.slice(0, size))));
  expect(reads).toBeLessThanOrEqual(2 * ceilLog256(size) + 2);
}

const inclusionCase = (index: number, size: number): Promise<void> =>
  expectSameProof(
    size,
    () => inclusionProofFromTiles(store, index, size),
    (leaves) => inclusionProof(leaves, index),
  );

const consistencyCase = (first: number, second: number): Promise<void> =>
  expectSameProof(
    second,
    () => consistencyProofFromTiles(store, first, second),
    (leaves) => consistencyProof(leaves, first),
  );

describe('an inclusion proof from tiles', () => {
  it('equals the proof from all leaves and reads at most 2 * ceil(log256 n) + 2 tiles', async () => {
    await fc.assert(
      fc.asyncProperty(sizeAndIndex, ([index, size]) => inclusionCase(index, size)),
      { numRuns: 120 },
    );
  }, 60_000);

  it.each([
    [0, 65_536],
    [65_535, 65_536],
    [12_345, 65_537],
    [65_536, 65_537],
    [69_999, 70_000],
    [300, 70_000],
  ])('equals the proof from all leaves for leaf %i of %i', inclusionCase, 60_000);
});

describe('a consistency proof from tiles', () => {
  it('equals the proof from all leaves and reads at most 2 * ceil(log256 n) + 2 tiles', async () => {
    await fc.assert(
      fc.asyncProperty(twoSizes, ([first, second]) => consistencyCase(first, second)),
      { numRuns: 120 },
    );
  }, 60_000);

  it.each([
    [256, 65_536],
    [65_535, 65_537],
    [65_536, 70_000],
    [1_000, 70_000],
    [69_999, 70_000],
  ])('equals the proof from all leaves from %i to %i', consistencyCase, 60_000);
});

describe('the root, a leaf hash and the compact range from tiles', () => {
  it('equal those computed from all leaves', async () => {
    await fc.assert(
      fc.asyncProperty(sizeAndIndex, async ([index, size]) => {
        publishSize(size);
        const leaves = LEAVES.slice(0, size);
        const { result: root, reads } = await store.countReads(() =>
          treeRootFromTiles(store, size),
        );
        expect(bytesToHex(root)).toBe(bytesToHex(treeRoot(leaves)));
        expect(reads).toBeLessThanOrEqual(ceilLog256(size) + 1);
        expect(bytesToHex(await leafHashFromTiles(store, index, size))).toBe(
          bytesToHex(leaves[index]!),
        );
        expect(await compactRangeFromTiles(store, size)).toEqual(
          appendLeaves(EMPTY_COMPACT_RANGE, leaves),
        );
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('gives the empty root for the empty tree without reading', async () => {
    const { result, reads } = await store.countReads(() => treeRootFromTiles(store, 0));
    expect(bytesToHex(result)).toBe(bytesToHex(rfc9162Hasher.emptyRoot()));
    expect(reads).toBe(0);
  });
});

describe('at 10^6 to 2^53 - 1 leaves (a tree of identical leaves, whose tiles are cheap)', () => {
  it.each([1_000_000, 10_000_000, 100_000_000, 2 ** 32, 2 ** 40 + 12_345, Number.MAX_SAFE_INTEGER])(
    'proofs for n = %i verify against the root and stay within the read bound',
    async (size) => {
      const tree = uniformTree(size);
      const bound = 2 * ceilLog256(size) + 2;
      const index = Math.floor(size / 3);
      const inclusion = await tree.store.countReads(() =>
        inclusionProofFromTiles(tree.store, index, size),
      );
      verifyInclusion({
        leafIndex: index,
        treeSize: size,
        leafHash: tree.leaf,
        proof: inclusion.result,
        root: tree.root(size),
      });
      expect(inclusion.reads).toBeLessThanOrEqual(bound);
      const first = Math.floor(size / 2) + 1;
      const consistency = await tree.store.countReads(() =>
        consistencyProofFromTiles(tree.store, first, size),
      );
      verifyConsistency({
        firstSize: first,
        secondSize: size,
        firstRoot: tree.root(first),
        secondRoot: tree.root(size),
        proof: consistency.result,
      });
      expect(consistency.reads).toBeLessThanOrEqual(bound);
      const root = await tree.store.countReads(() => treeRootFromTiles(tree.store, size));
      expect(bytesToHex(root.result)).toBe(bytesToHex(tree.root(size)));
      expect(root.reads).toBeLessThanOrEqual(ceilLog256(size) + 1);
    },
  );
});

describe('when a tile read from the store is malformed or absent', () => {
  it('fails with TILE_MALFORMED for a tile one byte short', async () => {
    publishSize(1000);
    const path = hashTilePath({ level: 0, index: 3, width: 232 });
    const good = store.objects.get(path)!;
    store.objects.set(path, good.subarray(1));
    try {
      await expect(inclusionProofFromTiles(store, 999, 1000)).rejects.toMatchObject({
        code: 'TILE_MALFORMED',
      });
      await expect(treeRootFromTiles(store, 1000)).rejects.toMatchObject({
        code: 'TILE_MALFORMED',
      });
    } finally {
      store.objects.set(path, good);
    }
  });

  it('fails with TILE_MISSING when the tree has no partial tile for that size', async () => {
    // Its own store: the property tests publish random sizes into the shared one.
    const fullTilesOnly = new MemoryTileStore();
    fullTilesOnly.write([...FULL_TREE_TILES.values()]);
    await expect(inclusionProofFromTiles(fullTilesOnly, 0, 1001)).rejects.toMatchObject({
      code: 'TILE_MISSING',
    });
  });

  it('fails with TREE_SIZE_INVALID before reading for an index outside the tree', async () => {
    const { reads } = await store.countReads(async () => {
      await expect(inclusionProofFromTiles(store, 5, 5)).rejects.toMatchObject({
        code: 'TREE_SIZE_INVALID',
      });
      await expect(consistencyProofFromTiles(store, 6, 5)).rejects.toMatchObject({
        code: 'TREE_SIZE_INVALID',
      });
      await expect(leafHashFromTiles(store, 5, 5)).rejects.toMatchObject({
        code: 'TREE_SIZE_INVALID',
      });
    });
    expect(reads).toBe(0);
  });

  it('a proof built from a changed tile hash does not verify (ROOT_MISMATCH)', async () => {
    publishSize(1000);
    const path = hashTilePath({ level: 0, index: 0, width: 256 });
    const good = store.objects.get(path)!;
    const changed = Uint8Array.from(good);
    changed[32 * 7] = changed[32 * 7]! ^ 1;
    store.objects.set(path, changed);
    try {
      const proof = await inclusionProofFromTiles(store, 6, 1000);
      const root = treeRoot(LEAVES.slice(0, 1000));
      expect(() =>
        verifyInclusion({ leafIndex: 6, treeSize: 1000, leafHash: LEAVES[6]!, proof, root }),
      ).toFailWithCode('ROOT_MISMATCH');
    } finally {
      store.objects.set(path, good);
    }
  });
});

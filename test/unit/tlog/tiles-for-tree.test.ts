/**
 * Which tiles a tree has, and their contents written incrementally, against the examples and
 * the definition in c2sp.org/tlog-tiles (C2SP/C2SP tlog-tiles.md, "Partial Tiles").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../core/encoding';
import { appendToTiles, extendTiles, tilesFromLeafHashes } from '../../../core/tlog/tile-append';
import { hashTilePath } from '../../../core/tlog/tile-path';
import {
  newTiles,
  partialTiles,
  partialTilesToExtend,
  tilesOfTree,
} from '../../../core/tlog/tiles-for-tree';
import { makeLeafHashes } from '../merkle/fixtures';
import { MemoryTileStore, SpecTiles } from './fixtures';

const MAX_SIZE = 70_000;
const LEAVES = makeLeafHashes(MAX_SIZE);
const SPEC = new SpecTiles(LEAVES);

function widthsByLevel(treeSize: number): Record<number, number[]> {
  const byLevel: Record<number, number[]> = {};
  for (const tile of tilesOfTree(treeSize)) (byLevel[tile.level] ??= []).push(tile.width);
  return byLevel;
}

/**
 * Tree sizes that put partial tiles at any width on levels 0 and 1, and exact multiples of 256.
 * Kept below ~10k leaves for the random runs (SHA-256 here costs ~10 µs); sizes past 256^2,
 * where level 2 appears, are the explicit cases at the end.
 */
const treeSize = fc.oneof(
  fc.integer({ min: 0, max: 3000 }),
  fc
    .record({ l1: fc.integer({ min: 0, max: 40 }), l0: fc.integer({ min: 0, max: 255 }) })
    .map(({ l1, l0 }) => l1 * 256 + l0),
  fc.integer({ min: 0, max: 40 }).map((tiles) => tiles * 256),
  fc.constantFrom(1, 255, 256, 257, 511, 512),
);

describe('the tiles of a tree of a given size', () => {
  it('for 70,000 leaves: 273 full and a width-112 tile at level 0, 1 full and a width-17 tile at level 1, a width-1 tile at level 2', () => {
    // Spec: "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial
    // level 0 tile of width 112, one full level 1 tile, one partial level 1 tile of width 17,
    // and one partial level 2 tile of width 1."
    expect(widthsByLevel(70_000)).toEqual({
      0: [...Array<number>(273).fill(256), 112],
      1: [256, 17],
      2: [1],
    });
  });

  it('for 256 leaves: a full level-0 tile and a width-1 level-1 tile', () => {
    // Spec: "a tree of size 256 will be represented by a full level 0 tile and a partial
    // level 1 tile of width 1."
    expect(tilesOfTree(256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
  });

  it('has no tiles when empty, and newTiles lists nothing when the size does not change', () => {
    expect(tilesOfTree(0)).toEqual([]);
    expect(newTiles(70_000, 70_000)).toEqual([]);
  });

  it('gives each partial tile width floor(s / 256**l) mod 256', () => {
    fc.assert(
      fc.property(treeSize, (size) => {
        for (const tile of partialTiles(size)) {
          expect(tile.width).toBe(Math.floor(size / 256 ** tile.level) % 256);
        }
        const partial = tilesOfTree(size).filter((tile) => tile.width < 256);
        expect(partial).toEqual(partialTiles(size));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a shrinking tree with TREE_SIZE_INVALID', () => {
    expect(() => newTiles(2, 1)).toFailWithCode('TREE_SIZE_INVALID');
    expect(() => partialTiles(-1)).toFailWithCode('TREE_SIZE_INVALID');
  });
});

/** Writes [0, size) batch by batch through the port, checking each batch's tiles and reads. */
async function writeInBatches(size: number, cuts: readonly number[]): Promise<MemoryTileStore> {
  const store = new MemoryTileStore();
  let written = 0;
  for (const cut of [...cuts, size]) {
    const tiles = await appendToTiles(store, written, LEAVES.slice(written, cut));
    // The writer writes exactly the new tiles and reads only the old partial ones it extends.
    expect(tiles.map(({ level, index, width }) => ({ level, index, width }))).toEqual(
      newTiles(written, cut),
    );
    expect(store.reads).toEqual(partialTilesToExtend(written, cut).map(hashTilePath));
    store.reads = [];
    store.write(tiles);
    written = cut;
  }
  return store;
}

function expectTilesOfDefinition(store: MemoryTileStore, size: number): void {
  for (const tile of tilesOfTree(size)) {
    const stored = store.objects.get(hashTilePath(tile));
    expect(stored && bytesToHex(stored), hashTilePath(tile)).toBe(bytesToHex(SPEC.contents(tile)));
  }
}

describe('tile contents written batch by batch', () => {
  it('equal the tiles of the definition, for any tree size and batch boundaries', async () => {
    const sizeAndCuts = treeSize.chain((size) =>
      fc
        .uniqueArray(fc.integer({ min: 0, max: size }), { maxLength: 6 })
        .map((cuts) => ({ size, cuts: cuts.sort((a, b) => a - b) })),
    );
    await fc.assert(
      fc.asyncProperty(sizeAndCuts, async ({ size, cuts }) => {
        expectTilesOfDefinition(await writeInBatches(size, cuts), size);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it.each([
    [65_536, [255, 65_535]],
    [65_537, [65_536]],
    [MAX_SIZE, [1, 256 * 256 - 1, 69_888]],
  ])(
    'equal the tiles of the definition at %i leaves, written in batches up to %j',
    async (size, cuts) => {
      expectTilesOfDefinition(await writeInBatches(size, cuts), size);
    },
    60_000,
  );

  it('from scratch, equal the tiles of the definition at 70,000 leaves', () => {
    for (const tile of tilesFromLeafHashes(LEAVES)) {
      expect(bytesToHex(tile.hashes), hashTilePath(tile)).toBe(bytesToHex(SPEC.contents(tile)));
    }
  }, 60_000);
});

describe('when the writer is not given the old partial tile it must extend', () => {
  const old = tilesFromLeafHashes(LEAVES.slice(0, 300));
  const level0 = old.find((tile) => tile.level === 0 && tile.width === 44)!;
  const level1 = old.find((tile) => tile.level === 1)!;

  it('fails with TILE_MISSING when it is absent or of another width', () => {
    for (const previous of [
      [level1],
      [{ ...level0, width: 43, hashes: level0.hashes.subarray(32) }, level1],
    ]) {
      expect(() => extendTiles(300, previous, LEAVES.slice(300, 600))).toFailWithCode(
        'TILE_MISSING',
      );
    }
  });

  it('fails with TILE_MALFORMED when its bytes are not its width', () => {
    const short = { ...level0, hashes: level0.hashes.subarray(1) };
    expect(() => extendTiles(300, [short, level1], LEAVES.slice(300, 600))).toFailWithCode(
      'TILE_MALFORMED',
    );
  });

  it('reads through the port and fails with TILE_MALFORMED for a truncated stored tile', async () => {
    const store = new MemoryTileStore();
    store.write(old);
    store.objects.set(hashTilePath(level0), level0.hashes.subarray(0, 43 * 32));
    await expect(appendToTiles(store, 300, LEAVES.slice(300, 301))).rejects.toMatchObject({
      code: 'TILE_MALFORMED',
    });
  });
});

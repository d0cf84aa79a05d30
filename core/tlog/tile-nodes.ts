/**
 * Where a node of the tree lives in the tiles, and its hash from them (the idea of
 * TileForIndex/HashFromTile in golang.org/x/mod/sumdb/tlog, for RFC 9162 subtrees).
 *
 * A perfect subtree of height h = 8L + r (0 <= r < 8) is the root of 2^r consecutive hashes
 * of a level-L tile, aligned so they never straddle two tiles. A subtree [begin, end) whose
 * begin is a multiple of the power of two at or above its size (every node RFC 9162 proofs
 * use, and the whole tree) is its perfect subtrees, largest first, folded from the right.
 */
import { LedgerError } from '../errors';
import type { LogHasher } from '../merkle/hasher';
import { subtreeRoot } from '../merkle/tree';
import { splitTileHashes, TILE_HEIGHT, TILE_WIDTH, tileHolding, type TileCoord } from './tile';
import type { TileSet } from './tile-reader';

interface PerfectSubtree {
  readonly height: number;
  /** Index among the perfect subtrees of this height: it covers [index * 2^h, (index + 1) * 2^h). */
  readonly index: number;
}

interface TileSlice {
  readonly tile: TileCoord;
  /** Position of the first hash in the tile, and how many hashes the subtree spans. */
  readonly first: number;
  readonly count: number;
}

function largestPowerOfTwoAtMost(n: number): { power: number; height: number } {
  let [power, height] = [1, 0];
  while (power * 2 <= n) [power, height] = [power * 2, height + 1];
  return { power, height };
}

/** The perfect subtrees of [begin, end), largest first. TREE_SIZE_INVALID if not a node. */
function perfectSubtrees(begin: number, end: number): PerfectSubtree[] {
  const subtrees: PerfectSubtree[] = [];
  for (let at = begin; at < end;) {
    const { power, height } = largestPowerOfTwoAtMost(end - at);
    if (at % power !== 0) {
      throw new LedgerError('TREE_SIZE_INVALID', 'range is not a node of the tree', { begin, end });
    }
    subtrees.push({ height, index: at / power });
    at += power;
  }
  return subtrees;
}

/** The leaf ranges of the perfect subtrees of [begin, end), largest first. */
export function perfectSubtreeRanges(begin: number, end: number): [number, number][] {
  return perfectSubtrees(begin, end).map(({ height, index }) => {
    const size = 2 ** height;
    return [index * size, (index + 1) * size];
  });
}

function sliceOf(subtree: PerfectSubtree, treeSize: number): TileSlice {
  const level = Math.floor(subtree.height / TILE_HEIGHT);
  const count = 2 ** (subtree.height - level * TILE_HEIGHT);
  const hashIndex = subtree.index * count;
  return { tile: tileHolding(level, hashIndex, treeSize), first: hashIndex % TILE_WIDTH, count };
}

/** The tiles (of the tree of `treeSize`) that hold the nodes over the given ranges. */
export function tilesForRanges(
  ranges: readonly (readonly [number, number])[],
  treeSize: number,
): TileCoord[] {
  return ranges.flatMap(([begin, end]) =>
    perfectSubtrees(begin, end).map((subtree) => sliceOf(subtree, treeSize).tile),
  );
}

/** MTH(D[begin:end]) from tiles read with tilesForRanges. */
export function rangeRootFromTiles(
  tiles: TileSet,
  begin: number,
  end: number,
  treeSize: number,
  hasher: LogHasher,
): Uint8Array {
  const roots = perfectSubtrees(begin, end).map((subtree) => {
    const { tile, first, count } = sliceOf(subtree, treeSize);
    return subtreeRoot(splitTileHashes(tiles.hashes(tile)), first, first + count, hasher);
  });
  if (roots.length === 0) return hasher.emptyRoot();
  return roots.reduceRight((right, left) => hasher.hashChildren(left, right));
}

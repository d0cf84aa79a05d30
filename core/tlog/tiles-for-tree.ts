/**
 * Which tiles make up a tree, and which a writer must write when the tree grows
 * (c2sp.org/tlog-tiles "Partial Tiles"; the same walk as NewTiles in golang.org/x/mod/sumdb/tlog).
 *
 * Example from the spec: a tree of 70,000 leaves is 273 full level-0 tiles, a partial level-0
 * tile of width 112, one full level-1 tile, a partial level-1 tile of width 17 and a partial
 * level-2 tile of width 1.
 */
import { requireCount } from '../merkle/checks';
import { requireOrderedSizes } from '../merkle/consistency';
import { hashesAtLevel, TILE_WIDTH, type TileCoord } from './tile';

/**
 * The tiles the tree of `newSize` has that the tree of `oldSize` does not have in the same
 * form: the full tiles completed in between and the new partial tiles at the right edge, level
 * by level and by index within a level. A level whose hash count did not change (nor any level
 * above it) has nothing new.
 */
export function newTiles(oldSize: number, newSize: number): TileCoord[] {
  requireOrderedSizes(oldSize, newSize);
  const tiles: TileCoord[] = [];
  for (let level = 0; ; level++) {
    const oldCount = hashesAtLevel(level, oldSize);
    const newCount = hashesAtLevel(level, newSize);
    if (oldCount >= newCount) return tiles;
    const fullTiles = Math.floor(newCount / TILE_WIDTH);
    for (let index = Math.floor(oldCount / TILE_WIDTH); index < fullTiles; index++) {
      tiles.push({ level, index, width: TILE_WIDTH });
    }
    const width = newCount % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: fullTiles, width });
  }
}

/** Every tile of the tree of `treeSize` leaves, full and partial. */
export function tilesOfTree(treeSize: number): TileCoord[] {
  return newTiles(0, treeSize);
}

/**
 * The partial tiles of the tree of `treeSize` leaves, lowest level first: its whole state
 * beyond the full tiles, and all a writer needs to extend it (see tile-append.ts).
 */
export function partialTiles(treeSize: number): TileCoord[] {
  requireCount(treeSize, 'treeSize');
  const tiles: TileCoord[] = [];
  for (let level = 0; hashesAtLevel(level, treeSize) > 0; level++) {
    const count = hashesAtLevel(level, treeSize);
    const width = count % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: Math.floor(count / TILE_WIDTH), width });
  }
  return tiles;
}

/**
 * The partial tiles of `oldSize` a writer must read to grow the tree to `newSize`: those at
 * the levels the growth changes (a partial tile above them stays as it is).
 */
export function partialTilesToExtend(oldSize: number, newSize: number): TileCoord[] {
  requireOrderedSizes(oldSize, newSize);
  return partialTiles(oldSize).filter(
    (tile) => hashesAtLevel(tile.level, oldSize) < hashesAtLevel(tile.level, newSize),
  );
}

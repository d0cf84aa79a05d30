/**
 * Tile geometry of c2sp.org/tlog-tiles: the Merkle tree (RFC 9162 hashing, core/merkle) cut
 * into tiles of height 8. The tile at level L, index N holds, for i in 0..255,
 *
 *   MTH(D[(N * 256 + i) * 256**L : (N * 256 + i + 1) * 256**L])
 *
 * i.e. the roots of the perfect subtrees of height 8L; a full tile is 256 hashes (8,192 bytes)
 * and the rightmost tile of a level may be partial, with width floor(n / 256**L) mod 256.
 *
 * Sizes and indices are JS numbers, exact for every safe integer: division by a power of two
 * is exact in binary floating point, so no bit operators (which stop at 2^31) are needed.
 */
import { LedgerError } from '../errors';
import { HASH_SIZE } from '../merkle/hasher';

/** Height of the subtree one tile spans. */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile (2^TILE_HEIGHT). */
export const TILE_WIDTH = 256;
/** Bytes of a full tile. */
export const FULL_TILE_BYTES = TILE_WIDTH * HASH_SIZE;

/** One tile of the tree: width 256 is a full tile, 1..255 a partial one. */
export interface TileCoord {
  readonly level: number;
  readonly index: number;
  readonly width: number;
}

/** A tile with its contents: `width` hashes of HASH_SIZE bytes, concatenated. */
export interface HashTile extends TileCoord {
  readonly hashes: Uint8Array;
}

/** 256**level, exact for every level a safe tree size can reach. */
export function tileSpan(level: number): number {
  return TILE_WIDTH ** level;
}

/** How many hashes level `level` holds in a tree of `treeSize` leaves: floor(n / 256**L). */
export function hashesAtLevel(level: number, treeSize: number): number {
  return Math.floor(treeSize / tileSpan(level));
}

/**
 * The width of tile (level, index) in a tree of `treeSize` leaves: 256 when full, 1..255 when
 * it is the partial rightmost tile, 0 when the tree has no such tile.
 */
export function tileWidthInTree(level: number, index: number, treeSize: number): number {
  const available = hashesAtLevel(level, treeSize) - index * TILE_WIDTH;
  return Math.max(0, Math.min(TILE_WIDTH, available));
}

/** The tile of `treeSize`'s tree that holds hash number `hashIndex` of level `level`. */
export function tileHolding(level: number, hashIndex: number, treeSize: number): TileCoord {
  const index = Math.floor(hashIndex / TILE_WIDTH);
  const width = tileWidthInTree(level, index, treeSize);
  if (hashIndex >= hashesAtLevel(level, treeSize)) {
    throw new LedgerError('TREE_SIZE_INVALID', 'no tile of this tree holds that hash', {
      level,
      hashIndex,
      treeSize,
    });
  }
  return { level, index, width };
}

/** Hash number `position` of a tile's contents (no copy). */
export function hashInTile(hashes: Uint8Array, position: number): Uint8Array {
  return hashes.subarray(position * HASH_SIZE, (position + 1) * HASH_SIZE);
}

/** The tile's hashes as separate views (no copy). */
export function splitTileHashes(hashes: Uint8Array): Uint8Array[] {
  return Array.from({ length: hashes.length / HASH_SIZE }, (_, i) => hashInTile(hashes, i));
}

/**
 * Throws TILE_MALFORMED unless `hashes` is exactly `width` hashes: tile bytes come from
 * storage or a mirror, so their length is checked before any hash is taken from them.
 */
export function requireTileBytes(tile: TileCoord, hashes: Uint8Array): void {
  if (hashes.length !== tile.width * HASH_SIZE) {
    throw new LedgerError('TILE_MALFORMED', `tile must be ${tile.width} hashes`, {
      level: tile.level,
      index: tile.index,
      width: tile.width,
      length: hashes.length,
    });
  }
}

export function tileKey(tile: TileCoord): string {
  return `${tile.level}/${tile.index}/${tile.width}`;
}

/**
 * Tile contents for a growing tree, computed incrementally: a writer that holds only the
 * partial tiles of the old tree and the new leaf hashes produces every tile newTiles lists,
 * in O(new leaves + log n) hashes, never re-reading the ledger. The carry at each level is the
 * old partial tile; each tile completed at level L contributes its root, the MTH of its 256
 * hashes, to level L + 1 (c2sp.org/tlog-tiles: level-L+1 hashes are roots of full level-L
 * tiles, and partial tiles are never hashed upwards).
 */
import { LedgerError } from '../errors';
import { requireHash } from '../merkle/checks';
import { rfc9162Hasher, type LogHasher } from '../merkle/hasher';
import { subtreeRoot } from '../merkle/tree';
import {
  hashesAtLevel,
  requireTileBytes,
  splitTileHashes,
  TILE_WIDTH,
  type HashTile,
  type TileCoord,
} from './tile';
import { readTiles, type TileReader } from './tile-reader';
import { partialTilesToExtend } from './tiles-for-tree';

function concatHashes(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.reduce((sum, hash) => sum + hash.length, 0));
  let offset = 0;
  for (const hash of hashes) {
    out.set(hash, offset);
    offset += hash.length;
  }
  return out;
}

/** The old partial tile at `expected`'s position, as the writer supplied it. */
function carried(expected: TileCoord, previous: readonly HashTile[]): Uint8Array[] {
  const tile = previous.find((t) => t.level === expected.level);
  if (!tile || tile.index !== expected.index || tile.width !== expected.width) {
    throw new LedgerError('TILE_MISSING', 'the partial tile to extend was not supplied', {
      ...expected,
    });
  }
  requireTileBytes(tile, tile.hashes);
  return splitTileHashes(tile.hashes);
}

/**
 * The tiles newTiles(oldSize, oldSize + newLeafHashes.length) lists, with their contents, in
 * that order. `previousPartials` must hold the tiles partialTilesToExtend names (TILE_MISSING
 * otherwise, TILE_MALFORMED for a wrong length); other levels are not needed.
 */
export function extendTiles(
  oldSize: number,
  previousPartials: readonly HashTile[],
  newLeafHashes: readonly Uint8Array[],
  hasher: LogHasher = rfc9162Hasher,
): HashTile[] {
  newLeafHashes.forEach((hash) => requireHash(hash, hasher, 'INVALID_INPUT', 'leaf hash'));
  const carries = partialTilesToExtend(oldSize, oldSize + newLeafHashes.length);
  const written: HashTile[] = [];
  let incoming = newLeafHashes;
  for (let level = 0; incoming.length > 0; level++) {
    const firstIndex = Math.floor(hashesAtLevel(level, oldSize) / TILE_WIDTH);
    const carry = carries.find((tile) => tile.level === level);
    const row = [...(carry ? carried(carry, previousPartials) : []), ...incoming];
    const completedRoots: Uint8Array[] = [];
    for (let start = 0; start < row.length; start += TILE_WIDTH) {
      const hashes = row.slice(start, start + TILE_WIDTH);
      const index = firstIndex + start / TILE_WIDTH;
      written.push({ level, index, width: hashes.length, hashes: concatHashes(hashes) });
      if (hashes.length === TILE_WIDTH)
        completedRoots.push(subtreeRoot(hashes, 0, TILE_WIDTH, hasher));
    }
    incoming = completedRoots;
  }
  return written;
}

/** extendTiles, reading the old partial tiles it needs through `reader`. */
export async function appendToTiles(
  reader: TileReader,
  oldSize: number,
  newLeafHashes: readonly Uint8Array[],
  hasher: LogHasher = rfc9162Hasher,
): Promise<HashTile[]> {
  const needed = partialTilesToExtend(oldSize, oldSize + newLeafHashes.length);
  const tiles = await readTiles(reader, needed);
  const previous = needed.map((tile) => ({ ...tile, hashes: tiles.hashes(tile) }));
  return extendTiles(oldSize, previous, newLeafHashes, hasher);
}

/** Every tile of the tree over `leafHashes`, from scratch. */
export function tilesFromLeafHashes(
  leafHashes: readonly Uint8Array[],
  hasher: LogHasher = rfc9162Hasher,
): HashTile[] {
  return extendTiles(0, [], leafHashes, hasher);
}

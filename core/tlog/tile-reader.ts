/**
 * The port through which the core reads hash tiles (an S3 prefix, a local copy of the log, a
 * mirror over HTTP). Adapters map "no such object" to TILE_MISSING; the core checks every
 * tile's length itself, because tile bytes are attacker-controlled when read from a mirror.
 */
import { LedgerError } from '../errors';
import { requireTileBytes, tileKey, type TileCoord } from './tile';

export interface TileReader {
  /**
   * The bytes of tile (level, index) at `width` (256 for a full tile): width * 32 bytes.
   * Throws TILE_MISSING when the store has no such tile.
   */
  readHashTile(level: number, index: number, width: number): Promise<Uint8Array>;
}

/** Tiles read for one call, each checked for length; ask only for tiles that were read. */
export interface TileSet {
  hashes(tile: TileCoord): Uint8Array;
}

/** Reads each distinct tile once, all in parallel, and checks each tile's length. */
export async function readTiles(reader: TileReader, tiles: readonly TileCoord[]): Promise<TileSet> {
  const distinct = new Map(tiles.map((tile) => [tileKey(tile), tile]));
  const entries = await Promise.all(
    [...distinct].map(async ([key, tile]) => {
      const hashes = await reader.readHashTile(tile.level, tile.index, tile.width);
      requireTileBytes(tile, hashes);
      return [key, hashes] as const;
    }),
  );
  const read = new Map(entries);
  return {
    hashes(tile) {
      const hashes = read.get(tileKey(tile));
      if (!hashes) throw new LedgerError('TILE_MISSING', 'tile was not read', { ...tile });
      return hashes;
    },
  };
}

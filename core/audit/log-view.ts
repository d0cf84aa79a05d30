/**
 * The tiled log as one audit call reads it: the tiles of any tree up to the size the log was
 * last written for, each object read at most once.
 *
 * The anchor writes the log for a tree size before it publishes the checkpoint of that size,
 * so the tiles of the latest published checkpoint exist. A smaller tree's nodes are all in
 * them: its full tiles are the same objects, and its partial tile (level, index, width w) is
 * the first w hashes of the latest tree's tile at (level, index), full or wider. Reading only
 * the latest tree's tiles keeps the auditor independent of whether old partial tiles are kept.
 */
import { LedgerError } from '../errors';
import { HASH_SIZE } from '../merkle/hasher';
import type { TileLog } from '../ports/tile-log';
import { requireTileBytes, tileWidthInTree } from '../tlog/tile';

/** `log` seen as the tiles of every tree of at most `logSize` leaves, with repeated reads shared. */
export function logView(log: TileLog, logSize: number): TileLog {
  const reads = new Map<string, Promise<Uint8Array | null>>();
  const get = (path: string): Promise<Uint8Array | null> => {
    let read = reads.get(path);
    if (!read) reads.set(path, (read = log.get(path)));
    return read;
  };
  const tiles = new Map<string, Promise<Uint8Array>>();
  const fullWidthTile = (level: number, index: number, width: number): Promise<Uint8Array> => {
    const key = `${level}/${index}/${width}`;
    let read = tiles.get(key);
    if (!read) tiles.set(key, (read = log.readHashTile(level, index, width)));
    return read;
  };
  return {
    get,
    async readHashTile(level, index, width) {
      const logWidth = tileWidthInTree(level, index, logSize);
      if (logWidth < width) {
        throw new LedgerError('TILE_MISSING', `the log of ${logSize} leaves has no such tile`, {
          level,
          index,
          width,
          logSize,
        });
      }
      const hashes = await fullWidthTile(level, index, logWidth);
      // Tile bytes are attacker-controlled: check the stored tile's length before slicing it.
      requireTileBytes({ level, index, width: logWidth }, hashes);
      return hashes.subarray(0, width * HASH_SIZE);
    },
  };
}

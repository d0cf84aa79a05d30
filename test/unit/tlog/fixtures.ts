/** Helpers shared by the tiled-log tests: an in-memory tile store and the spec's own formula. */
import { LedgerError } from '../../../core/errors';
import { rfc9162Hasher } from '../../../core/merkle/hasher';
import { subtreeRoot } from '../../../core/merkle/tree';
import { TILE_WIDTH, tileSpan, type HashTile, type TileCoord } from '../../../core/tlog/tile';
import { hashTilePath } from '../../../core/tlog/tile-path';
import type { TileReader } from '../../../core/tlog/tile-reader';

/**
 * Tiles kept by their tlog-tiles path, as a bucket prefix or a log directory holds them. Counts
 * every read, so tests can bound the objects a proof costs.
 */
export class MemoryTileStore implements TileReader {
  readonly objects = new Map<string, Uint8Array>();
  reads: string[] = [];

  write(tiles: readonly HashTile[]): void {
    for (const tile of tiles) this.objects.set(hashTilePath(tile), tile.hashes);
  }

  readHashTile(level: number, index: number, width: number): Promise<Uint8Array> {
    const path = hashTilePath({ level, index, width });
    this.reads.push(path);
    const bytes = this.objects.get(path);
    if (!bytes) return Promise.reject(new LedgerError('TILE_MISSING', 'no such tile', { path }));
    return Promise.resolve(bytes);
  }

  /** The reads made by `action`, counted afresh. */
  async countReads<T>(action: () => Promise<T>): Promise<{ result: T; reads: number }> {
    this.reads = [];
    const result = await action();
    return { result, reads: this.reads.length };
  }
}

function concat(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * 32);
  hashes.forEach((hash, i) => out.set(hash, i * 32));
  return out;
}

/**
 * Tile contents straight from the definition in c2sp.org/tlog-tiles: hash i of tile N at level
 * L is MTH(D[(N * 256 + i) * 256**L : (N * 256 + i + 1) * 256**L]), computed with core/merkle
 * over all the leaves. Hashes per level are computed once for the largest tree a test uses,
 * because a smaller tree's tiles are prefixes of them.
 */
export class SpecTiles {
  private readonly levels: Uint8Array[][] = [];

  constructor(leafHashes: readonly Uint8Array[]) {
    for (let level = 0; tileSpan(level) <= leafHashes.length; level++) {
      const span = tileSpan(level);
      const count = Math.floor(leafHashes.length / span);
      this.levels.push(
        Array.from({ length: count }, (_, i) =>
          subtreeRoot(leafHashes, i * span, (i + 1) * span, rfc9162Hasher),
        ),
      );
    }
  }

  contents(tile: TileCoord): Uint8Array {
    const start = tile.index * TILE_WIDTH;
    return concat(this.levels[tile.level]!.slice(start, start + tile.width));
  }
}

/** ceil(log256 n): the tile levels the read bound 2 * ceil(log256 n) + 2 counts. */
export function ceilLog256(n: number): number {
  let levels = 0;
  while (tileSpan(levels) < n) levels++;
  return levels;
}

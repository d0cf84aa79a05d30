/**
 * The port through which a monitor reads a tiled log: one object by its path under the log
 * root (`checkpoint`, `tile/...`), or null when there is none. Adapters: a local directory
 * copy, the anchor bucket's `log/` prefix through the S3 API (cli/monitor/). Whatever a
 * source returns is attacker-controlled; the monitor checks every byte against signatures.
 */
import { LedgerError } from '../errors';
import { hashTilePath } from '../tlog/tile-path';
import type { TileLog } from '../ports/tile-log';
import type { TileReader } from '../tlog/tile-reader';

/**
 * What a monitor reads: any object of the log by its path (the read side of the auditor's
 * TileLog; the monitor builds its tile reader from it, logTileReader). A failure to read
 * (network, permissions) throws a dependency-layer LedgerError, never null.
 */
export type LogSource = Pick<TileLog, 'get'>;

/** The object at `path`; TILE_MISSING when the log lacks it: a gap in what it published. */
export async function requireObject(source: LogSource, path: string): Promise<Uint8Array> {
  const bytes = await source.get(path);
  if (bytes === null) throw new LedgerError('TILE_MISSING', `the log holds no ${path}`, { path });
  return bytes;
}

/** The log's hash tiles as core/tlog's TileReader. */
export function logTileReader(source: LogSource): TileReader {
  return {
    readHashTile: (level, index, width) =>
      requireObject(source, hashTilePath({ level, index, width })),
  };
}

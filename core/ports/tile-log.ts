/**
 * The tiled log (c2sp.org/tlog-tiles plus our records bundles, docs/FORMAT.md) as a reader
 * sees it: hash tiles for proofs, and any other object of the log by its path relative to the
 * log's root. Read only: the auditor and monitors are given this, only the anchor writes.
 */
import type { TileReader } from '../tlog/tile-reader';

export interface TileLog extends TileReader {
  /** The object at `path` (e.g. `tile/records/000.p/5`), or null when the log has none. */
  get(path: string): Promise<Uint8Array | null>;
}

/**
 * The objects of the tiled log (docs/FORMAT.md "The tiled log") a writer adds when the log
 * grows: the new hash tiles (tile-append.ts), and for every 256-range the growth touches, its
 * entry bundle and its records bundle, full or partial at the new size. Pure: the writer
 * supplies the log's right edge (its partial tiles and the records of its partial range) and
 * the new records, and gets back the objects and the new edge, so that a long catch-up can be
 * written in chunks without holding more than one chunk.
 */
import { bytesEqual } from '../encoding';
import { LedgerError } from '../errors';
import { recordLeafHash } from '../merkle/hasher';
import type { TileLog } from '../ports/tile-log';
import type { LedgerRecord } from '../types';
import { encodeRecordBundle } from './entry-bundle';
import { decodeRecordsBundle, encodeRecordsBundle } from './records-bundle';
import { hashInTile, TILE_WIDTH, type HashTile } from './tile';
import { extendTiles } from './tile-append';
import { entryBundlePath, hashTilePath, recordsBundlePath } from './tile-path';
import { readTiles } from './tile-reader';
import { partialTiles } from './tiles-for-tree';

export const TILE_CONTENT_TYPE = 'application/octet-stream';
export const RECORDS_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';

/** One object to write, at its path relative to the log's root. */
export interface LogObject {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

/** What a writer needs of a log of `size` records to grow it: nothing else is read. */
export interface LogEdge {
  readonly size: number;
  /** The partial tiles of the tree of `size` (partialTiles(size)), with their hashes. */
  readonly tiles: readonly HashTile[];
  /** The records of the partial 256-range: seq size - size % 256 up to size - 1. */
  readonly records: readonly LedgerRecord[];
}

export const EMPTY_LOG_EDGE: LogEdge = { size: 0, tiles: [], records: [] };

function malformed(message: string, details: Record<string, unknown>): LedgerError {
  return new LedgerError('TILE_MALFORMED', message, details);
}

/** The edge's records must be the leaves its level-0 partial tile holds, in order. */
function requireEdgeRecords(edge: LogEdge): void {
  const width = edge.size % TILE_WIDTH;
  const tile = edge.tiles.find((t) => t.level === 0);
  if (edge.records.length !== width || (width > 0 && tile?.width !== width)) {
    throw malformed('the log edge does not match its size', { size: edge.size });
  }
  edge.records.forEach((record, i) => {
    if (record.seq !== edge.size - width + i || !tile)
      throw malformed('the log edge holds another record', { seq: record.seq });
    if (!bytesEqual(recordLeafHash(record.recordHash), hashInTile(tile.hashes, i)))
      throw malformed('a record of the log edge is not the leaf its tile holds', {
        seq: record.seq,
      });
  });
}

/** The entry and records bundles of every 256-range `records` (starting at a range) touch. */
function bundleObjects(records: readonly LedgerRecord[], firstIndex: number): LogObject[] {
  const objects: LogObject[] = [];
  for (let start = 0; start < records.length; start += TILE_WIDTH) {
    const range = records.slice(start, start + TILE_WIDTH);
    const coord = { index: firstIndex + start / TILE_WIDTH, width: range.length };
    objects.push(
      {
        path: entryBundlePath(coord),
        bytes: encodeRecordBundle(range.map((r) => r.recordHash)),
        contentType: TILE_CONTENT_TYPE,
      },
      {
        path: recordsBundlePath(coord),
        bytes: encodeRecordsBundle(range),
        contentType: RECORDS_CONTENT_TYPE,
      },
    );
  }
  return objects;
}

/**
 * Every object the log of `edge.size` gains by appending `newRecords` (in seq order, from
 * edge.size), and the edge of the grown log. Records are not verified here (the anchor does
 * that before); their seqs must follow on, and the edge's records must be its tile's leaves.
 */
export function logObjectsFor(
  edge: LogEdge,
  newRecords: readonly LedgerRecord[],
): { objects: LogObject[]; edge: LogEdge } {
  requireEdgeRecords(edge);
  newRecords.forEach((record, i) => {
    if (record.seq !== edge.size + i)
      throw new LedgerError('INVALID_INPUT', 'records must follow the log in seq order', {
        seq: record.seq,
        expected: edge.size + i,
      });
  });
  if (newRecords.length === 0) return { objects: [], edge };
  const size = edge.size + newRecords.length;
  const leaves = newRecords.map((record) => recordLeafHash(record.recordHash));
  const tiles = extendTiles(edge.size, edge.tiles, leaves);
  const rangeStart = edge.size - (edge.size % TILE_WIDTH);
  const touched = [...edge.records, ...newRecords];
  const objects = [
    ...tiles.map((tile) => ({
      path: hashTilePath(tile),
      bytes: tile.hashes,
      contentType: TILE_CONTENT_TYPE,
    })),
    ...bundleObjects(touched, rangeStart / TILE_WIDTH),
  ];
  // A level the growth did not reach keeps its old partial tile.
  const nextTiles = partialTiles(size).map((coord) =>
    [...tiles, ...edge.tiles].find(
      (t) => t.level === coord.level && t.index === coord.index && t.width === coord.width,
    )!,
  );
  const records = touched.slice(touched.length - (size % TILE_WIDTH));
  return { objects, edge: { size, tiles: nextTiles, records } };
}

/**
 * The edge of the log of `size` as it is stored: its partial tiles and the records of its
 * partial range, from the records bundle beside them (what was published), or from
 * `fallback` (the ledger) when the log has no such bundle. Checked by logObjectsFor.
 */
export async function readLogEdge(
  log: TileLog,
  size: number,
  fallback: (fromSeq: number, toSeq: number) => Promise<LedgerRecord[]>,
): Promise<LogEdge> {
  const coords = partialTiles(size);
  const read = await readTiles(log, coords);
  const tiles = coords.map((coord) => ({ ...coord, hashes: read.hashes(coord) }));
  const width = size % TILE_WIDTH;
  if (width === 0) return { size, tiles, records: [] };
  const bundle = await log.get(recordsBundlePath({ index: (size - width) / TILE_WIDTH, width }));
  const records = bundle ? decodeRecordsBundle(bundle, width) : await fallback(size - width, size);
  return { size, tiles, records };
}

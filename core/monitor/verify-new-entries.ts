/**
 * The records a log added since a monitor's last checkpoint, verified completely: each
 * records bundle against its entry bundle (the record hashes the tree commits to), each
 * record's hash, chain link and both parties' signatures (verifyLedgerRecords), each level-0
 * tile against the leaf hashes of its entry bundle, and every tile the growth wrote against
 * the tiles those leaves make (extendTiles). Missing objects are TILE_MISSING: a gap.
 */
import { boundedAll } from '../bounded-all';
import { bytesEqual } from '../encoding';
import { LedgerError } from '../errors';
import { verifyLedgerRecords } from '../ledger-verification';
import {
  HASH_SIZE,
  recordLeafHash,
  rfc9162Hasher,
  rfc9162HasherOver,
  type LogHasher,
} from '../merkle/hasher';
import type { TrustedParties } from '../party-signatures';
import type { ChainHead, LedgerRecord } from '../types';
import { decodeRecordBundle } from '../tlog/entry-bundle';
import { decodeRecordsBundle } from '../tlog/records-bundle';
import { extendTiles } from '../tlog/tile-append';
import { entryBundlePath, hashTilePath, recordsBundlePath } from '../tlog/tile-path';
import { TILE_WIDTH, tileKey, type HashTile, type TileCoord } from '../tlog/tile';
import { newTiles, partialTilesToExtend } from '../tlog/tiles-for-tree';
import { requireObject, type LogSource } from './log-source';

function concat(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((hash, i) => out.set(hash, i * HASH_SIZE));
  return out;
}

function tileMismatch(tile: TileCoord, why: string): LedgerError {
  return new LedgerError('ROOT_MISMATCH', `tile ${hashTilePath(tile)} ${why}`, { ...tile });
}

/** The records of level-0 tile `tile`, checked against its entry bundle and the tile itself. */
async function bundleRecords(
  source: LogSource,
  tile: TileCoord,
  tileHashes: Uint8Array,
  hasher: LogHasher,
): Promise<{ records: LedgerRecord[]; leaves: Uint8Array[] }> {
  const [entries, recordsFile] = await Promise.all([
    requireObject(source, entryBundlePath(tile)),
    requireObject(source, recordsBundlePath(tile)),
  ]);
  const recordHashes = decodeRecordBundle(entries, tile.width);
  const records = decodeRecordsBundle(recordsFile, tile.width);
  records.forEach((record, i) => {
    if (record.recordHash !== recordHashes[i]) {
      throw new LedgerError(
        'RECORD_HASH_MISMATCH',
        `record ${record.seq} states recordHash ${record.recordHash}, its entry bundle ${recordHashes[i]}`,
        { seq: tile.index * TILE_WIDTH + i },
      );
    }
  });
  const leaves = recordHashes.map((recordHash) => recordLeafHash(recordHash, hasher));
  if (!bytesEqual(concat(leaves), tileHashes)) {
    throw tileMismatch(tile, 'does not hold the leaf hashes of its entry bundle');
  }
  return { records, leaves };
}

/** Log reads in flight at once: a long growth reads thousands of tiles, not all at once. */
export const READ_CONCURRENCY = 16;

/** Every tile the growth from `oldSize` wrote, from the log; TILE_MISSING for a gap. */
async function readNewTiles(
  source: LogSource,
  oldSize: number,
  newSize: number,
): Promise<HashTile[]> {
  return boundedAll(newTiles(oldSize, newSize), READ_CONCURRENCY, async (tile) => ({
    ...tile,
    hashes: await requireObject(source, hashTilePath(tile)),
  }));
}

/**
 * The tiles of the grown tree must be those the verified new leaves make, on top of the
 * old partial tiles (the prefixes of the new tiles at their positions: the old tree's nodes,
 * which the consistency proof ties to the root the monitor verified before).
 */
function requireTilesOfLeaves(
  oldSize: number,
  read: readonly HashTile[],
  newLeaves: readonly Uint8Array[],
  hasher: LogHasher,
): void {
  const byKey = new Map(read.map((tile) => [tileKey(tile), tile]));
  const byPosition = (level: number, index: number) =>
    read.find((tile) => tile.level === level && tile.index === index);
  const previous = partialTilesToExtend(oldSize, oldSize + newLeaves.length).map((old) => {
    const grown = byPosition(old.level, old.index);
    if (!grown)
      throw new LedgerError('TILE_MISSING', 'the grown partial tile was not read', { ...old });
    return { ...old, hashes: grown.hashes.subarray(0, old.width * HASH_SIZE) };
  });
  for (const expected of extendTiles(oldSize, previous, newLeaves, hasher)) {
    const tile = byKey.get(tileKey(expected));
    if (!tile || !bytesEqual(tile.hashes, expected.hashes)) {
      throw tileMismatch(expected, 'does not hold the hashes the records make');
    }
  }
}

/**
 * Verifies the records from seq `head.nextSeq` to `newSize - 1` and the tiles over them;
 * returns the chain head after the last one. Throws the first failure's code (with seq).
 */
export async function verifyNewEntries(
  source: LogSource,
  approvers: TrustedParties,
  head: ChainHead,
  newSize: number,
): Promise<ChainHead> {
  const oldSize = head.nextSeq;
  // Leaves and tiles hashed with the SHA-256 the records are (OpenSSL's from the CLI).
  const hasher = approvers.sha256 ? rfc9162HasherOver(approvers.sha256) : rfc9162Hasher;
  const tiles = await readNewTiles(source, oldSize, newSize);
  const newLeaves: Uint8Array[] = [];
  let at = head;
  for (const tile of tiles.filter((t) => t.level === 0)) {
    const { records, leaves } = await bundleRecords(source, tile, tile.hashes, hasher);
    const skip = Math.max(0, oldSize - tile.index * TILE_WIDTH);
    const verification = await verifyLedgerRecords(records.slice(skip), approvers, { start: at });
    const failure = verification.failures[0];
    if (failure) {
      throw new LedgerError(failure.code, `record ${failure.seq}: ${failure.message}`, {
        seq: failure.seq,
      });
    }
    at = verification.head;
    newLeaves.push(...leaves.slice(skip));
  }
  requireTilesOfLeaves(oldSize, tiles, newLeaves, hasher);
  return at;
}

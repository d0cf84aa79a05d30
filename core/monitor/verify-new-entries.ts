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
import {
  HASH_SIZE,
  recordLeafHash,
  rfc9162Hasher,
  rfc9162HasherOver,
  type LogHasher,
} from '../merkle/hasher';
import type { TrustedParties } from '../party-signatures';
import type { ChainHead } from '../types';
import { decodeRecordBundle } from '../tlog/entry-bundle';
import { extendTiles } from '../tlog/tile-append';
import { entryBundlePath, hashTilePath, recordsBundlePath } from '../tlog/tile-path';
import { TILE_WIDTH, tileKey, type HashTile, type TileCoord } from '../tlog/tile';
import { newTiles, partialTilesToExtend } from '../tlog/tiles-for-tree';
import { requireObject, type LogSource } from './log-source';
import {
  inThreadRecordsBundleVerifier,
  type RecordsBundleVerifier,
} from './records-bundle-verifier';

function concat(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((hash, i) => out.set(hash, i * HASH_SIZE));
  return out;
}

function tileMismatch(tile: TileCoord, why: string): LedgerError {
  return new LedgerError('ROOT_MISMATCH', `tile ${hashTilePath(tile)} ${why}`, { ...tile });
}

/** A level-0 tile's entry bundle and records bundle, being read; the entry bundle decoded. */
interface BundleRead {
  readonly files: Promise<[Uint8Array, Uint8Array]>;
  readonly recordHashes: Promise<string[]>;
}

function readBundle(source: LogSource, tile: TileCoord): BundleRead {
  const files = Promise.all([
    requireObject(source, entryBundlePath(tile)),
    requireObject(source, recordsBundlePath(tile)),
  ]);
  const recordHashes = files.then(([entries]) => decodeRecordBundle(entries, tile.width));
  // Awaited by this bundle (after `files`) and the one after it; never an unhandled rejection.
  recordHashes.catch(() => undefined);
  return { files, recordHashes };
}

/**
 * The records of level-0 tile `tile` after `skip`, verified from `start`, with the checks
 * failing in this order: a missing bundle, a malformed entry bundle, a malformed records
 * bundle, a record whose recordHash is not its entry bundle's, a tile that does not hold the
 * entry bundle's leaf hashes, then the first failed record (seq order). Returns the new
 * leaves and the head after the last record.
 */
async function verifyBundle(
  read: BundleRead,
  tile: HashTile,
  skip: number,
  start: Promise<ChainHead>,
  verifier: RecordsBundleVerifier,
  hasher: LogHasher,
): Promise<{ leaves: Uint8Array[]; head: ChainHead }> {
  // A failed read rejects before the decoding that follows it; a rejected start means the
  // bundle before failed, and that is the report.
  const [[, recordsFile], recordHashes, from] = await Promise.all([
    read.files,
    read.recordHashes,
    start,
  ]);
  const verdict = await verifier.verify({
    bundle: recordsFile,
    width: tile.width,
    skip,
    start: from,
  });
  verdict.stated.forEach((record, i) => {
    if (record.recordHash !== recordHashes[i]) {
      throw new LedgerError(
        'RECORD_HASH_MISMATCH',
        `record ${record.seq} states recordHash ${record.recordHash}, its entry bundle ${recordHashes[i]}`,
        { seq: tile.index * TILE_WIDTH + i },
      );
    }
  });
  const leaves = recordHashes.map((recordHash) => recordLeafHash(recordHash, hasher));
  if (!bytesEqual(concat(leaves), tile.hashes)) {
    throw tileMismatch(tile, 'does not hold the leaf hashes of its entry bundle');
  }
  const failure = verdict.failures[0];
  if (failure) {
    throw new LedgerError(failure.code, `record ${failure.seq}: ${failure.message}`, {
      seq: failure.seq,
    });
  }
  return { leaves: leaves.slice(skip), head: verdict.head };
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

/** Thrown by a bundle after one that failed: never reported (boundedAll reports in order). */
const AFTER_A_FAILURE = new Error('not verified: a bundle before it failed');

/**
 * Verifies the records from seq `head.nextSeq` to `newSize - 1` and the tiles over them;
 * returns the chain head after the last one. Throws the first failure's code (with seq).
 *
 * The records bundles are verified independently, READ_CONCURRENCY at a time, on `verifier`
 * (in parallel with the CLI's worker pool), yet report exactly what verifying them one after
 * another would. Each bundle's start head is known without verifying the one before: the
 * first starts at `head`; bundle k at seq k·256 after the recordHash the entry bundle before
 * it ends with. When every bundle before k passed, that is the head they ended at (their
 * entry bundles match their tiles, their records' hashes their entry bundles); when one
 * failed, its failure is the report, whatever k found.
 */
export async function verifyNewEntries(
  source: LogSource,
  approvers: TrustedParties,
  head: ChainHead,
  newSize: number,
  verifier: RecordsBundleVerifier = inThreadRecordsBundleVerifier(approvers),
): Promise<ChainHead> {
  const oldSize = head.nextSeq;
  // Leaves and tiles hashed with the SHA-256 the records are (OpenSSL's from the CLI).
  const hasher = approvers.sha256 ? rfc9162HasherOver(approvers.sha256) : rfc9162Hasher;
  const tiles = await readNewTiles(source, oldSize, newSize);
  // The entry hashes of the bundles begun whose successor has not taken its start head yet.
  const entryHashes = new Map<number, Promise<string[]>>();
  const headAfter = async (index: number): Promise<ChainHead> => {
    const full = { level: 0, index, width: TILE_WIDTH };
    const hashes = entryHashes.get(index) ?? readBundle(source, full).recordHashes;
    entryHashes.delete(index);
    return { nextSeq: (index + 1) * TILE_WIDTH, lastHash: (await hashes)[TILE_WIDTH - 1]! };
  };
  let failedAt = Infinity;
  const verified = await boundedAll(
    tiles.filter((t) => t.level === 0),
    READ_CONCURRENCY,
    async (tile) => {
      if (tile.index > failedAt) throw AFTER_A_FAILURE;
      const firstSeq = tile.index * TILE_WIDTH;
      // boundedAll begins bundles in order: the one before has put its entry hashes here.
      const read = readBundle(source, tile);
      entryHashes.set(tile.index, read.recordHashes);
      const start = firstSeq <= oldSize ? Promise.resolve(head) : headAfter(tile.index - 1);
      const skip = Math.max(0, oldSize - firstSeq);
      try {
        return await verifyBundle(read, tile, skip, start, verifier, hasher);
      } catch (error) {
        failedAt = Math.min(failedAt, tile.index);
        throw error;
      }
    },
  );
  requireTilesOfLeaves(
    oldSize,
    tiles,
    verified.flatMap((bundle) => bundle.leaves),
    hasher,
  );
  return verified.at(-1)?.head ?? head;
}

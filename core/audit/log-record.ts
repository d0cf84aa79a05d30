/**
 * One ledger record read from the tiled log's records bundle (`tile/records/<N>[.p/<W>]`:
 * RFC 8785 canonical JSON of each record of level-0 tile N, one per line, '\n'-terminated, in
 * seq order), checked against the leaf hash the tiles hold for its seq.
 *
 * The bundle is attacker-controlled (anyone who can write the bucket, or a mirror): its size
 * is bounded, each line must be the canonical form of a record that parses strictly, that
 * record must hash to its own recordHash, and that recordHash must be the leaf the caller has
 * authenticated against a signed root. Anything else is RECORD_CORRUPT.
 */
import { bytesEqual } from '../encoding';
import { isLedgerError, LedgerError } from '../errors';
import { recordLeafHash } from '../merkle/hasher';
import type { TileLog } from '../ports/tile-log';
import { recordHash } from '../record';
import { TILE_WIDTH, tileWidthInTree } from '../tlog/tile';
import { decodeRecordsBundle } from '../tlog/records-bundle';
import { recordsBundlePath } from '../tlog/tile-path';
import type { LedgerRecord } from '../types';

function corrupt(seq: number, message: string, path: string): LedgerError {
  return new LedgerError('RECORD_CORRUPT', `record ${seq} in the log: ${message}`, { seq, path });
}

/** Record `seq` of the bundle at `path` (decoded strictly: core/tlog/records-bundle.ts). */
function recordIn(bytes: Uint8Array, seq: number, width: number, path: string): LedgerRecord {
  let record: LedgerRecord | undefined;
  try {
    record = decodeRecordsBundle(bytes, width)[seq % TILE_WIDTH];
  } catch (error) {
    if (isLedgerError(error, 'ENTRY_BUNDLE_MALFORMED') || isLedgerError(error, 'INVALID_INPUT'))
      throw corrupt(seq, error.message, path);
    throw error;
  }
  if (record?.seq !== seq) throw corrupt(seq, `line holds seq ${record?.seq}`, path);
  if (recordHash(record) !== record.recordHash)
    throw corrupt(seq, 'record does not hash to its recordHash', path);
  return record;
}

/**
 * Record `seq` from the records bundle of the log of `logSize` leaves; `leafHash` is the leaf
 * the caller proved included under a signed root. Reads one object; TILE_MISSING if absent.
 */
export async function recordFromLog(
  log: TileLog,
  seq: number,
  logSize: number,
  leafHash: Uint8Array,
): Promise<LedgerRecord> {
  const index = Math.floor(seq / TILE_WIDTH);
  const width = tileWidthInTree(0, index, logSize);
  const path = recordsBundlePath({ index, width });
  const bytes = await log.get(path);
  if (bytes === null)
    throw new LedgerError('TILE_MISSING', `the log holds no ${path}`, { seq, path });
  const record = recordIn(bytes, seq, width, path);
  if (!bytesEqual(recordLeafHash(record.recordHash), leafHash))
    throw corrupt(seq, 'recordHash is not the leaf the tree holds', path);
  return record;
}

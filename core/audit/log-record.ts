/**
 * One ledger record read from the tiled log's records bundle (`tile/records/<N>[.p/<W>]`:
 * RFC 8785 canonical JSON of each record of level-0 tile N, one per line, '\n'-terminated, in
 * seq order), checked against the leaf hash the tiles hold for its seq.
 *
 * The bundle is attacker-controlled (anyone who can write the bucket, or a mirror): its size
 * is bounded, the line must be the canonical form of a record that parses strictly, that
 * record must hash to its own recordHash, and that recordHash must be the leaf the caller has
 * authenticated against a signed root. Anything else is RECORD_CORRUPT.
 */
import { canonicalJson } from '../canonical-json';
import { bytesEqual, utf8Decode } from '../encoding';
import { isLedgerError, LedgerError } from '../errors';
import { recordLeafHash } from '../merkle/hasher';
import type { TileLog } from '../ports/tile-log';
import { recordHash } from '../record';
import { parseLedgerRecord } from '../schemas';
import { TILE_WIDTH, tileWidthInTree } from '../tlog/tile';
import { recordsBundlePath } from '../tlog/tile-path';
import type { LedgerRecord } from '../types';

/** Far above 256 records of the largest record the schema admits; a bigger bundle is refused. */
export const MAX_RECORDS_BUNDLE_BYTES = 32 * 1024 * 1024;

function corrupt(seq: number, message: string, path: string): LedgerError {
  return new LedgerError('RECORD_CORRUPT', `record ${seq} in the log: ${message}`, { seq, path });
}

/** The line of `seq` in a bundle that must hold exactly `width` lines. */
function lineOf(bytes: Uint8Array, seq: number, width: number, path: string): string {
  if (bytes.length > MAX_RECORDS_BUNDLE_BYTES) throw corrupt(seq, 'records bundle too large', path);
  let text: string;
  try {
    text = utf8Decode(bytes);
  } catch {
    throw corrupt(seq, 'records bundle is not UTF-8', path);
  }
  const lines = text.split('\n');
  if (lines.length !== width + 1 || lines[width] !== '')
    throw corrupt(seq, `records bundle does not hold ${width} lines`, path);
  return lines[seq % TILE_WIDTH]!;
}

function parseLine(line: string, seq: number, path: string): LedgerRecord {
  let record: LedgerRecord;
  try {
    record = parseLedgerRecord(JSON.parse(line));
  } catch (error) {
    if (error instanceof SyntaxError || isLedgerError(error, 'INVALID_INPUT'))
      throw corrupt(seq, 'line is not a ledger record', path);
    throw error;
  }
  if (canonicalJson(record) !== line) throw corrupt(seq, 'line is not canonical JSON', path);
  if (record.seq !== seq) throw corrupt(seq, `line holds seq ${record.seq}`, path);
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
  const record = parseLine(lineOf(bytes, seq, width, path), seq, path);
  if (!bytesEqual(recordLeafHash(record.recordHash), leafHash))
    throw corrupt(seq, 'recordHash is not the leaf the tree holds', path);
  return record;
}

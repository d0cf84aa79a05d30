/**
 * Records bundles (`tile/records/<N>[.p/<W>]`, docs/FORMAT.md and the log layout): the
 * canonical ledger records of the 256-range of entry bundle N, RFC 8785 JSON one per line,
 * each line ending '\n', in seq order. The entry bundle carries only the record hashes the
 * tree commits to; this file carries what was signed, so a monitor can re-verify it.
 */
import { canonicalRecord } from '../canonical-record';
import { utf8Decode, utf8Encode } from '../encoding';
import { isLedgerError, LedgerError } from '../errors';
import { isLedgerRecordJson } from '../record-shape';
import { parseLedgerRecord } from '../schemas';
import { parseStrictJson } from '../strict-json';
import type { LedgerRecord } from '../types';
import { TILE_WIDTH } from './tile';

/** Far above 256 records of the largest record the schema admits; a bigger bundle is refused. */
export const MAX_RECORDS_BUNDLE_BYTES = 32 * 1024 * 1024;

function malformed(message: string, details: Record<string, unknown> = {}): LedgerError {
  return new LedgerError('ENTRY_BUNDLE_MALFORMED', message, details);
}

/** The records bundle of `records` (1..256, in seq order). */
export function encodeRecordsBundle(records: readonly LedgerRecord[]): Uint8Array {
  if (records.length < 1 || records.length > TILE_WIDTH) {
    throw malformed('a records bundle holds 1 to 256 records', { width: records.length });
  }
  return utf8Encode(records.map((record) => `${canonicalRecord(record)}\n`).join(''));
}

/**
 * The record on one line, exactly as a strict reading would give it (parseStrictJson, then
 * the schema, then the canonical-form check), but cheaper: JSON.parse, the schema (checked
 * by hand, record-shape.ts; zod only for a line it refuses), and the
 * canonical text of the result compared with the line. A line that passes is the canonical
 * text of a record the schema admits, so it is strict JSON too (one member per name, plain
 * integers, no lone surrogate), and JSON.parse read it as the strict reader would. Only a
 * line that fails is read again strictly, so that it fails with the same code and message
 * as before: ENTRY_BUNDLE_MALFORMED for what the strict reader refuses, then INVALID_INPUT
 * from the schema, then ENTRY_BUNDLE_MALFORMED for a line not in canonical form.
 */
function recordOnLine(line: string, i: number): LedgerRecord {
  try {
    const value: unknown = JSON.parse(line);
    // The schema by hand first (record-shape.ts: it accepts exactly what the schema does).
    const record = isLedgerRecordJson(value) ? value : parseLedgerRecord(value);
    if (canonicalRecord(record) === line) return record;
  } catch (error) {
    if (!(error instanceof SyntaxError) && !isLedgerError(error)) throw error;
  }
  // Throws as the strict reading always did; a line it accepts is one not in canonical form.
  parseLedgerRecord(
    parseStrictJson(line, { code: 'ENTRY_BUNDLE_MALFORMED', what: `record line ${i}` }),
  );
  throw malformed('record line is not in canonical form', { line: i });
}

/**
 * The `width` records of a bundle. The bytes come from the log's storage, so they are
 * attacker-controlled: each line must be strict JSON of the record schema AND already in
 * canonical form (a second spelling of a record could hide a change from a byte comparison).
 * Throws ENTRY_BUNDLE_MALFORMED (INVALID_INPUT from the schema for a record of another shape).
 */
export function decodeRecordsBundle(bundle: Uint8Array, width: number): LedgerRecord[] {
  if (bundle.length > MAX_RECORDS_BUNDLE_BYTES) {
    throw malformed('records bundle is too large', { bytes: bundle.length });
  }
  let text: string;
  try {
    text = utf8Decode(bundle);
  } catch (error) {
    throw malformed('records bundle is not UTF-8', { cause: String(error) });
  }
  if (!text.endsWith('\n')) throw malformed('records bundle does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length !== width) {
    throw malformed('records bundle holds another number of records', {
      width,
      lines: lines.length,
    });
  }
  return lines.map(recordOnLine);
}

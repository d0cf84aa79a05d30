/**
 * Ledger records and their hashes. A record's hash covers its whole body (deposit,
 * signatures, seq, prevHash, sequencedAt), so changing any field of any record breaks the
 * chain at that record.
 */
import { canonicalBytes } from './canonical-json';
import { bytesToHex } from './encoding';
import { domainHash, RECORD_DOMAIN } from './hashing';
import { pickRecordBody } from './known-fields';
import type { LedgerRecord, LedgerRecordBody } from './types';

/**
 * hex(SHA-256(RECORD_DOMAIN || 0x00 || JCS(body))). Only the fields of LedgerRecordBody are
 * hashed: extra properties, including a LedgerRecord's own recordHash, are ignored.
 */
export function recordHash(body: LedgerRecordBody): string {
  return bytesToHex(domainHash(RECORD_DOMAIN, canonicalBytes(pickRecordBody(body))));
}

/** The record for `body`: its known fields plus recordHash. */
export function sealRecord(body: LedgerRecordBody): LedgerRecord {
  const known = pickRecordBody(body);
  return { ...known, recordHash: recordHash(known) };
}

/** The body of `record`, built from the known fields (recordHash and any extras dropped). */
export function recordBody(record: LedgerRecord): LedgerRecordBody {
  return pickRecordBody(record);
}

/**
 * Where the time of one record's verification goes (section d): the steps the Node path
 * runs per record (decodeRecordsBundle + verifyLedgerRecords, as the monitor runs them), each
 * timed alone over the same records on the main thread, in CPU µs per record. The steps do
 * not overlap; a path's own total (verify-rate.ts) minus their sum is the rest: the chain
 * walk's checks, promises, and handing signatures to the thread pool and back.
 */
import { verify } from 'node:crypto';
import {
  canonicalObjectVersion,
  canonicalRecord,
  canonicalRecordBody,
} from '../../core/canonical-record';
import { isStrictDerSignature } from '../../core/ecdsa-p256';
import { base64Decode, utf8Encode } from '../../core/encoding';
import { DEPOSIT_ID_DOMAIN, domainSeparated, RECORD_DOMAIN, sha256 } from '../../core/hashing';
import type { TrustedParties } from '../../core/party-signatures';
import { parseLedgerRecord } from '../../core/schemas';
import { attestationStatement, statementMessage } from '../../core/statement';
import type { LedgerRecord } from '../../core/types';
import { nodeSha256 } from '../../functions/shared/node-sha256';
import { nodeVerifyKey } from '../../functions/shared/node-signature-verifier';

export interface VerifyStep {
  readonly step: string;
  /** CPU µs per record (2 signatures). */
  readonly micros: number;
}

/** CPU µs per record of `run` over all records: one warm-up pass, then the mean of `passes`. */
function cpuPerRecord(records: number, run: () => void, passes = 2): number {
  run();
  const before = process.cpuUsage();
  for (let i = 0; i < passes; i++) run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / passes / records;
}

/** The bytes a record's verification hashes: its body and its deposit's coordinates. */
function hashInputs(record: LedgerRecord): Uint8Array[] {
  return [
    domainSeparated(RECORD_DOMAIN, utf8Encode(canonicalRecordBody(record))),
    domainSeparated(DEPOSIT_ID_DOMAIN, utf8Encode(canonicalObjectVersion(record.deposit))),
  ];
}

/** Each signature of `records` ready for crypto.verify: its KeyObject, message and DER. */
export async function signatureChecks(records: readonly LedgerRecord[], trusted: TrustedParties) {
  const keys = {
    agency: nodeVerifyKey(await trusted.keys.publicKey(trusted.keyIds.agency)),
    custodian: nodeVerifyKey(await trusted.keys.publicKey(trusted.keyIds.custodian)),
  };
  return records.flatMap((record) =>
    record.signatures.map((s) => ({
      key: keys[s.role],
      message: statementMessage(attestationStatement(s.role, record.deposit)),
      signature: base64Decode(s.signature),
    })),
  );
}

export async function measureVerifySplit(
  records: readonly LedgerRecord[],
  trusted: TrustedParties,
): Promise<VerifyStep[]> {
  const lines = records.map((record) => canonicalRecord(record));
  const hashed = records.flatMap(hashInputs);
  const checks = await signatureChecks(records, trusted);
  const steps: [string, () => void][] = [
    [
      'parse: JSON.parse + record schema (zod) of the records-bundle line',
      () => lines.forEach((line) => parseLedgerRecord(JSON.parse(line))),
    ],
    [
      'canonical: the line check, then the UTF-8 bytes of the body, the coordinates, 2 statements',
      () =>
        records.forEach((r) => {
          canonicalRecord(r);
          hashInputs(r);
          statementMessage(attestationStatement('agency', r.deposit));
          statementMessage(attestationStatement('custodian', r.deposit));
        }),
    ],
    [
      'hash: SHA-256 of the body and of the coordinates, node:crypto',
      () => hashed.forEach(nodeSha256),
    ],
    ['(hash with @noble/hashes instead: the browser default)', () => hashed.forEach(sha256)],
    [
      'signature prep: 2 × (base64, strict DER check)',
      () =>
        records.forEach((r) =>
          r.signatures.forEach((s) => isStrictDerSignature(base64Decode(s.signature))),
        ),
    ],
    [
      'signature: 2 × crypto.verify, synchronous, one thread',
      () => checks.forEach((c) => verify('sha256', c.message, c.key, c.signature)),
    ],
  ];
  return steps.map(([step, run]) => ({ step, micros: cpuPerRecord(records.length, run) }));
}

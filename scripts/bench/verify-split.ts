/**
 * Where the time of one record's verification goes (section d): the steps the Node path
 * runs per record (decodeRecordsBundle + verifyLedgerRecords in one synchronous pass, as the
 * monitor runs them), each timed alone over the same records on the main thread, in CPU µs
 * per record. The steps do not overlap; a path's own total (verify-rate.ts) minus their sum
 * is the rest: the chain walk's checks (seq, duplicates, links), key lookups, the failure
 * bookkeeping, and the garbage collection the steps leave to it.
 */
import { verify } from 'node:crypto';
import {
  canonicalObjectVersion,
  canonicalRecord,
  canonicalRecordBody,
  canonicalStatement,
  fastDepositText,
} from '../../core/canonical-record';
import { isStrictDerSignature } from '../../core/ecdsa-p256';
import { base64Decode } from '../../core/encoding';
import {
  ATTESTATION_DOMAIN,
  DEPOSIT_ID_DOMAIN,
  domainHashHex,
  domainSeparatedText,
  RECORD_DOMAIN,
} from '../../core/hashing';
import type { TrustedParties } from '../../core/party-signatures';
import { isLedgerRecordJson } from '../../core/record-shape';
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

/**
 * CPU µs per record of `run` over all records: one warm-up pass, then the least of `passes`.
 * The least, because process CPU time counts V8's helper threads too, and a concurrent mark
 * of the heap the earlier steps grew, landing in a step of a few milliseconds, once doubled it.
 */
function cpuPerRecord(records: number, run: () => void, passes = 5): number {
  run();
  let least = Infinity;
  for (let i = 0; i < passes; i++) {
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    least = Math.min(least, used.user + used.system);
  }
  return least / records;
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

/** As party-signatures.ts: a signature's DER and message are written into one reused buffer. */
const scratch = new Uint8Array(16 * 1024);

/** The texts of one record as the one-pass path writes them: its deposit once, then the rest. */
function writeTexts(record: LedgerRecord) {
  const deposit = fastDepositText(record.deposit);
  const statement = (role: 'agency' | 'custodian') =>
    domainSeparatedText(
      ATTESTATION_DOMAIN,
      canonicalStatement(
        { type: 'evidence-ledger/attestation/v1', role, deposit: record.deposit },
        deposit,
      ),
      scratch,
    );
  return {
    line: canonicalRecord(record, deposit),
    body: canonicalRecordBody(record, deposit),
    coordinates: canonicalObjectVersion(record.deposit),
    agency: statement('agency'),
    custodian: statement('custodian'),
  };
}

export async function measureVerifySplit(
  records: readonly LedgerRecord[],
  trusted: TrustedParties,
): Promise<VerifyStep[]> {
  const lines = records.map((record) => canonicalRecord(record));
  const texts = records.map((record) => {
    const { body, coordinates } = writeTexts(record);
    return { body, coordinates };
  });
  const steps: [string, () => void][] = [
    [
      'parse: JSON.parse + the record schema checked by hand (record-shape.ts) of the records-bundle line',
      () => lines.forEach((line) => isLedgerRecordJson(JSON.parse(line))),
    ],
    [
      '(parse with the zod record schema instead, as before)',
      () => lines.forEach((line) => parseLedgerRecord(JSON.parse(line))),
    ],
    [
      'canonical: deposit text once, then the line check, the body, the coordinates, the bytes of 2 statements',
      () => records.forEach(writeTexts),
    ],
    [
      'hash: SHA-256 of the body and of the coordinates, node:crypto (text form, hex)',
      () =>
        texts.forEach((t) => {
          domainHashHex(RECORD_DOMAIN, t.body, nodeSha256);
          domainHashHex(DEPOSIT_ID_DOMAIN, t.coordinates, nodeSha256);
        }),
    ],
    [
      '(hash with @noble/hashes instead: the browser default)',
      () =>
        texts.forEach((t) => {
          domainHashHex(RECORD_DOMAIN, t.body);
          domainHashHex(DEPOSIT_ID_DOMAIN, t.coordinates);
        }),
    ],
    [
      'signature prep: 2 × (base64, strict DER check)',
      () =>
        records.forEach((r) =>
          r.signatures.forEach((s) => isStrictDerSignature(base64Decode(s.signature, scratch))),
        ),
    ],
  ];
  const split = steps.map(([step, run]) => ({ step, micros: cpuPerRecord(records.length, run) }));
  // Made only now: 20,000 live ArrayBuffers slow every scavenge, and the steps above would
  // pay for it (the canonical step measured three times its cost with them alive).
  const checks = await signatureChecks(records, trusted);
  const signature = () => checks.forEach((c) => verify('sha256', c.message, c.key, c.signature));
  split.push({
    step: 'signature: 2 × crypto.verify, synchronous, one thread',
    micros: cpuPerRecord(records.length, signature),
  });
  return split;
}

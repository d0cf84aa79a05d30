/**
 * Model objects for the core's unit tests. They are built, not captured: the core never
 * sees raw S3 events, only Deposits the register step made from them.
 */
import { buildRecords } from '../../../core/chain';
import { depositIdFor } from '../../../core/deposit-id';
import {
  GENESIS_HEAD,
  SIGNATURE_ALGORITHM,
  type Deposit,
  type LedgerRecord,
  type PartySignature,
} from '../../../core/types';

export const SEQUENCED_AT = new Date('2024-05-01T12:00:00.000Z');

/** A deposit of object `key` (version v1) in bucket evidence-bucket. */
export function sampleDeposit(key = 'cases/2024-0042/photo-1.jpg'): Deposit {
  const coordinates = {
    bucket: 'evidence-bucket',
    key,
    versionId: '3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY',
  };
  return {
    depositId: depositIdFor(coordinates),
    ...coordinates,
    size: 52_431,
    sha256: 'a'.repeat(64),
    uploadedAt: '2024-05-01T11:59:58.123Z',
    uploader: { principalId: 'AWS:AIDAEXAMPLEUPLOADER', sourceIp: '203.0.113.7' },
    caseMetadata: { 'case-id': '2024-0042', officer: 'J. Doe' },
  };
}

/** Placeholder signatures: well-formed, not cryptographically valid (chain checks ignore them). */
export function placeholderSignatures(): PartySignature[] {
  return (['agency', 'custodian'] as const).map((role) => ({
    role,
    keyId: `arn:aws:kms:eu-west-1:000000000000:key/${role}`,
    algorithm: SIGNATURE_ALGORITHM,
    signature: 'MEUCIQ==',
  }));
}

/** A valid chain of `length` records from genesis, one deposit each. */
export function sampleChain(length: number): LedgerRecord[] {
  const approved = Array.from({ length }, (_, i) => ({
    deposit: sampleDeposit(`cases/2024-0042/item-${i}.bin`),
    signatures: placeholderSignatures(),
  }));
  return buildRecords(GENESIS_HEAD, approved, SEQUENCED_AT).records;
}

/**
 * The evidence file itself: its SHA-256 and size, computed by the caller (streamed in the
 * CLI, WebCrypto in a page), must equal those some item's deposit recorded.
 */
import { LedgerError } from '../errors';
import type { BundleItem } from './bundle-schema';

export interface EvidenceDigest {
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly size: number;
}

/**
 * The index of the item whose deposit has this digest and size. Throws
 * EVIDENCE_DIGEST_MISMATCH when none has: the file is not what any item recorded (or the
 * item that recorded it was left out of the bundle).
 */
export function matchEvidence(items: readonly BundleItem[], evidence: EvidenceDigest): number {
  const index = items.findIndex(
    ({ record }) =>
      record.deposit.sha256 === evidence.sha256.toLowerCase() &&
      record.deposit.size === evidence.size,
  );
  if (index < 0) {
    const only = items.length === 1 ? items[0]!.record.deposit : undefined;
    const expected = only ? `: the item recorded ${only.sha256} (${only.size} bytes)` : '';
    throw new LedgerError(
      'EVIDENCE_DIGEST_MISMATCH',
      `no item recorded SHA-256 ${evidence.sha256} and size ${evidence.size}${expected}`,
      { sha256: evidence.sha256, size: evidence.size },
    );
  }
  return index;
}

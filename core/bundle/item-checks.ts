/**
 * The checks of a bundle's items, each a small function that returns a success message or
 * throws a LedgerError (see bundle-report.ts runCheck). Items are attacker-controlled but
 * already parsed with bundleSchema, so their shape is trusted, not their content.
 */
import type { Checkpoint } from '../checkpoint/checkpoint';
import { LedgerError } from '../errors';
import { hexToBytes } from '../encoding';
import { recordLeafHash } from '../merkle/hasher';
import { verifyInclusion } from '../merkle/inclusion';
import { verifyApprovals, type TrustedParties } from '../party-signatures';
import type { Sha256 } from '../ports/sha256';
import { recordHash, requireRecomputableFacts } from '../record';
import type { BundleItem } from './bundle-schema';

/**
 * Items are in strictly increasing seq order: one bundle has one spelling, and a repeated
 * record is refused rather than counted twice. CHAIN_DUPLICATE or BUNDLE_MALFORMED.
 */
export function checkItemOrder(item: BundleItem, previous: BundleItem | undefined): string {
  const seq = item.record.seq;
  const before = previous?.record.seq;
  if (before !== undefined && seq === before) {
    throw new LedgerError('CHAIN_DUPLICATE', `seq ${seq} appears twice`, { seq });
  }
  if (before !== undefined && seq < before) {
    throw new LedgerError('BUNDLE_MALFORMED', `items out of order: seq ${seq} after ${before}`);
  }
  return 'in seq order';
}

/** recordHash recomputes from the record's body (RECORD_HASH_MISMATCH), with `hash`. */
export function checkRecordHash({ record }: BundleItem, hash?: Sha256): string {
  const computed = recordHash(record, hash);
  if (computed !== record.recordHash) {
    throw new LedgerError(
      'RECORD_HASH_MISMATCH',
      `recordHash is ${record.recordHash}, body hashes to ${computed}`,
      { seq: record.seq },
    );
  }
  return `recordHash ${computed} recomputes`;
}

/**
 * The facts anyone can recompute, checked even though both parties signed them (record.ts):
 * the depositId is H(bucket, key, versionId) (DEPOSIT_ID_MISMATCH); seq 0 links to 64 zeros;
 * and when the item before holds seq − 1, prevHash is that record's (recomputed) hash
 * (CHAIN_LINK_MISMATCH). Items that are not adjacent carry no link a bundle can check.
 */
export function checkRecordFacts(
  { record }: BundleItem,
  previous: BundleItem | undefined,
  hash?: Sha256,
): string {
  const adjacent = previous !== undefined && previous.record.seq === record.seq - 1;
  const head = adjacent
    ? { nextSeq: record.seq, lastHash: recordHash(previous.record, hash) }
    : undefined;
  requireRecomputableFacts(record, head, hash);
  return adjacent ? `depositId recomputes; links to seq ${record.seq - 1}` : 'depositId recomputes';
}

/** Both parties' signatures verify with the trusted keys (SIGNATURE_* / UNTRUSTED_KEY). */
export async function checkRecordSignatures(
  { record }: BundleItem,
  approvers: TrustedParties,
): Promise<string> {
  await verifyApprovals(record.deposit, record.signatures, approvers);
  return 'agency and custodian signatures verify with the trusted keys';
}

/**
 * The inclusion proof leads from the record's leaf to the checkpoint's root. Its leafIndex
 * and treeSize repeat values known elsewhere, so they must equal them: leafIndex the
 * record's seq (INCLUSION_PROOF_INVALID), treeSize the checkpoint's size (TREE_SIZE_INVALID).
 * Then RFC 9162 verification: INCLUSION_PROOF_INVALID, TREE_SIZE_INVALID or ROOT_MISMATCH.
 */
export function checkInclusion(
  { record, inclusionProof }: BundleItem,
  checkpoint: Checkpoint,
  hash?: Sha256,
) {
  const { leafIndex, treeSize, hashes } = inclusionProof;
  if (leafIndex !== record.seq) {
    throw new LedgerError('INCLUSION_PROOF_INVALID', `proof is for leaf ${leafIndex}`, {
      seq: record.seq,
    });
  }
  if (treeSize !== checkpoint.treeSize) {
    throw new LedgerError('TREE_SIZE_INVALID', `proof is for tree size ${treeSize}`, {
      checkpointSize: checkpoint.treeSize,
    });
  }
  verifyInclusion({
    leafIndex,
    treeSize,
    leafHash: recordLeafHash(recordHash(record, hash)),
    proof: hashes.map((hash) => hexToBytes(hash)),
    root: checkpoint.rootHash,
  });
  return `included at index ${leafIndex} of the tree of size ${treeSize}`;
}

/**
 * Every failure code, said in one sentence for the people who read the verifier page
 * (investigators, custodians, lawyers, judges). The record is total over LedgerErrorCode, so
 * a code added to core/errors.ts does not compile until it is explained here. The codes a
 * bundle check can fail with are listed in docs/FORMAT.md §10 "Verification"; the others
 * come from the ledger's pipeline and are explained for completeness.
 */
import type { LedgerErrorCode } from '../../core/errors';

export const FAILURE_EXPLANATIONS: Readonly<Record<LedgerErrorCode, string>> = {
  // bundle checks (docs/FORMAT.md §10)
  BUNDLE_MALFORMED:
    'The bundle file is not a valid evidence bundle: it is not strict JSON, not version 1 of the format, or its items are out of order.',
  CHECKPOINT_MALFORMED:
    'The checkpoint is not well formed, names another ledger than the trusted one, or carries signatures other than the two parties’.',
  CHECKPOINT_SIGNATURE_INVALID:
    'The checkpoint is not signed by both trusted parties: a signature is missing or does not verify with the trusted keys.',
  CHAIN_DUPLICATE: 'The bundle holds the same ledger record twice.',
  RECORD_HASH_MISMATCH:
    'A record was changed after it was made: its contents no longer match its recorded hash.',
  DEPOSIT_ID_MISMATCH:
    'A record’s deposit id does not match the bucket, key and version it names: the facts were altered.',
  CHAIN_LINK_MISMATCH:
    'A record does not link to the record before it: the chain of records was altered or reordered.',
  SIGNATURE_MISSING: 'A record lacks the signature of one of the two parties.',
  SIGNATURE_INVALID:
    'A party’s signature on a record does not verify: the record was changed after it was signed, or the signature is forged.',
  UNTRUSTED_KEY: 'A record was signed with a key that is not among your trusted keys.',
  INCLUSION_PROOF_INVALID:
    'The proof that the record is in the ledger is malformed or does not match the record’s position.',
  TREE_SIZE_INVALID: 'The proof is for a different ledger size than the signed checkpoint.',
  ROOT_MISMATCH:
    'The record is not part of the ledger the parties signed: its proof does not lead to the checkpoint.',
  TIMESTAMP_INVALID:
    'The trusted timestamp is missing, malformed, or not issued by one of your trusted time-stamping authorities.',
  TIMESTAMP_MISMATCH: 'The trusted timestamp was issued for something other than this checkpoint.',
  EVIDENCE_DIGEST_MISMATCH:
    'The evidence file you selected is not the one recorded: its SHA-256 or size differs from every record in the bundle.',
  // reading inputs
  INVALID_INPUT:
    'An input is not in the expected form (for instance a trusted-keys file with a bad key).',
  CANONICALIZATION_ERROR:
    'A value cannot be put into canonical JSON form, so it cannot be hashed or signed.',
  INVALID_EVENT: 'The storage event the ledger received is not one it understands.',
  // the ledger's pipeline and auditor (not reported by a bundle check)
  OBJECT_NOT_FOUND: 'The evidence object version is not in storage.',
  DIGEST_MISMATCH: 'The stored evidence object does not have the SHA-256 the ledger recorded.',
  FACTS_MISMATCH:
    'A party found facts about the deposit that differ from those it was asked to sign.',
  FACTS_NOT_ESTABLISHED: 'A party could not establish the deposit’s facts from storage itself.',
  PARTY_STATE_CORRUPT: 'A party’s own saved state is unreadable.',
  KEY_UNAVAILABLE: 'A signing key could not be used.',
  RECORD_MISSING: 'A deposit the ledger says it appended has no record in its place.',
  EVIDENCE_NOT_RECORDED: 'An evidence object version has no record in the ledger.',
  CHAIN_GAP: 'A record is missing from the ledger: the sequence numbers skip one.',
  APPEND_CONFLICT: 'Two records were written for the same place in the ledger.',
  DEPOSIT_NOT_READY: 'The deposit is not yet signed by both parties.',
  CONSISTENCY_PROOF_INVALID:
    'A later checkpoint does not extend an earlier one: the ledger was rewritten.',
  CHECKPOINT_INCONSISTENT: 'Two checkpoints of the ledger contradict each other.',
  CHECKPOINT_HIDDEN: 'A write-once copy of a checkpoint has been hidden.',
  LEDGER_ROLLED_BACK:
    'The ledger holds fewer records than the parties already signed: records were removed.',
  COSIGNER_UNAVAILABLE: 'A party that co-signs checkpoints could not be reached.',
  COSIGN_REFUSED: 'A party refused to co-sign a checkpoint.',
  COSIGN_STALE_OLD_SIZE: 'A co-signing request started from an outdated checkpoint.',
  COSIGN_TREE_SHRINK: 'A co-signing request proposed a smaller ledger than already signed.',
  COSIGN_FORK: 'A co-signing request proposed a ledger that forks from the one already signed.',
  COSIGN_NOT_NEWER: 'A co-signing request proposed nothing newer than what was already signed.',
  COSIGN_TOO_MANY_RECORDS: 'A co-signing request covered more records than a party checks at once.',
  COSIGN_RECORD_REFUSED: 'A party refused a record it was asked to vouch for.',
  COSIGN_UNKNOWN_ATTESTATION: 'A party was asked to vouch for a record it never approved.',
  COSIGN_STATE_INVALID: 'A co-signing party’s saved state is unreadable.',
  COSIGN_STATE_CONFLICT: 'A co-signing party’s saved state changed concurrently.',
  TIMESTAMP_UNAVAILABLE: 'The time-stamping authority did not answer.',
  AUDIT_CONTINUATION_FORGED: 'An auditor continuation token was not issued for this request.',
  AUDIT_STATE_FORGED:
    "The auditor's stored verification state was not written by the auditor: someone changed it.",
  STORAGE_ITEM_CORRUPT: 'An item the ledger stored is unreadable or contradicts itself.',
  RECORD_CORRUPT: 'A stored ledger record is unreadable, so it cannot be checked.',
  CONFIG_MISSING: 'A setting the ledger needs is missing from its deployment.',
  CONFIG_INVALID: 'A setting of the ledger’s deployment has a value it cannot use.',
  ACCESS_DENIED: 'The ledger was not allowed to read or write what it needed.',
  THROTTLED: 'A storage or key service asked the ledger to slow down; it will try again.',
  DEPENDENCY_UNAVAILABLE:
    'A storage or key service could not be reached; the ledger will try again.',
  // the tiled log (c2sp.org/tlog-tiles)
  TILE_PATH_INVALID: 'A file in the published log is not at a valid tile or entry bundle path.',
  TILE_MALFORMED: 'A tile of the published log does not have the size its position requires.',
  TILE_MISSING: 'A tile the published log must hold for its checkpoint is missing.',
  ENTRY_BUNDLE_MALFORMED: 'An entry bundle of the published log is not well formed.',
};

/** The sentence for `code`; a check that failed without a code is a bug in the verifier. */
export function explainFailure(code: LedgerErrorCode | undefined): string {
  return code === undefined
    ? 'The check failed without a reason: please report this.'
    : FAILURE_EXPLANATIONS[code];
}

/**
 * Typed errors of the ledger. Every failure the core, the Lambdas or the verifiers report
 * carries one code from this closed union, so callers and tests branch on the code, never
 * on the message.
 */
export type LedgerErrorCode =
  // input and encoding
  | 'INVALID_INPUT'
  | 'CANONICALIZATION_ERROR'
  | 'INVALID_EVENT'
  // evidence objects
  | 'OBJECT_NOT_FOUND'
  | 'DIGEST_MISMATCH'
  // a party's own checks before it signs (DEPOSIT_ID_MISMATCH: verifiers recompute it too)
  | 'DEPOSIT_ID_MISMATCH'
  | 'FACTS_MISMATCH'
  | 'FACTS_NOT_ESTABLISHED'
  | 'PARTY_STATE_CORRUPT'
  // keys and signatures
  | 'KEY_UNAVAILABLE'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'UNTRUSTED_KEY'
  // chain
  | 'RECORD_HASH_MISMATCH'
  /** A deposit the ledger says it appended has no record at its seq (or another deposit's). */
  | 'RECORD_MISSING'
  /** An evidence object version with no record and no failed deposit. */
  | 'EVIDENCE_NOT_RECORDED'
  | 'CHAIN_GAP'
  | 'CHAIN_LINK_MISMATCH'
  | 'CHAIN_DUPLICATE'
  | 'APPEND_CONFLICT'
  | 'DEPOSIT_NOT_READY'
  // merkle trees, proofs, checkpoints
  | 'TREE_SIZE_INVALID'
  | 'INCLUSION_PROOF_INVALID'
  | 'CONSISTENCY_PROOF_INVALID'
  | 'ROOT_MISMATCH'
  | 'CHECKPOINT_MALFORMED'
  // tiled log (c2sp.org/tlog-tiles, core/tlog): tiles and bundles read from storage or a mirror
  | 'TILE_PATH_INVALID'
  | 'TILE_MALFORMED'
  | 'TILE_MISSING'
  | 'ENTRY_BUNDLE_MALFORMED'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_INCONSISTENT'
  /** A delete marker hides a WORM checkpoint copy. */
  | 'CHECKPOINT_HIDDEN'
  /** A party co-signed more records than the ledger now holds: records were removed. */
  | 'LEDGER_ROLLED_BACK'
  /** A co-signer could not be reached or answered nothing readable. */
  | 'COSIGNER_UNAVAILABLE'
  /** A co-signer refused with a code the anchor does not know. */
  | 'COSIGN_REFUSED'
  // checkpoint co-signers (each party's witness, core/witness)
  | 'COSIGN_STALE_OLD_SIZE'
  | 'COSIGN_TREE_SHRINK'
  | 'COSIGN_FORK'
  | 'COSIGN_NOT_NEWER'
  | 'COSIGN_TOO_MANY_RECORDS'
  | 'COSIGN_RECORD_REFUSED'
  | 'COSIGN_UNKNOWN_ATTESTATION'
  | 'COSIGN_STATE_INVALID'
  | 'COSIGN_STATE_CONFLICT'
  // trusted timestamps
  | 'TIMESTAMP_INVALID'
  | 'TIMESTAMP_MISMATCH'
  /** The TSA did not answer in time or at all; the checkpoint is published without a token. */
  | 'TIMESTAMP_UNAVAILABLE'
  // auditor
  /** A cursor or continueFrom the auditor did not seal, or sealed for another request. */
  | 'AUDIT_CONTINUATION_FORGED'
  // evidence bundles (offline verification)
  | 'BUNDLE_MALFORMED'
  | 'EVIDENCE_DIGEST_MISMATCH';

export interface LedgerErrorDetails {
  /** Sequence number of the record the failure concerns, when there is one. */
  readonly seq?: number;
  /** Free-form structured context (expected/actual values, ids). */
  readonly [key: string]: unknown;
}

export class LedgerError extends Error {
  readonly code: LedgerErrorCode;
  readonly details: LedgerErrorDetails;

  constructor(
    code: LedgerErrorCode,
    message: string,
    details: LedgerErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LedgerError';
    this.code = code;
    this.details = details;
  }
}

export function isLedgerError(value: unknown, code?: LedgerErrorCode): value is LedgerError {
  return value instanceof LedgerError && (code === undefined || value.code === code);
}

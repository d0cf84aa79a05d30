/**
 * Typed errors of the ledger. Every failure the core, the Lambdas or the verifiers report
 * carries one code from a closed union, so callers and tests branch on the code, never on
 * the message. The codes are grouped by layer: who or what is at fault tells the caller
 * what to do (refuse the input, raise an integrity alarm, fix the deployment, report the
 * finding, or retry). docs/FORMAT.md §9 lists the layers.
 */

/** What a caller, an uploader, an event or a bundle sent does not parse or is out of bounds. */
export const INPUT_ERROR_CODES = [
  'INVALID_INPUT',
  'CANONICALIZATION_ERROR',
  /** An S3/SQS event or an uploader's metadata that the pipeline cannot take. */
  'INVALID_EVENT',
  /** The evidence object version an event or a request names is not (or no longer) there. */
  'OBJECT_NOT_FOUND',
  /** A bundle file that is not one strict JSON document of the bundle schema. */
  'BUNDLE_MALFORMED',
  /** A cursor or continueFrom the auditor did not seal, or sealed for another request. */
  'AUDIT_CONTINUATION_FORGED',
] as const;

/**
 * An item or object read back from the project's own storage does not parse or contradicts
 * itself: someone with write access to the table or bucket changed it, or a bug wrote it.
 */
export const STORAGE_ERROR_CODES = [
  /** A stored item (table, key in details) does not parse or does not hold together. */
  'STORAGE_ITEM_CORRUPT',
  /** A ledger record item (seq in details) does not parse: the audit reports it and goes on. */
  'RECORD_CORRUPT',
  /** A party's own memory (facts, signature, hash checkpoint) is missing or contradicts itself. */
  'PARTY_STATE_CORRUPT',
  /** A co-signer's stored state does not parse or does not hold together. */
  'COSIGN_STATE_INVALID',
  /**
   * The auditor's stored "verified up to" state is not one it sealed (its MAC under the
   * auditor's key does not verify, or the item contradicts it): someone else wrote it.
   */
  'AUDIT_STATE_FORGED',
  // the tiled log (c2sp.org/tlog-tiles, core/tlog), read from our bucket or a mirror
  'TILE_PATH_INVALID',
  'TILE_MALFORMED',
  'TILE_MISSING',
  'ENTRY_BUNDLE_MALFORMED',
] as const;

/** The deployment is wrong: an environment variable, a key spec, a certificate, a permission. */
export const CONFIG_ERROR_CODES = [
  /** A required environment variable is not set (name in details). */
  'CONFIG_MISSING',
  /** An environment variable or setting has a value the function cannot use (name in details). */
  'CONFIG_INVALID',
  /** AWS refused a call for lack of permission (AccessDenied): a policy does not match. */
  'ACCESS_DENIED',
] as const;

/** A checkpoint co-signer's refusals of a proposal (each party's witness, core/witness). */
export const COSIGN_REFUSAL_CODES = [
  'COSIGN_STALE_OLD_SIZE',
  'COSIGN_TREE_SHRINK',
  'COSIGN_FORK',
  'COSIGN_NOT_NEWER',
  'COSIGN_TOO_MANY_RECORDS',
  'COSIGN_RECORD_REFUSED',
  'COSIGN_UNKNOWN_ATTESTATION',
] as const;

/** A check of the ledger's own evidence failed: hashes, signatures, chain, proofs, checkpoints. */
export const VERIFICATION_ERROR_CODES = [
  'DIGEST_MISMATCH',
  // a party's own checks before it signs (DEPOSIT_ID_MISMATCH: verifiers recompute it too)
  'DEPOSIT_ID_MISMATCH',
  'FACTS_MISMATCH',
  'FACTS_NOT_ESTABLISHED',
  // keys and signatures
  'SIGNATURE_MISSING',
  'SIGNATURE_INVALID',
  'UNTRUSTED_KEY',
  // chain
  'RECORD_HASH_MISMATCH',
  /** A deposit the ledger says it appended has no record at its seq (or another deposit's). */
  'RECORD_MISSING',
  /** An evidence object version with no record and no failed deposit. */
  'EVIDENCE_NOT_RECORDED',
  'CHAIN_GAP',
  'CHAIN_LINK_MISMATCH',
  'CHAIN_DUPLICATE',
  // merkle trees, proofs, checkpoints
  'TREE_SIZE_INVALID',
  'INCLUSION_PROOF_INVALID',
  'CONSISTENCY_PROOF_INVALID',
  'ROOT_MISMATCH',
  'CHECKPOINT_MALFORMED',
  'CHECKPOINT_SIGNATURE_INVALID',
  'CHECKPOINT_INCONSISTENT',
  /** A delete marker hides a WORM checkpoint copy. */
  'CHECKPOINT_HIDDEN',
  /** A party co-signed more records than the ledger now holds: records were removed. */
  'LEDGER_ROLLED_BACK',
  /** A co-signer refused with a code the anchor does not know. */
  'COSIGN_REFUSED',
  ...COSIGN_REFUSAL_CODES,
  // trusted timestamps
  'TIMESTAMP_INVALID',
  'TIMESTAMP_MISMATCH',
  // evidence bundles (offline verification)
  'EVIDENCE_DIGEST_MISMATCH',
] as const;

/**
 * Nothing is wrong with the data, but a dependency failed: the operation is retried (an SQS
 * message comes back, the anchor runs again, the caller asks again).
 */
export const DEPENDENCY_ERROR_CODES = [
  /** AWS throttled the call (ThrottlingException, ProvisionedThroughputExceeded, SlowDown...). */
  'THROTTLED',
  /** An AWS service failed or could not be reached (5xx, network, timeout). */
  'DEPENDENCY_UNAVAILABLE',
  /** A KMS key cannot be used now (disabled, pending deletion, throttled, unreachable). */
  'KEY_UNAVAILABLE',
  /** A co-signer could not be reached or answered nothing readable. */
  'COSIGNER_UNAVAILABLE',
  /** The TSA did not answer in time or at all; the checkpoint is published without a token. */
  'TIMESTAMP_UNAVAILABLE',
] as const;

/** A concurrent writer got there first, or the work is not ready yet: the step runs again. */
export const CONCURRENCY_ERROR_CODES = [
  'APPEND_CONFLICT',
  'DEPOSIT_NOT_READY',
  'COSIGN_STATE_CONFLICT',
] as const;

export type InputErrorCode = (typeof INPUT_ERROR_CODES)[number];
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];
export type VerificationErrorCode = (typeof VERIFICATION_ERROR_CODES)[number];
export type DependencyErrorCode = (typeof DEPENDENCY_ERROR_CODES)[number];
export type ConcurrencyErrorCode = (typeof CONCURRENCY_ERROR_CODES)[number];

export type LedgerErrorCode =
  | InputErrorCode
  | StorageErrorCode
  | ConfigErrorCode
  | VerificationErrorCode
  | DependencyErrorCode
  | ConcurrencyErrorCode;

export type ErrorLayer =
  'input' | 'storage' | 'configuration' | 'verification' | 'dependency' | 'concurrency';

const LAYERS: readonly (readonly [ErrorLayer, readonly LedgerErrorCode[]])[] = [
  ['input', INPUT_ERROR_CODES],
  ['storage', STORAGE_ERROR_CODES],
  ['configuration', CONFIG_ERROR_CODES],
  ['verification', VERIFICATION_ERROR_CODES],
  ['dependency', DEPENDENCY_ERROR_CODES],
];

/** The layer `code` belongs to. */
export function errorLayer(code: LedgerErrorCode): ErrorLayer {
  return LAYERS.find(([, codes]) => codes.includes(code))?.[0] ?? 'concurrency';
}

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

/**
 * A LedgerError that says nothing about the data: a throttled or failed dependency. Code that
 * turns LedgerErrors into findings or refusals re-throws these, so the operation is retried.
 */
export function isDependencyError(value: unknown): boolean {
  return isLedgerError(value) && errorLayer(value.code) === 'dependency';
}

/**
 * Definitions for the auditor function: invoked by auditors (`aws lambda invoke`), under a
 * read-only role of its own. Pure data, shared by the stack and the local runtime.
 */
import { ENV } from './environment';
import type { TableDefinition } from './pipeline';

/**
 * The auditor's own table: one item (pk = 'verified') with its sealed "verified up to" state
 * (core/audit/audit-state.ts). A table rather than a prefix of the anchor bucket: the state
 * is rewritten on every call that advances, which a conditional DynamoDB write does in one
 * request (never backwards), while the anchor bucket is Object Lock COMPLIANCE (every
 * rewrite would be a version kept for years) and its prefixes are write-once. A table of its
 * own is granted to the auditor's role alone, with no key conditions to get wrong.
 */
export const AUDITOR_STATE_TABLE: TableDefinition = {
  id: 'AuditorState',
  partitionKey: { name: 'pk', type: 'S' },
};

/** Every variable the auditor reads; TSA_CERTIFICATE_PEM may be empty. */
export const AUDITOR_ENV_NAMES = [
  ENV.ledgerTable,
  ENV.depositsTable,
  ENV.anchorsTable,
  ENV.anchorBucket,
  ENV.agencyKeyId,
  ENV.custodianKeyId,
  ENV.origin,
  ENV.evidenceBucket,
  ENV.agencyPartyTable,
  ENV.custodianPartyTable,
  ENV.continuationKeyId,
  ENV.auditStateTable,
  ENV.tsaCertificate,
] as const;

/** The auditor's continuation key: an HMAC key in KMS, for HMAC-SHA-256 (GenerateMac/VerifyMac). */
export const CONTINUATION_KEY = {
  keySpec: 'HMAC_256',
  keyUsage: 'GENERATE_VERIFY_MAC',
  macAlgorithm: 'HMAC_SHA_256',
} as const;

export type AuditorEnvName = (typeof AUDITOR_ENV_NAMES)[number];

const AUDITOR_OPTIONAL_ENV: readonly AuditorEnvName[] = [ENV.tsaCertificate];

export const AUDITOR_FUNCTION = {
  id: 'Auditor',
  entry: 'functions/auditor/handler.ts',
  /** Long walks continue across invocations with a cursor instead of running into this. */
  timeoutSeconds: 300,
  memoryMiB: 1024,
  requiredEnv: AUDITOR_ENV_NAMES.filter((name) => !AUDITOR_OPTIONAL_ENV.includes(name)),
  /** May be empty: timestamp tokens are then not checked. */
  optionalEnv: AUDITOR_OPTIONAL_ENV,
  /**
   * Read-only permissions it needs: GetItem/Query/BatchGetItem on the Ledger, Deposits and
   * Anchors tables; GetItem on both parties' tables; s3:GetObjectVersion on evidence objects
   * and s3:ListBucketVersions on the evidence bucket; s3:GetObject on the anchor
   * bucket's checkpoints/* and log/*; kms:GetPublicKey on both signing keys; storage-key use via
   * S3 and DynamoDB; kms:GenerateMac/VerifyMac on its own continuation key. The one write:
   * GetItem/PutItem on its own AuditorState table, for its sealed state.
   */
} as const;

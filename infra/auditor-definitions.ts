/**
 * Definitions for the auditor function: invoked by auditors (`aws lambda invoke`), under a
 * read-only role of its own. Pure data, shared by the stack and the local runtime.
 */
export const AUDITOR_ENV = {
  ledgerTable: 'LEDGER_TABLE',
  depositsTable: 'DEPOSITS_TABLE',
  anchorsTable: 'ANCHORS_TABLE',
  anchorBucket: 'ANCHOR_BUCKET',
  agencyKeyId: 'AGENCY_KEY_ID',
  custodianKeyId: 'CUSTODIAN_KEY_ID',
  origin: 'LEDGER_ORIGIN',
  /** Reconciliation: every object version of the evidence bucket must be recorded or failed. */
  evidenceBucket: 'EVIDENCE_BUCKET',
  /** Each party's table: the auditor reads what the party last co-signed (pk = cosigner). */
  agencyPartyTable: 'AGENCY_PARTY_TABLE',
  custodianPartyTable: 'CUSTODIAN_PARTY_TABLE',
  /** KMS HMAC key that seals the cursors and hashing states the auditor hands its callers. */
  continuationKeyId: 'CONTINUATION_KEY_ID',
  /** Optional PEM certificate of the trusted RFC 3161 TSA; empty means tokens are not checked. */
  tsaCertificate: 'TSA_CERTIFICATE_PEM',
} as const;

/** The auditor's continuation key: an HMAC key in KMS, for HMAC-SHA-256 (GenerateMac/VerifyMac). */
export const CONTINUATION_KEY = {
  keySpec: 'HMAC_256',
  keyUsage: 'GENERATE_VERIFY_MAC',
  macAlgorithm: 'HMAC_SHA_256',
} as const;

export type AuditorEnvName = (typeof AUDITOR_ENV)[keyof typeof AUDITOR_ENV];

export const AUDITOR_FUNCTION = {
  id: 'Auditor',
  entry: 'functions/auditor/handler.ts',
  /** Long walks continue across invocations with a cursor instead of running into this. */
  timeoutSeconds: 300,
  memoryMiB: 1024,
  requiredEnv: [
    AUDITOR_ENV.ledgerTable,
    AUDITOR_ENV.depositsTable,
    AUDITOR_ENV.anchorsTable,
    AUDITOR_ENV.anchorBucket,
    AUDITOR_ENV.agencyKeyId,
    AUDITOR_ENV.custodianKeyId,
    AUDITOR_ENV.origin,
    AUDITOR_ENV.continuationKeyId,
    AUDITOR_ENV.evidenceBucket,
    AUDITOR_ENV.agencyPartyTable,
    AUDITOR_ENV.custodianPartyTable,
  ] as readonly AuditorEnvName[],
  /**
   * Read-only permissions it needs: GetItem/Query/BatchGetItem on the Ledger, Deposits and
   * Anchors tables; GetItem on both parties' tables; s3:GetObjectVersion on evidence objects
   * and s3:ListBucketVersions on the evidence bucket; s3:GetObject on the anchor
   * bucket's checkpoints/*; kms:GetPublicKey on both signing keys; storage-key Decrypt via
   * S3 and DynamoDB; kms:GenerateMac/VerifyMac on its own continuation key. Nothing that writes.
   */
} as const;

/**
 * Every environment variable a Lambda of this project reads, named once. Each function's
 * definition lists the ones it needs; the stack and the local runtime set exactly those.
 * Pure data, shared by the functions, the stack and the local runtime.
 */
export const ENV = {
  depositsTable: 'DEPOSITS_TABLE',
  ledgerTable: 'LEDGER_TABLE',
  anchorsTable: 'ANCHORS_TABLE',
  /** The table of the party a function belongs to (agency: hasher, agency signer, co-signer). */
  partyTable: 'PARTY_TABLE',
  /** Each party's table, for the auditor: what the party last co-signed (pk = cosigner). */
  agencyPartyTable: 'AGENCY_PARTY_TABLE',
  custodianPartyTable: 'CUSTODIAN_PARTY_TABLE',
  agencyKeyId: 'AGENCY_KEY_ID',
  custodianKeyId: 'CUSTODIAN_KEY_ID',
  agencySignQueueUrl: 'AGENCY_SIGN_QUEUE_URL',
  custodianSignQueueUrl: 'CUSTODIAN_SIGN_QUEUE_URL',
  appendQueueUrl: 'APPEND_QUEUE_URL',
  /** The hasher's own queue: it sends itself continuations of objects hashed in slices. */
  intakeQueueUrl: 'INTAKE_QUEUE_URL',
  /** The bucket whose object versions the parties approve (and the auditor reconciles), and no other. */
  evidenceBucket: 'EVIDENCE_BUCKET',
  anchorBucket: 'ANCHOR_BUCKET',
  /** The checkpoint origin line: names this deployment (C2SP tlog-checkpoint). */
  origin: 'LEDGER_ORIGIN',
  /** Days each WORM copy is locked in COMPLIANCE mode. */
  anchorRetentionDays: 'ANCHOR_RETENTION_DAYS',
  /** Most new records one anchor run covers (1..10,000; default 10,000): later runs catch up. */
  anchorMaxRecordsPerRun: 'ANCHOR_MAX_RECORDS_PER_RUN',
  /** Optional RFC 3161 time-stamping authority; empty means no timestamp tokens. */
  tsaUrl: 'TSA_URL',
  /**
   * PEM certificate of that TSA, pinned: the anchor stores only tokens that verify with it
   * (required with TSA_URL); for the auditor, empty means tokens are not checked.
   */
  tsaCertificate: 'TSA_CERTIFICATE_PEM',
  /** The parties' co-signer functions (name or ARN), which the anchor invokes with proposals. */
  agencyCosigner: 'AGENCY_COSIGNER_FUNCTION',
  custodianCosigner: 'CUSTODIAN_COSIGNER_FUNCTION',
  /** The party a co-signer speaks for: 'agency' or 'custodian'. */
  cosignerRole: 'COSIGNER_ROLE',
  /** KMS HMAC key that seals the cursors and hashing states the auditor hands its callers. */
  continuationKeyId: 'CONTINUATION_KEY_ID',
  /** The auditor's own table: its sealed "verified up to" state, which only it writes. */
  auditStateTable: 'AUDIT_STATE_TABLE',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

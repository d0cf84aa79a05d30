/**
 * The single source of truth for the pipeline's resources. The CDK stack builds its
 * tables, queues, notifications and functions from these definitions, and the local
 * provisioner (tools/local-runtime/provision-resources.ts) creates the emulator resources from
 * the very same values, so the tests cannot drift from what `cdk deploy` creates.
 *
 * Pure data: no CDK and no SDK imports here.
 */
import { ENV } from './environment';

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface TableDefinition {
  /** Logical id suffix and local table-name suffix. */
  readonly id: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

/** Deposits in progress and their outcome; one item per S3 object version. */
export const DEPOSITS_TABLE: TableDefinition = {
  id: 'Deposits',
  partitionKey: { name: 'depositId', type: 'S' },
};

/**
 * The ledger: one partition holds the records in sequence order (pk = 'record', seq = n),
 * another the chain head (pk = 'head', seq = 0) that every append conditionally advances.
 */
export const LEDGER_TABLE: TableDefinition = {
  id: 'Ledger',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'seq', type: 'N' },
};

/**
 * Each party's own state: its unfinished digests, the facts it established, the signatures it
 * gave (`pk = deposit#<id>`) and, for its co-signer, the last checkpoint it co-signed
 * (`pk = cosigner`). Only that party's roles may write its table; in a two-account deployment
 * the custodian's lives in the custodian's account.
 */
export const AGENCY_PARTY_TABLE: TableDefinition = {
  id: 'AgencyParty',
  partitionKey: { name: 'pk', type: 'S' },
};
export const CUSTODIAN_PARTY_TABLE: TableDefinition = {
  id: 'CustodianParty',
  partitionKey: { name: 'pk', type: 'S' },
};

/**
 * Top-level attributes each stage may write (IAM `dynamodb:Attributes`), so that no stage can
 * write another stage's or party's attributes: the Deposits mailbox is shared, the agency's
 * table is shared by its hasher (facts) and its signer (signature).
 */
export const WRITABLE_ATTRIBUTES = {
  deposits: {
    hasher: [
      'depositId',
      'status',
      'bucket',
      'key',
      'versionId',
      'sha256',
      'depositJson',
      'eTag',
      'failureCode',
      'failureMessage',
      'createdAt',
      'updatedAt',
    ],
    agencySigner: [
      'depositId',
      'status',
      'depositJson',
      'signature_agency',
      'failureCode',
      'failureMessage',
      'updatedAt',
    ],
    custodianSigner: [
      'depositId',
      'status',
      'signature_custodian',
      'failureCode',
      'failureMessage',
      'updatedAt',
    ],
    appender: [
      'depositId',
      'status',
      'seq',
      'recordHash',
      'failureCode',
      'failureMessage',
      'updatedAt',
    ],
  },
  party: {
    /** Drafts, unfinished digests and facts (`deposit#<id>`): never a signature. */
    hasher: [
      'pk',
      'depositId',
      'draftJson',
      'hashOffset',
      'hashState',
      'factsJson',
      'createdAt',
      'updatedAt',
    ],
    /** Its signature items (`signed#<id>`), never the facts it signs. */
    agencySigner: ['pk', 'depositId', 'signatureJson', 'signedAt'],
  },
} as const;

export const PARTY_TABLES = {
  agency: AGENCY_PARTY_TABLE,
  custodian: CUSTODIAN_PARTY_TABLE,
} as const;

export const TABLES = [
  DEPOSITS_TABLE,
  LEDGER_TABLE,
  AGENCY_PARTY_TABLE,
  CUSTODIAN_PARTY_TABLE,
] as const;

export interface QueueDefinition {
  readonly id: string;
  /** Must be at least the consuming function's timeout (AWS advises 6x). */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Dead-letter queues keep messages for the SQS maximum, 14 days. */
  readonly deadLetterRetentionSeconds: number;
}

const FOURTEEN_DAYS = 14 * 24 * 3600;

export const INTAKE_QUEUE: QueueDefinition = {
  id: 'Intake',
  visibilityTimeoutSeconds: 900 * 6,
  maxReceiveCount: 5,
  deadLetterRetentionSeconds: FOURTEEN_DAYS,
};
export const AGENCY_SIGN_QUEUE: QueueDefinition = {
  id: 'AgencySign',
  visibilityTimeoutSeconds: 60 * 6,
  maxReceiveCount: 10,
  deadLetterRetentionSeconds: FOURTEEN_DAYS,
};
export const CUSTODIAN_SIGN_QUEUE: QueueDefinition = {
  id: 'CustodianSign',
  visibilityTimeoutSeconds: 900 * 6,
  maxReceiveCount: 10,
  deadLetterRetentionSeconds: FOURTEEN_DAYS,
};
export const APPEND_QUEUE: QueueDefinition = {
  id: 'Append',
  visibilityTimeoutSeconds: 60 * 6,
  maxReceiveCount: 10,
  deadLetterRetentionSeconds: FOURTEEN_DAYS,
};

export const QUEUES = [
  INTAKE_QUEUE,
  AGENCY_SIGN_QUEUE,
  CUSTODIAN_SIGN_QUEUE,
  APPEND_QUEUE,
] as const;

/** S3 events on the evidence bucket that start a deposit. */
export const EVIDENCE_NOTIFICATION = {
  events: ['s3:ObjectCreated:*'] as const,
  queue: INTAKE_QUEUE,
};

/** Every variable a pipeline function may read (each definition lists its own). */
export const PIPELINE_ENV_NAMES = [
  ENV.depositsTable,
  ENV.ledgerTable,
  ENV.agencyKeyId,
  ENV.custodianKeyId,
  ENV.agencySignQueueUrl,
  ENV.custodianSignQueueUrl,
  ENV.appendQueueUrl,
  ENV.intakeQueueUrl,
  ENV.partyTable,
  ENV.evidenceBucket,
] as const;

export type PipelineEnvName = (typeof PIPELINE_ENV_NAMES)[number];

export interface FunctionDefinition {
  readonly id: string;
  /** Entry file, relative to the repository root. */
  readonly entry: string;
  readonly source: QueueDefinition;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Upper bound of concurrent invocations the event source mapping starts (min 2). */
  readonly maxConcurrency?: number;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
  /** Environment variables the handler needs. */
  readonly env: readonly PipelineEnvName[];
  /** The party whose role this function runs under (its table, its key); none for the operator's functions. */
  readonly party?: 'agency' | 'custodian';
}

export const HASHER_FUNCTION: FunctionDefinition = {
  id: 'Hasher',
  party: 'agency',
  entry: 'functions/hasher/handler.ts',
  source: INTAKE_QUEUE,
  batchSize: 1,
  maxBatchingWindowSeconds: 0,
  timeoutSeconds: 900,
  memoryMiB: 1024,
  // INTAKE_QUEUE_URL: continuations of objects too large for one invocation (sqs:SendMessage on Intake).
  env: [ENV.depositsTable, ENV.partyTable, ENV.agencySignQueueUrl, ENV.intakeQueueUrl],
};

export const AGENCY_SIGNER_FUNCTION: FunctionDefinition = {
  id: 'AgencySigner',
  party: 'agency',
  entry: 'functions/agency-signer/handler.ts',
  source: AGENCY_SIGN_QUEUE,
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  timeoutSeconds: 60,
  memoryMiB: 256,
  // Reads the agency's own facts (PARTY_TABLE) and HEADs the version once more before signing.
  env: [
    ENV.depositsTable,
    ENV.partyTable,
    ENV.evidenceBucket,
    ENV.agencyKeyId,
    ENV.custodianSignQueueUrl,
  ],
};

export const CUSTODIAN_SIGNER_FUNCTION: FunctionDefinition = {
  id: 'CustodianSigner',
  party: 'custodian',
  entry: 'functions/custodian-signer/handler.ts',
  source: CUSTODIAN_SIGN_QUEUE,
  batchSize: 1,
  maxBatchingWindowSeconds: 0,
  timeoutSeconds: 900,
  memoryMiB: 1024,
  // CUSTODIAN_SIGN_QUEUE_URL: continuations of re-hashes too large for one invocation
  // (sqs:SendMessage on its own CustodianSign queue).
  // AGENCY_KEY_ID: the custodian checks the agency's signature on the proposal before its own work.
  env: [
    ENV.depositsTable,
    ENV.partyTable,
    ENV.evidenceBucket,
    ENV.agencyKeyId,
    ENV.custodianKeyId,
    ENV.appendQueueUrl,
    ENV.custodianSignQueueUrl,
  ],
};

/**
 * The appender commits groups: up to 33 deposits per DynamoDB transaction
 * (1 head update + 3 items per deposit: record, deposit, marker <= 100 items).
 */
export const APPENDER_FUNCTION: FunctionDefinition = {
  id: 'Appender',
  entry: 'functions/appender/handler.ts',
  source: APPEND_QUEUE,
  batchSize: 33,
  maxBatchingWindowSeconds: 1,
  maxConcurrency: 2,
  timeoutSeconds: 60,
  memoryMiB: 512,
  env: [ENV.depositsTable, ENV.ledgerTable, ENV.agencyKeyId, ENV.custodianKeyId],
};

export const PIPELINE_FUNCTIONS = [
  HASHER_FUNCTION,
  AGENCY_SIGNER_FUNCTION,
  CUSTODIAN_SIGNER_FUNCTION,
  APPENDER_FUNCTION,
] as const;

/** Signing keys: one per party, ECC_NIST_P256 for SIGN_VERIFY with ECDSA_SHA_256. */
export const SIGNING_KEY = {
  keySpec: 'ECC_NIST_P256',
  keyUsage: 'SIGN_VERIFY',
  signingAlgorithm: 'ECDSA_SHA_256',
} as const;

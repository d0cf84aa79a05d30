/**
 * Creates the pipeline's resources on an emulator (or, when asked explicitly, in a real
 * account) from the same definitions the CDK stack is built from (definitions/pipeline.ts).
 * Each call uses its own name prefix, so every test suite gets a fresh deployment.
 *
 * The one deliberate difference from the stack is `visibilityTimeoutSeconds`: a local run
 * retries a failed message after seconds instead of the production minutes.
 */
import { CreateTableCommand, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, type KeySpec, type KeyUsageType } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../functions/shared/aws-clients';
import type { PartyRole } from '../../core/types';
import { ANCHOR_FUNCTION, ANCHORS_TABLE, type AnchorEnvName } from '../../definitions/anchor';
import { COSIGNER_FUNCTIONS, type CosignerEnvName } from '../../definitions/cosigner';
import { AUDITOR_STATE_TABLE, CONTINUATION_KEY } from '../../definitions/auditor';
import {
  AGENCY_PARTY_TABLE,
  AGENCY_SIGN_QUEUE,
  APPEND_QUEUE,
  CUSTODIAN_PARTY_TABLE,
  CUSTODIAN_SIGN_QUEUE,
  DEPOSITS_TABLE,
  EVIDENCE_NOTIFICATION,
  INTAKE_QUEUE,
  LEDGER_TABLE,
  SIGNING_KEY,
  type PipelineEnvName,
  type FunctionDefinition,
  type QueueDefinition,
  type TableDefinition,
} from '../../definitions/pipeline';
import { ENV } from '../../definitions/environment';
import { LedgerError } from '../../core/errors';

export interface ProvisionedQueue {
  readonly url: string;
  readonly arn: string;
  readonly deadLetterUrl: string;
}

export interface PipelineResources {
  readonly prefix: string;
  readonly evidenceBucket: string;
  readonly depositsTable: string;
  readonly ledgerTable: string;
  readonly anchorsTable: string;
  /** Each party's own table. */
  readonly partyTables: { readonly agency: string; readonly custodian: string };
  /** Object Lock bucket for the checkpoints' WORM copies. */
  readonly anchorBucket: string;
  readonly queues: {
    readonly intake: ProvisionedQueue;
    readonly agencySign: ProvisionedQueue;
    readonly custodianSign: ProvisionedQueue;
    readonly append: ProvisionedQueue;
  };
  /** KMS key ARNs of the two parties. */
  readonly keys: { readonly agency: string; readonly custodian: string };
  /** KMS HMAC key ARN with which the auditor seals its continuations and its state. */
  readonly continuationKey: string;
  /** The auditor's own table: its sealed "verified up to" state. */
  readonly auditStateTable: string;
}

export interface ProvisionOptions {
  /** Lower-case letters, digits and dashes; makes every name unique. */
  readonly prefix: string;
  readonly visibilityTimeoutSeconds: number;
  readonly evidenceRetention: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
  /** Anchor copies are always COMPLIANCE mode; only the period is configurable. */
  readonly anchorRetentionDays: number;
}

function keySchema(table: TableDefinition): KeySchemaElement[] {
  const keys: KeySchemaElement[] = [{ AttributeName: table.partitionKey.name, KeyType: 'HASH' }];
  if (table.sortKey) keys.push({ AttributeName: table.sortKey.name, KeyType: 'RANGE' });
  return keys;
}

export async function createTable(
  clients: AwsClients,
  table: TableDefinition,
  name: string,
): Promise<string> {
  const attributes = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: keySchema(table),
      AttributeDefinitions: attributes.map((a) => ({
        AttributeName: a.name,
        AttributeType: a.type,
      })),
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
    }),
  );
  return name;
}

async function queueArn(clients: AwsClients, url: string): Promise<string> {
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn)
    throw new LedgerError('DEPENDENCY_UNAVAILABLE', `queue ${url} has no ARN`, { queueUrl: url });
  return arn;
}

async function createQueue(
  clients: AwsClients,
  queue: QueueDefinition,
  prefix: string,
  visibilityTimeoutSeconds: number,
): Promise<ProvisionedQueue> {
  const dlq = await clients.sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-${queue.id}-dlq`,
      Attributes: { MessageRetentionPeriod: String(queue.deadLetterRetentionSeconds) },
    }),
  );
  if (!dlq.QueueUrl)
    throw new LedgerError(
      'DEPENDENCY_UNAVAILABLE',
      `no URL for the dead-letter queue of ${queue.id}`,
      { queue: queue.id },
    );
  const redrivePolicy = JSON.stringify({
    deadLetterTargetArn: await queueArn(clients, dlq.QueueUrl),
    maxReceiveCount: queue.maxReceiveCount,
  });
  const main = await clients.sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-${queue.id}`,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: redrivePolicy,
      },
    }),
  );
  if (!main.QueueUrl)
    throw new LedgerError('DEPENDENCY_UNAVAILABLE', `no URL for queue ${queue.id}`, {
      queue: queue.id,
    });
  return {
    url: main.QueueUrl,
    arn: await queueArn(clients, main.QueueUrl),
    deadLetterUrl: dlq.QueueUrl,
  };
}

async function createKey(
  clients: AwsClients,
  spec: { readonly keySpec: KeySpec; readonly keyUsage: KeyUsageType },
  description: string,
): Promise<string> {
  const { KeyMetadata } = await clients.kms.send(
    new CreateKeyCommand({
      KeySpec: spec.keySpec,
      KeyUsage: spec.keyUsage,
      Description: description,
    }),
  );
  if (!KeyMetadata?.Arn)
    throw new LedgerError('DEPENDENCY_UNAVAILABLE', 'KMS returned no key ARN', { description });
  return KeyMetadata.Arn;
}

const createSigningKey = (clients: AwsClients, description: string) =>
  createKey(clients, SIGNING_KEY, description);

/** The auditor's HMAC key (the emulators do not enforce the stack's key policy). */
const createContinuationKey = (clients: AwsClients, description: string) =>
  createKey(clients, CONTINUATION_KEY, description);

async function createLockedBucket(
  clients: AwsClients,
  name: string,
  retention: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number },
): Promise<string> {
  // Object Lock can only be enabled at creation; it turns versioning on.
  await clients.s3.send(
    new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: true }),
  );
  await clients.s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: name,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: retention.mode, Days: retention.days } },
      },
    }),
  );
  return name;
}

async function createEvidenceBucket(
  clients: AwsClients,
  name: string,
  options: ProvisionOptions,
  intakeArn: string,
): Promise<string> {
  await createLockedBucket(clients, name, options.evidenceRetention);
  await clients.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: name,
      NotificationConfiguration: {
        QueueConfigurations: [{ QueueArn: intakeArn, Events: [...EVIDENCE_NOTIFICATION.events] }],
      },
    }),
  );
  return name;
}

export async function provisionPipeline(
  clients: AwsClients,
  options: ProvisionOptions,
): Promise<PipelineResources> {
  const { prefix, visibilityTimeoutSeconds } = options;
  const [intake, agencySign, custodianSign, append] = await Promise.all(
    [INTAKE_QUEUE, AGENCY_SIGN_QUEUE, CUSTODIAN_SIGN_QUEUE, APPEND_QUEUE].map((q) =>
      createQueue(clients, q, prefix, visibilityTimeoutSeconds),
    ),
  );
  if (!intake || !agencySign || !custodianSign || !append)
    throw new LedgerError('DEPENDENCY_UNAVAILABLE', 'queue creation failed');
  const [agencyParty, custodianParty] = await Promise.all(
    [AGENCY_PARTY_TABLE, CUSTODIAN_PARTY_TABLE].map((t) =>
      createTable(clients, t, `${prefix}-${t.id}`),
    ),
  );
  const continuationKey = await createContinuationKey(
    clients,
    `${prefix}: auditor continuation key`,
  );
  const [
    depositsTable,
    ledgerTable,
    anchorsTable,
    auditStateTable,
    anchorBucket,
    agency,
    custodian,
    evidenceBucket,
  ] = await Promise.all([
    createTable(clients, DEPOSITS_TABLE, `${prefix}-${DEPOSITS_TABLE.id}`),
    createTable(clients, LEDGER_TABLE, `${prefix}-${LEDGER_TABLE.id}`),
    createTable(clients, ANCHORS_TABLE, `${prefix}-${ANCHORS_TABLE.id}`),
    createTable(clients, AUDITOR_STATE_TABLE, `${prefix}-${AUDITOR_STATE_TABLE.id}`),
    createLockedBucket(clients, `${prefix}-anchors`, {
      mode: 'COMPLIANCE',
      days: options.anchorRetentionDays,
    }),
    createSigningKey(clients, `${prefix}: agency signing key`),
    createSigningKey(clients, `${prefix}: custodian signing key`),
    createEvidenceBucket(clients, `${prefix}-evidence`, options, intake.arn),
  ]);
  return {
    prefix,
    evidenceBucket,
    depositsTable,
    ledgerTable,
    anchorsTable,
    partyTables: { agency: agencyParty ?? '', custodian: custodianParty ?? '' },
    anchorBucket,
    queues: { intake, agencySign, custodianSign, append },
    keys: { agency, custodian },
    continuationKey,
    auditStateTable,
  };
}

/** The environment the stack gives `definition`'s handler, for these resources. */
export function pipelineEnvironment(
  resources: PipelineResources,
  definition: FunctionDefinition,
): Record<PipelineEnvName, string> {
  return {
    [ENV.partyTable]: definition.party ? resources.partyTables[definition.party] : '',
    [ENV.evidenceBucket]: resources.evidenceBucket,
    [ENV.depositsTable]: resources.depositsTable,
    [ENV.ledgerTable]: resources.ledgerTable,
    [ENV.agencyKeyId]: resources.keys.agency,
    [ENV.custodianKeyId]: resources.keys.custodian,
    [ENV.agencySignQueueUrl]: resources.queues.agencySign.url,
    [ENV.custodianSignQueueUrl]: resources.queues.custodianSign.url,
    [ENV.appendQueueUrl]: resources.queues.append.url,
    [ENV.intakeQueueUrl]: resources.queues.intake.url,
  };
}

/** The environment the stack gives `party`'s co-signer function, for these resources. */
export function cosignerEnvironment(
  resources: PipelineResources,
  party: PartyRole,
  origin: string,
): Record<CosignerEnvName, string> {
  return {
    [ENV.cosignerRole]: party,
    [ENV.partyTable]: resources.partyTables[party],
    [ENV.ledgerTable]: resources.ledgerTable,
    [ENV.agencyKeyId]: resources.keys.agency,
    [ENV.custodianKeyId]: resources.keys.custodian,
    [ENV.origin]: origin,
  };
}

/** The environment the stack gives the anchor function, for these resources. */
export function anchorEnvironment(
  resources: PipelineResources,
  settings: {
    readonly origin: string;
    readonly retentionDays: number;
    /** Records one run covers (default ANCHOR_FUNCTION.defaultMaxRecordsPerRun). */
    readonly maxRecordsPerRun?: number;
    readonly tsaUrl: string | null;
    /** The TSA's pinned certificate (PEM), required with a URL. */
    readonly tsaCertificatePem?: string | null;
  },
): Record<AnchorEnvName, string> {
  return {
    [ENV.ledgerTable]: resources.ledgerTable,
    [ENV.anchorsTable]: resources.anchorsTable,
    [ENV.anchorBucket]: resources.anchorBucket,
    [ENV.agencyKeyId]: resources.keys.agency,
    [ENV.custodianKeyId]: resources.keys.custodian,
    [ENV.origin]: settings.origin,
    [ENV.anchorRetentionDays]: String(settings.retentionDays),
    [ENV.anchorMaxRecordsPerRun]: String(
      settings.maxRecordsPerRun ?? ANCHOR_FUNCTION.defaultMaxRecordsPerRun,
    ),
    [ENV.tsaUrl]: settings.tsaUrl ?? '',
    // Locally the co-signers' handlers run in-process (tools/local-runtime); these name them.
    [ENV.agencyCosigner]: `${resources.prefix}-${COSIGNER_FUNCTIONS.agency.id}`,
    [ENV.custodianCosigner]: `${resources.prefix}-${COSIGNER_FUNCTIONS.custodian.id}`,
    [ENV.tsaCertificate]: settings.tsaCertificatePem ?? '',
  };
}

import type { StackProps } from 'aws-cdk-lib';
import { Aws, CfnOutput, Stack, Tags, Validations } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { ArnPrincipal, ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ANCHORS_TABLE } from './anchor-definitions.js';
import type { StackConfig } from './config/stack-config.js';
import { AccessLogsBucket } from './constructs/access-logs-bucket.js';
import { alarmActionFor, alarmTopic } from './constructs/alarm-topic.js';
import { AnchorFunction, CHECKPOINTS_PREFIX } from './constructs/anchor-function.js';
import { CosignerFunction } from './constructs/cosigner-function.js';
import { COSIGNER_FUNCTIONS } from './cosigner-definitions.js';
import { AuditorFunction, evidenceAuditorPolicy } from './constructs/auditor-function.js';
import { ContinuationKey } from './constructs/continuation-key.js';
import { LedgerTable } from './constructs/ledger-table.js';
import type { LockedBucketProps } from './constructs/locked-bucket.js';
import { LockedBucket } from './constructs/locked-bucket.js';
import type { Party } from './constructs/party-signing-key.js';
import { PartySigningKey } from './constructs/party-signing-key.js';
import { PipelineFunction } from './constructs/pipeline-function.js';
import { PipelineQueue } from './constructs/pipeline-queue.js';
import { StorageKey } from './constructs/storage-key.js';
import type {
  FunctionDefinition,
  QueueDefinition,
  TableDefinition,
} from './definitions.js';
import {
  AGENCY_PARTY_TABLE,
  AGENCY_SIGNER_FUNCTION,
  AGENCY_SIGN_QUEUE,
  APPENDER_FUNCTION,
  APPEND_QUEUE,
  CUSTODIAN_PARTY_TABLE,
  CUSTODIAN_SIGNER_FUNCTION,
  CUSTODIAN_SIGN_QUEUE,
  DEPOSITS_TABLE,
  ENV,
  EVIDENCE_NOTIFICATION,
  HASHER_FUNCTION,
  INTAKE_QUEUE,
  LEDGER_TABLE,
  PARTY_TABLES,
  PIPELINE_FUNCTIONS,
  QUEUES,
  TABLES,
  WRITABLE_ATTRIBUTES,
} from './definitions.js';

/** A party's per-deposit items (`deposit#<id>`); its co-signer's item is `cosigner`. */
const PARTY_DEPOSIT_KEYS = 'deposit#*';

/** The pipeline's tables and the anchors' table. */
export const STACK_TABLES = [...TABLES, ANCHORS_TABLE] as const;

export interface EvidenceLedgerStackProps extends StackProps {
  readonly config: StackConfig;
}

/** Looks a construct up by the definition it was built from. */
function byDefinition<D, C>(built: ReadonlyMap<D, C>, definition: D, what: string): C {
  const construct = built.get(definition);
  if (construct === undefined) throw new Error(`no ${what} built for this definition`);
  return construct;
}

/**
 * The evidence ledger: the evidence bucket notifies the intake queue; four functions
 * hash, sign twice and append; the ledger and deposits live in DynamoDB. On a schedule the
 * anchor publishes co-signed checkpoints; auditors invoke the read-only auditor. Every
 * table, queue and function comes from the definitions. Account- and region-agnostic.
 */
export class EvidenceLedgerStack extends Stack {
  readonly config: StackConfig;
  readonly storageKey: StorageKey;
  readonly signingKeys: Readonly<Record<Party, PartySigningKey>>;
  readonly accessLogs: AccessLogsBucket;
  readonly evidenceBucket: LockedBucket;
  /** Written by the anchor function; Object Lock COMPLIANCE. */
  readonly anchorBucket: LockedBucket;
  readonly evidenceUploaderPolicy: ManagedPolicy;
  readonly tables: ReadonlyMap<TableDefinition, LedgerTable>;
  readonly queues: ReadonlyMap<QueueDefinition, PipelineQueue>;
  readonly functions: ReadonlyMap<FunctionDefinition, PipelineFunction>;
  /** Each party's checkpoint co-signer, under that party's role. */
  readonly cosigners: Readonly<Record<Party, CosignerFunction>>;
  readonly anchorFunction: AnchorFunction;
  readonly auditorFunction: AuditorFunction;
  /** The auditor's HMAC key for the continuation state it hands out. */
  readonly continuationKey: ContinuationKey;
  readonly evidenceAuditorPolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: EvidenceLedgerStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    const name = config.deploymentName;
    Tags.of(this).add('Project', 'evidence-ledger');
    Tags.of(this).add('Deployment', name);

    this.storageKey = new StorageKey(this, 'StorageKey', { alias: `alias/${name}/storage` });
    this.signingKeys = {
      agency: this.signingKey('agency', config.agencyKeyArn),
      custodian: this.signingKey('custodian', config.custodianKeyArn),
    };
    const topic = alarmTopic(this, { ...config, storageKey: this.storageKey });
    const alarmAction = alarmActionFor(topic);

    this.accessLogs = new AccessLogsBucket(this, 'AccessLogs', {
      retentionDays: config.logRetentionDays,
    });
    const lockedBucket = (
      id: string,
      suffix: string,
      retention: LockedBucketProps['retention'],
      writeOncePrefix?: string,
    ) =>
      new LockedBucket(this, id, {
        bucketName: `${name}-${suffix}-${Aws.ACCOUNT_ID}-${Aws.REGION}`,
        retention,
        storageKey: this.storageKey,
        accessLogs: this.accessLogs.bucket,
        accessLogsPrefix: `${suffix}/`,
        writeOncePrefix,
      });
    this.evidenceBucket = lockedBucket('Evidence', 'evidence', {
      mode: config.evidenceRetentionMode,
      days: config.evidenceRetentionDays,
    });
    // Checkpoints are written once: no delete markers, no overwrites (docs/DEPLOY.md).
    this.anchorBucket = lockedBucket(
      'Anchors',
      'anchors',
      { mode: 'COMPLIANCE', days: config.anchorRetentionDays },
      CHECKPOINTS_PREFIX,
    );
    this.evidenceUploaderPolicy = this.uploaderPolicy(config);

    this.tables = new Map(
      STACK_TABLES.map((definition) => [
        definition,
        new LedgerTable(this, `${definition.id}Table`, { definition, storageKey: this.storageKey }),
      ]),
    );
    this.queues = new Map(
      QUEUES.map((definition) => [
        definition,
        new PipelineQueue(this, `${definition.id}Queue`, { definition, alarmAction }),
      ]),
    );
    this.functions = new Map(
      PIPELINE_FUNCTIONS.map((definition) => {
        const fn = new PipelineFunction(this, definition.id, {
          definition,
          logRetention: config.logRetentionDays,
          alarmAction,
        });
        fn.bindSource(this.queue(definition.source));
        return [definition, fn];
      }),
    );
    this.evidenceBucket.notifyQueue(
      EVIDENCE_NOTIFICATION.events,
      this.queue(EVIDENCE_NOTIFICATION.queue),
    );
    this.wirePipeline();
    this.cosigners = { agency: this.cosigner('agency', alarmAction), custodian: this.cosigner('custodian', alarmAction) };
    this.anchorFunction = this.anchor(alarmAction);
    this.continuationKey = new ContinuationKey(this, 'AuditorContinuationKey', {
      alias: `alias/${name}/auditor-continuation`,
    });
    this.auditorFunction = this.auditor(alarmAction);
    this.evidenceAuditorPolicy = evidenceAuditorPolicy(this, this.auditorFunction, config);
    this.addOutputs(topic?.topicArn);
  }

  table(definition: TableDefinition): LedgerTable {
    return byDefinition(this.tables, definition, 'table');
  }

  queue(definition: QueueDefinition): PipelineQueue {
    return byDefinition(this.queues, definition, 'queue');
  }

  ledgerFunction(definition: FunctionDefinition): PipelineFunction {
    return byDefinition(this.functions, definition, 'function');
  }

  private signingKey(party: Party, externalKeyArn: string | undefined): PartySigningKey {
    const id = party === 'agency' ? 'AgencySigningKey' : 'CustodianSigningKey';
    return new PartySigningKey(this, id, {
      party,
      alias: `alias/${this.config.deploymentName}/${party}-signing`,
      externalKeyArn,
    });
  }

  private uploaderPolicy(config: StackConfig): ManagedPolicy {
    this.evidenceBucket.allowUploads(
      config.uploaderPrincipalArns.map((arn) => new ArnPrincipal(arn)),
    );
    const policy = new ManagedPolicy(this, 'EvidenceUploader', {
      managedPolicyName: `${config.deploymentName}-EvidenceUploader`,
      description: 'Upload new evidence objects (s3:PutObject) to the evidence ledger bucket',
      statements: this.evidenceBucket.uploaderStatements(),
    });
    Validations.of(policy).acknowledge(
      this.evidenceBucket.objectsWildcardAcknowledgment(
        'Uploaders choose the object keys of new evidence.',
      ),
    );
    return policy;
  }

  private cosigner(party: Party, alarmAction: IAlarmAction | undefined): CosignerFunction {
    return new CosignerFunction(this, COSIGNER_FUNCTIONS[party].id, {
      definition: COSIGNER_FUNCTIONS[party],
      partyTable: this.table(PARTY_TABLES[party]),
      ledger: this.table(LEDGER_TABLE),
      signingKeys: this.signingKeys,
      origin: this.config.ledgerOrigin,
      logRetention: this.config.logRetentionDays,
      alarmAction,
    });
  }

  private anchor(alarmAction: IAlarmAction | undefined): AnchorFunction {
    const { config } = this;
    return new AnchorFunction(this, 'Anchor', {
      cosigners: this.cosigners,
      ledger: this.table(LEDGER_TABLE),
      anchors: this.table(ANCHORS_TABLE),
      anchorBucket: this.anchorBucket,
      signingKeys: this.signingKeys,
      origin: config.ledgerOrigin,
      retentionDays: config.anchorRetentionDays,
      tsaUrl: config.tsaUrl,
      tsaCertificatePem: config.tsaCertificatePem,
      intervalMinutes: config.anchorScheduleMinutes,
      logRetention: config.logRetentionDays,
      alarmAction,
    });
  }

  private auditor(alarmAction: IAlarmAction | undefined): AuditorFunction {
    const { config } = this;
    return new AuditorFunction(this, 'Auditor', {
      partyTables: { agency: this.table(AGENCY_PARTY_TABLE), custodian: this.table(CUSTODIAN_PARTY_TABLE) },
      ledger: this.table(LEDGER_TABLE),
      deposits: this.table(DEPOSITS_TABLE),
      anchors: this.table(ANCHORS_TABLE),
      evidenceBucket: this.evidenceBucket,
      anchorBucket: this.anchorBucket,
      signingKeys: this.signingKeys,
      continuationKey: this.continuationKey,
      origin: config.ledgerOrigin,
      tsaCertificatePem: config.tsaCertificatePem,
      logRetention: config.logRetentionDays,
      alarmAction,
    });
  }

  /** Each function gets its source, the next queue, and exactly the grants its stage needs. */
  private wirePipeline(): void {
    const deposits = this.table(DEPOSITS_TABLE);
    const ledger = this.table(LEDGER_TABLE);
    const agencyParty = this.table(AGENCY_PARTY_TABLE);
    const custodianParty = this.table(CUSTODIAN_PARTY_TABLE);
    const { agency, custodian } = this.signingKeys;
    const mailbox = WRITABLE_ATTRIBUTES.deposits;

    // The hasher is one of the agency's roles: it establishes the agency's facts in the agency's table.
    const hasher = this.ledgerFunction(HASHER_FUNCTION);
    hasher.grantReadObjectVersions(this.evidenceBucket);
    hasher.bindTable(
      ENV.partyTable,
      agencyParty,
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      { attributes: WRITABLE_ATTRIBUTES.party.hasher, partitionKeys: [PARTY_DEPOSIT_KEYS] },
    );
    // PutItem: the deposit (or a failure record) in the mailbox; UpdateItem: failing it.
    hasher.bindTable(
      ENV.depositsTable,
      deposits,
      ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
      { attributes: mailbox.hasher },
    );
    hasher.bindNextQueue(ENV.agencySignQueueUrl, this.queue(AGENCY_SIGN_QUEUE));
    // Objects too large for one invocation are hashed in slices: it queues its own continuation.
    hasher.bindNextQueue(ENV.intakeQueueUrl, this.queue(INTAKE_QUEUE));

    // The agency signs the facts in its own table, after one more HEAD of the version.
    const agencySigner = this.ledgerFunction(AGENCY_SIGNER_FUNCTION);
    agencySigner.grantReadObjectVersions(this.evidenceBucket);
    agencySigner.bindSetting(ENV.evidenceBucket, this.evidenceBucket.bucket.bucketName);
    agencySigner.bindTable(
      ENV.partyTable,
      agencyParty,
      ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      { attributes: WRITABLE_ATTRIBUTES.party.agencySigner, partitionKeys: [PARTY_DEPOSIT_KEYS] },
    );
    agencySigner.bindTable(ENV.depositsTable, deposits, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], {
      attributes: mailbox.agencySigner,
    });
    agencySigner.bindSigningKey(ENV.agencyKeyId, agency);
    agencySigner.bindNextQueue(ENV.custodianSignQueueUrl, this.queue(CUSTODIAN_SIGN_QUEUE));

    // The custodian checks the agency's signature, re-reads and re-hashes the version itself.
    const custodianSigner = this.ledgerFunction(CUSTODIAN_SIGNER_FUNCTION);
    custodianSigner.grantReadObjectVersions(this.evidenceBucket);
    custodianSigner.bindSetting(ENV.evidenceBucket, this.evidenceBucket.bucket.bucketName);
    custodianSigner.bindTable(
      ENV.partyTable,
      custodianParty,
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      { partitionKeys: [PARTY_DEPOSIT_KEYS] },
    );
    custodianSigner.bindTable(ENV.depositsTable, deposits, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], {
      attributes: mailbox.custodianSigner,
    });
    custodianSigner.bindVerifyingKey(ENV.agencyKeyId, agency);
    custodianSigner.bindSigningKey(ENV.custodianKeyId, custodian);
    custodianSigner.bindNextQueue(ENV.appendQueueUrl, this.queue(APPEND_QUEUE));
    // Like the hasher, it re-hashes large objects in slices through its own queue.
    custodianSigner.bindNextQueue(ENV.custodianSignQueueUrl, this.queue(CUSTODIAN_SIGN_QUEUE));

    const appender = this.ledgerFunction(APPENDER_FUNCTION);
    appender.bindTable(
      ENV.depositsTable,
      deposits,
      ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
      { attributes: mailbox.appender },
    );
    appender.bindTable(ENV.ledgerTable, ledger, [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ]);
    appender.bindVerifyingKey(ENV.agencyKeyId, agency);
    appender.bindVerifyingKey(ENV.custodianKeyId, custodian);
  }

  private addOutputs(alarmTopicArn: string | undefined): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('EvidenceBucketName', this.evidenceBucket.bucket.bucketName, 'Upload evidence here');
    output('AnchorBucketName', this.anchorBucket.bucket.bucketName, 'Checkpoint anchors');
    output('AccessLogsBucketName', this.accessLogs.bucket.bucketName, 'S3 server access logs');
    output('StorageKeyArn', this.storageKey.key.keyArn, 'Encrypts buckets and tables');
    output('AgencyKeyArn', this.signingKeys.agency.keyArn, "The agency's signing key");
    output('CustodianKeyArn', this.signingKeys.custodian.keyArn, "The custodian's signing key");
    output(
      'EvidenceUploaderPolicyArn',
      this.evidenceUploaderPolicy.managedPolicyArn,
      'Attach to uploaders',
    );
    output('LedgerOrigin', this.config.ledgerOrigin, 'Origin line of the ledger checkpoints');
    for (const [definition, table] of this.tables) {
      output(`${definition.id}TableName`, table.table.tableName, `${definition.id} table`);
    }
    for (const [definition, queue] of this.queues) {
      output(`${definition.id}QueueUrl`, queue.queue.queueUrl, `${definition.id} queue`);
      output(
        `${definition.id}DeadLetterQueueUrl`,
        queue.deadLetterQueue.queueUrl,
        `${definition.id} DLQ`,
      );
    }
    for (const fn of [...this.functions.values(), this.cosigners.agency, this.cosigners.custodian, this.anchorFunction, this.auditorFunction]) {
      const { id } = fn.definition;
      output(`${id}FunctionName`, fn.functionName, `${id} function`);
      output(`${id}RoleArn`, fn.role.roleArn, `${id} execution role`);
    }
    output(
      'AnchorScheduleDeadLetterQueueUrl',
      this.anchorFunction.schedule.deadLetterQueue.queueUrl,
      'Scheduled anchor runs EventBridge could not deliver',
    );
    output(
      'EvidenceAuditorPolicyArn',
      this.evidenceAuditorPolicy.managedPolicyArn,
      'Attach to auditors: invoke the auditor function',
    );
    if (alarmTopicArn !== undefined) output('AlarmTopicArn', alarmTopicArn, 'Alarm notifications');
  }
}

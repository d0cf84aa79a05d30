import type { StackProps } from 'aws-cdk-lib';
import { Aws, CfnOutput, Stack, Tags, Validations } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { ArnPrincipal, ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ANCHORS_TABLE } from '../definitions/anchor.js';
import { AUDITOR_STATE_TABLE } from '../definitions/auditor.js';
import type { StackConfig } from './config/stack-config.js';
import { twoAccountSetting } from './config/stack-config.js';
import { AccessLogsBucket } from './constructs/access-logs-bucket.js';
import { alarmActionFor, alarmTopic } from './constructs/alarm-topic.js';
import {
  AnchorFunction,
  CHECKPOINTS_PREFIX,
  LOG_TILES_PREFIX,
} from './constructs/anchor-function.js';
import { CosignerFunction, RemoteCosigner } from './constructs/cosigner-function.js';
import { COSIGNER_FUNCTIONS } from '../definitions/cosigner.js';
import { AuditorFunction, evidenceAuditorPolicy } from './constructs/auditor-function.js';
import { ContinuationKey } from './constructs/continuation-key.js';
import type { TableTarget } from './constructs/ledger-table.js';
import { LedgerTable, RemoteTable } from './constructs/ledger-table.js';
import type { LockedBucketProps } from './constructs/locked-bucket.js';
import { LockedBucket } from './constructs/locked-bucket.js';
import type { Party } from './constructs/party-signing-key.js';
import { PartySigningKey } from './constructs/party-signing-key.js';
import { PipelineFunction } from './constructs/pipeline-function.js';
import { PipelineObservability } from './constructs/pipeline-observability.js';
import type { QueueTarget } from './constructs/pipeline-queue.js';
import { PipelineQueue, RemoteQueue } from './constructs/pipeline-queue.js';
import { StorageKey } from './constructs/storage-key.js';
import type {
  FunctionDefinition,
  QueueDefinition,
  TableDefinition,
} from '../definitions/pipeline.js';
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
  EVIDENCE_NOTIFICATION,
  HASHER_FUNCTION,
  INTAKE_QUEUE,
  LEDGER_TABLE,
  PARTY_TABLES,
  PIPELINE_FUNCTIONS,
  QUEUES,
  TABLES,
  WRITABLE_ATTRIBUTES,
} from '../definitions/pipeline.js';
import {
  PARTY_DEPOSIT_KEYS,
  PARTY_SIGNATURE_KEYS,
  wireCustodianSigner,
} from './custodian-signer-wiring.js';
import type { CustodianNames, OperatorNames } from './two-account-names.js';
import { custodianNames, operatorNames } from './two-account-names.js';
import { ENV } from '../definitions/environment.js';

/** The pipeline's tables, the anchors' table and the auditor's own. */
export const STACK_TABLES = [...TABLES, ANCHORS_TABLE, AUDITOR_STATE_TABLE] as const;

/** What the main stack leaves to the custodian's stack in two-account mode (custodian-party-stack.ts). */
const CUSTODIAN_SIDE = {
  tables: new Set<TableDefinition>([CUSTODIAN_PARTY_TABLE]),
  queues: new Set<QueueDefinition>([CUSTODIAN_SIGN_QUEUE]),
  functions: new Set<FunctionDefinition>([CUSTODIAN_SIGNER_FUNCTION]),
};

/** Names of both sides in two-account mode: A's resources get fixed names, B's are named. */
interface TwoAccountNames {
  readonly custodianAccount: string;
  readonly operator: OperatorNames;
  readonly custodian: CustodianNames;
}

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
  /** Each party's checkpoint co-signer as the anchor invokes it; the custodian's is remote in two-account mode. */
  readonly cosignerEndpoints: {
    readonly agency: CosignerFunction;
    readonly custodian: CosignerFunction | RemoteCosigner;
  };
  /** Set in two-account mode: the custodian's side is named, not built, here. */
  readonly twoAccount: TwoAccountNames | undefined;
  readonly anchorFunction: AnchorFunction;
  readonly auditorFunction: AuditorFunction;
  /** The auditor's HMAC key for the continuation state it hands out. */
  readonly continuationKey: ContinuationKey;
  readonly evidenceAuditorPolicy: ManagedPolicy;
  /** The pipeline's alarms on its own metrics, and its dashboard. */
  readonly observability: PipelineObservability;

  constructor(scope: Construct, id: string, props: EvidenceLedgerStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    const name = config.deploymentName;
    const setting = twoAccountSetting(config);
    this.twoAccount =
      setting === undefined
        ? undefined
        : {
            custodianAccount: setting.custodianAccount,
            operator: operatorNames(setting),
            custodian: custodianNames(setting),
          };
    if (this.twoAccount !== undefined && config.custodianKeyArn === undefined) {
      throw new Error(
        'two-account mode: the main stack needs custodianKeyArn (the custodian stack output)',
      );
    }
    const custodianSide = this.twoAccount === undefined ? undefined : CUSTODIAN_SIDE;
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
      writeOncePrefixes?: readonly string[],
    ) =>
      new LockedBucket(this, id, {
        bucketName: `${name}-${suffix}-${Aws.ACCOUNT_ID}-${Aws.REGION}`,
        retention,
        storageKey: this.storageKey,
        accessLogs: this.accessLogs.bucket,
        accessLogsPrefix: `${suffix}/`,
        writeOncePrefixes,
      });
    this.evidenceBucket = lockedBucket('Evidence', 'evidence', {
      mode: config.evidenceRetentionMode,
      days: config.evidenceRetentionDays,
    });
    // Checkpoints and the log's tiles and bundles are written once: no delete markers, no
    // overwrites (docs/DEPLOY.md); the log's `checkpoint` is the anchor's alone (see AnchorFunction).
    this.anchorBucket = lockedBucket(
      'Anchors',
      'anchors',
      { mode: 'COMPLIANCE', days: config.anchorRetentionDays },
      [CHECKPOINTS_PREFIX, LOG_TILES_PREFIX],
    );
    this.evidenceUploaderPolicy = this.uploaderPolicy(config);

    this.tables = new Map(
      STACK_TABLES.filter((definition) => !custodianSide?.tables.has(definition)).map(
        (definition) => [
          definition,
          new LedgerTable(this, `${definition.id}Table`, {
            definition,
            storageKey: this.storageKey,
            tableName: this.fixedName(definition.id, [DEPOSITS_TABLE.id, LEDGER_TABLE.id]),
          }),
        ],
      ),
    );
    this.queues = new Map(
      QUEUES.filter((definition) => !custodianSide?.queues.has(definition)).map((definition) => [
        definition,
        new PipelineQueue(this, `${definition.id}Queue`, {
          definition,
          alarmAction,
          queueName: this.fixedName(definition.id, [APPEND_QUEUE.id]),
        }),
      ]),
    );
    this.functions = new Map(
      PIPELINE_FUNCTIONS.filter((definition) => !custodianSide?.functions.has(definition)).map(
        (definition) => {
          const fn = new PipelineFunction(this, definition.id, {
            definition,
            logRetention: config.logRetentionDays,
            alarmAction,
            physicalName: this.fixedName(definition.id, [
              AGENCY_SIGNER_FUNCTION.id,
              APPENDER_FUNCTION.id,
            ]),
          });
          fn.bindSource(this.queue(definition.source));
          return [definition, fn];
        },
      ),
    );
    this.evidenceBucket.notifyQueue(
      EVIDENCE_NOTIFICATION.events,
      this.queue(EVIDENCE_NOTIFICATION.queue),
    );
    this.wirePipeline();
    this.cosignerEndpoints = {
      agency: this.cosigner('agency', alarmAction),
      custodian:
        this.twoAccount === undefined
          ? this.cosigner('custodian', alarmAction)
          : new RemoteCosigner(this.twoAccount.custodian.functions.custodianCosigner.arn),
    };
    this.anchorFunction = this.anchor(alarmAction);
    this.continuationKey = new ContinuationKey(this, 'AuditorContinuationKey', {
      alias: `alias/${name}/auditor-continuation`,
    });
    this.auditorFunction = this.auditor(alarmAction);
    this.evidenceAuditorPolicy = evidenceAuditorPolicy(this, this.auditorFunction, config);
    // `evidence deposit` fetches its receipt (exportBundle) from the read-only auditor.
    this.evidenceUploaderPolicy.addStatements(...this.auditorFunction.invokerStatements());
    if (this.twoAccount !== undefined) this.allowCustodianAccount(this.twoAccount);
    this.observability = this.pipelineObservability(alarmAction);
    this.addOutputs(topic?.topicArn);
  }

  /** Alarms and dashboard over the handlers' metrics; the dashboard shows every alarm of the stack. */
  private pipelineObservability(alarmAction: IAlarmAction | undefined): PipelineObservability {
    const functions = [
      ...this.functions.values(),
      ...this.localCosigners(),
      this.anchorFunction,
      this.auditorFunction,
    ];
    return new PipelineObservability(this, 'Observability', {
      deployment: this.stackName,
      anchorIntervalMinutes: this.config.anchorScheduleMinutes,
      thresholds: this.config,
      alarmAction,
      otherAlarms: [
        ...functions.flatMap((fn) => [fn.errorAlarm, fn.throttleAlarm]),
        ...[...this.queues.values()].map((queue) => queue.deadLetterAlarm),
        this.anchorFunction.schedule.deadLetterAlarm,
      ],
    });
  }

  /** The co-signers built in this stack (the custodian's is in its own account in two-account mode). */
  private localCosigners(): CosignerFunction[] {
    return [this.cosignerEndpoints.agency, this.cosignerEndpoints.custodian].filter(
      (cosigner) => cosigner instanceof CosignerFunction,
    );
  }

  /**
   * In two-account mode, the physical name a resource gets when the custodian's policies
   * name it (infra/two-account-names.ts); generated names otherwise and for all others.
   */
  private fixedName(id: string, namedInTwoAccountMode: readonly string[]): string | undefined {
    if (this.twoAccount === undefined || !namedInTwoAccountMode.includes(id)) return undefined;
    return `${this.config.deploymentName}-${id}`;
  }

  /** Each party's checkpoint co-signer, under that party's role (single-account mode). */
  get cosigners(): Readonly<Record<Party, CosignerFunction>> {
    return {
      agency: this.cosignerFunction('agency'),
      custodian: this.cosignerFunction('custodian'),
    };
  }

  /** A party's co-signer function, if it is in this stack (the custodian's is not, in two-account mode). */
  cosignerFunction(party: Party): CosignerFunction {
    const cosigner = this.cosignerEndpoints[party];
    if (!(cosigner instanceof CosignerFunction))
      throw new Error(`the ${party} co-signer is in another account`);
    return cosigner;
  }

  /**
   * The resource-policy halves of the custodian's access (two-account mode), each for exactly
   * the custodian role that needs it: its signer reads evidence versions, reads and updates
   * its attributes of the mailbox and sends to the Append queue; its co-signer reads the
   * ledger; both read the agency's public key. Nothing here lets anyone sign.
   */
  private allowCustodianAccount(names: TwoAccountNames): void {
    const account = names.custodianAccount;
    const { custodianSigner, custodianCosigner } = names.custodian.roles;
    const signer = { account, roleArns: [custodianSigner.arn] };
    const cosigner = { account, roleArns: [custodianCosigner.arn] };
    this.evidenceBucket.allowReadVersionsBy('CustodianSignerReadsVersions', signer);
    this.table(DEPOSITS_TABLE).allowItemActionsFor(
      'CustodianSignerMailbox',
      signer,
      names.operator.tables.deposits.arn,
      ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      { attributes: WRITABLE_ATTRIBUTES.deposits.custodianSigner },
    );
    this.queue(APPEND_QUEUE).allowSendFrom('CustodianSignerSends', signer);
    this.table(LEDGER_TABLE).allowItemActionsFor(
      'CustodianCosignerReadsLedger',
      cosigner,
      names.operator.tables.ledger.arn,
      ['dynamodb:GetItem', 'dynamodb:Query'],
    );
    this.signingKeys.agency.allowPublicKeyReadsBy({
      account,
      roleArns: [custodianSigner.arn, custodianCosigner.arn],
    });
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
      physicalName: this.fixedName(COSIGNER_FUNCTIONS[party].id, [COSIGNER_FUNCTIONS.agency.id]),
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
      cosigners: this.cosignerEndpoints,
      ledger: this.table(LEDGER_TABLE),
      anchors: this.table(ANCHORS_TABLE),
      anchorBucket: this.anchorBucket,
      signingKeys: this.signingKeys,
      origin: config.ledgerOrigin,
      retentionDays: config.anchorRetentionDays,
      maxRecordsPerRun: config.anchorMaxRecordsPerRun,
      tsaUrl: config.tsaUrl,
      tsaCertificatePem: config.tsaCertificatePem,
      intervalMinutes: config.anchorScheduleMinutes,
      logRetention: config.logRetentionDays,
      alarmAction,
      physicalName: this.fixedName('Anchor', ['Anchor']),
    });
  }

  private auditor(alarmAction: IAlarmAction | undefined): AuditorFunction {
    const { config } = this;
    return new AuditorFunction(this, 'Auditor', {
      partyTables: {
        agency: this.table(AGENCY_PARTY_TABLE),
        custodian: this.custodianPartyTable(),
      },
      ledger: this.table(LEDGER_TABLE),
      deposits: this.table(DEPOSITS_TABLE),
      anchors: this.table(ANCHORS_TABLE),
      auditState: this.table(AUDITOR_STATE_TABLE),
      evidenceBucket: this.evidenceBucket,
      anchorBucket: this.anchorBucket,
      signingKeys: this.signingKeys,
      continuationKey: this.continuationKey,
      origin: config.ledgerOrigin,
      tsaCertificatePem: config.tsaCertificatePem,
      logRetention: config.logRetentionDays,
      alarmAction,
      physicalName: this.fixedName('Auditor', ['Auditor']),
    });
  }

  /** Each function gets its source, the next queue, and exactly the grants its stage needs. */
  private wirePipeline(): void {
    const deposits = this.table(DEPOSITS_TABLE);
    const ledger = this.table(LEDGER_TABLE);
    const agencyParty = this.table(AGENCY_PARTY_TABLE);
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
    agencySigner.bindTable(ENV.partyTable, agencyParty, ['dynamodb:GetItem', 'dynamodb:PutItem'], {
      attributes: WRITABLE_ATTRIBUTES.party.agencySigner,
      partitionKeys: [PARTY_SIGNATURE_KEYS],
    });
    agencySigner.bindTable(
      ENV.depositsTable,
      deposits,
      ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      {
        attributes: mailbox.agencySigner,
      },
    );
    agencySigner.bindSigningKey(ENV.agencyKeyId, agency);
    agencySigner.bindNextQueue(ENV.custodianSignQueueUrl, this.custodianSignQueue());
    if (this.twoAccount === undefined) this.wireCustodianSigner();

    const appender = this.ledgerFunction(APPENDER_FUNCTION);
    appender.bindTable(
      ENV.depositsTable,
      deposits,
      [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:UpdateItem',
        'dynamodb:ConditionCheckItem',
      ],
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

  /** The custodian's table: in this stack, or read (its co-signer state only) in the custodian's account. */
  private custodianPartyTable(): TableTarget {
    if (this.twoAccount === undefined) return this.table(CUSTODIAN_PARTY_TABLE);
    const { custodianStorageKeyArn } = this.config;
    if (custodianStorageKeyArn === undefined)
      throw new Error('two-account mode: custodianStorageKeyArn is required');
    return new RemoteTable(this.twoAccount.custodian.partyTable.arn, custodianStorageKeyArn);
  }

  /** The custodian's queue: in this stack, or in the custodian's account (two-account mode). */
  private custodianSignQueue(): QueueTarget {
    if (this.twoAccount === undefined) return this.queue(CUSTODIAN_SIGN_QUEUE);
    const { url, arn } = this.twoAccount.custodian.signQueue;
    return new RemoteQueue(url, arn);
  }

  /** Single-account mode: the custodian's signer is in this stack, under its own role. */
  private wireCustodianSigner(): void {
    wireCustodianSigner(this.ledgerFunction(CUSTODIAN_SIGNER_FUNCTION), {
      evidenceBucket: this.evidenceBucket,
      evidenceBucketName: this.evidenceBucket.bucket.bucketName,
      partyTable: this.table(CUSTODIAN_PARTY_TABLE),
      deposits: this.table(DEPOSITS_TABLE),
      appendQueue: this.queue(APPEND_QUEUE),
      signQueue: this.queue(CUSTODIAN_SIGN_QUEUE),
      agencyKey: this.signingKeys.agency,
      custodianKey: this.signingKeys.custodian,
    });
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
    for (const fn of [
      ...this.functions.values(),
      ...this.localCosigners(),
      this.anchorFunction,
      this.auditorFunction,
    ]) {
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
    output(
      'DashboardName',
      this.observability.dashboard.dashboardName,
      'CloudWatch dashboard of the pipeline',
    );
  }
}

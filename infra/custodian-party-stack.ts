import type { StackProps } from 'aws-cdk-lib';
import { Annotations, CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { StackConfig } from './config/stack-config.js';
import { alarmActionFor, alarmTopic } from './constructs/alarm-topic.js';
import { CosignerFunction } from './constructs/cosigner-function.js';
import { LedgerTable, RemoteTable } from './constructs/ledger-table.js';
import { PartySigningKey } from './constructs/party-signing-key.js';
import { PipelineFunction } from './constructs/pipeline-function.js';
import { PipelineQueue, RemoteQueue } from './constructs/pipeline-queue.js';
import { RemoteEvidenceBucket } from './constructs/remote-evidence-bucket.js';
import { StorageKey } from './constructs/storage-key.js';
import { COSIGNER_FUNCTIONS } from '../definitions/cosigner.js';
import { wireCustodianSigner } from './custodian-signer-wiring.js';
import {
  CUSTODIAN_PARTY_TABLE,
  CUSTODIAN_SIGNER_FUNCTION,
  CUSTODIAN_SIGN_QUEUE,
} from '../definitions/pipeline.js';
import type { CustodianNames, OperatorNames, TwoAccountSetting } from './two-account-names.js';
import { custodianNames, operatorNames } from './two-account-names.js';

export interface CustodianPartyStackProps extends StackProps {
  readonly config: StackConfig;
  readonly setting: TwoAccountSetting;
}

/** The operator's keys the custodian's functions use (main stack outputs AgencyKeyArn, StorageKeyArn). */
interface OperatorKeys {
  readonly agencyKeyArn: string;
  readonly storageKeyArn: string;
}

/**
 * The custodian's side of a two-account deployment, in the custodian's own account (B):
 * its signing key, its party table, its CustodianSign queue and, once the operator's keys are
 * known, its signer and co-signer. The key's policy lets only those two roles sign and
 * explicitly denies kms:Sign to every other principal, the operator's included; the
 * operator's account holds no right here but those named below (send to the queue, invoke
 * the co-signer, read the public key).
 *
 * The queue lives here, not in the operator's account: the custodian's work and its
 * re-hash continuations stay with the custodian, its dead-letter alarm is the custodian's,
 * and the operator needs one action on it (the agency signer's sqs:SendMessage) instead of
 * the custodian needing receive, delete and visibility rights on a queue the operator owns.
 *
 * Deployed twice (docs/DEPLOY.md, "Two-account mode"): first without the operator's key
 * ARNs (key, table and queue: nobody can sign yet), then with them (the functions).
 */
export class CustodianPartyStack extends Stack {
  readonly config: StackConfig;
  readonly storageKey: StorageKey;
  readonly signingKey: PartySigningKey;
  readonly partyTable: LedgerTable;
  readonly signQueue: PipelineQueue;
  /** Present once the operator's keys are given. */
  readonly signer: PipelineFunction | undefined;
  readonly cosigner: CosignerFunction | undefined;

  constructor(scope: Construct, id: string, props: CustodianPartyStackProps) {
    super(scope, id, props);
    const { config, setting } = props;
    this.config = config;
    const name = config.deploymentName;
    const operator = operatorNames(setting);
    const custodian = custodianNames(setting);
    Tags.of(this).add('Project', 'evidence-ledger');
    Tags.of(this).add('Deployment', name);
    Tags.of(this).add('Party', 'custodian');

    this.storageKey = new StorageKey(this, 'StorageKey', {
      alias: `alias/${name}/custodian-storage`,
    });
    const alarmAction = alarmActionFor(
      alarmTopic(this, { ...config, storageKey: this.storageKey }),
    );
    this.signingKey = new PartySigningKey(this, 'CustodianSigningKey', {
      party: 'custodian',
      alias: `alias/${name}/custodian-signing`,
    });
    // The operator's roles that check the custodian's signatures and co-signatures.
    const { appender, anchor, auditor, agencyCosigner, agencySigner } = operator.roles;
    this.signingKey.allowPublicKeyReadsBy({
      account: setting.operatorAccount,
      roleArns: [appender.arn, anchor.arn, auditor.arn, agencyCosigner.arn],
    });
    this.partyTable = new LedgerTable(this, `${CUSTODIAN_PARTY_TABLE.id}Table`, {
      definition: CUSTODIAN_PARTY_TABLE,
      storageKey: this.storageKey,
      tableName: custodian.partyTable.name,
    });
    // The operator's auditor compares the ledger with what the custodian last co-signed and
    // with the deposits it remembers signing (reads only).
    this.partyTable.allowItemActionsFor(
      'OperatorAuditorReadsCustodianMemory',
      { account: setting.operatorAccount, roleArns: [auditor.arn] },
      custodian.partyTable.arn,
      ['dynamodb:GetItem'],
    );
    this.signQueue = new PipelineQueue(this, `${CUSTODIAN_SIGN_QUEUE.id}Queue`, {
      definition: CUSTODIAN_SIGN_QUEUE,
      alarmAction,
      queueName: custodian.signQueue.name,
    });
    this.signQueue.allowSendFrom('AgencySignerSends', {
      account: setting.operatorAccount,
      roleArns: [agencySigner.arn],
    });

    const keys = operatorKeys(config);
    if (keys === undefined) {
      Annotations.of(this).addInfo(
        'No trustedAgencyKeyArn/operatorStorageKeyArn yet: key, table and queue only (docs/DEPLOY.md).',
      );
    }
    const functions =
      keys === undefined
        ? undefined
        : this.functions(setting, operator, custodian, keys, alarmAction);
    this.signer = functions?.signer;
    this.cosigner = functions?.cosigner;
    this.addOutputs();
  }

  private functions(
    setting: TwoAccountSetting,
    operator: OperatorNames,
    custodian: CustodianNames,
    keys: OperatorKeys,
    alarmAction: IAlarmAction | undefined,
  ): { signer: PipelineFunction; cosigner: CosignerFunction } {
    const logRetention = this.config.logRetentionDays;
    const agencyKey = new PartySigningKey(this, 'AgencyKey', {
      party: 'agency',
      alias: `alias/${this.config.deploymentName}/agency-signing`, // unused: the key is the operator's
      externalKeyArn: keys.agencyKeyArn,
    });
    const signer = new PipelineFunction(this, CUSTODIAN_SIGNER_FUNCTION.id, {
      definition: CUSTODIAN_SIGNER_FUNCTION,
      logRetention,
      alarmAction,
      physicalName: custodian.roles.custodianSigner.name,
    });
    signer.bindSource(this.signQueue);
    const evidenceBucket = new RemoteEvidenceBucket(
      operator.evidenceBucket,
      setting.partition,
      keys.storageKeyArn,
    );
    wireCustodianSigner(signer, {
      evidenceBucket,
      evidenceBucketName: evidenceBucket.bucketName,
      partyTable: this.partyTable,
      deposits: new RemoteTable(operator.tables.deposits.arn, keys.storageKeyArn),
      appendQueue: new RemoteQueue(operator.appendQueue.url, operator.appendQueue.arn),
      signQueue: this.signQueue,
      agencyKey,
      custodianKey: this.signingKey,
    });
    const cosigner = new CosignerFunction(this, COSIGNER_FUNCTIONS.custodian.id, {
      definition: COSIGNER_FUNCTIONS.custodian,
      partyTable: this.partyTable,
      ledger: new RemoteTable(operator.tables.ledger.arn, keys.storageKeyArn),
      signingKeys: { agency: agencyKey, custodian: this.signingKey },
      origin: this.config.ledgerOrigin,
      logRetention,
      alarmAction,
      physicalName: custodian.roles.custodianCosigner.name,
    });
    cosigner.allowInvokeBy(operator.roles.anchor.arn);
    return { signer, cosigner };
  }

  private addOutputs(): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('CustodianKeyArn', this.signingKey.keyArn, 'Give the main stack: -c custodianKeyArn=…');
    output(
      'StorageKeyArn',
      this.storageKey.key.keyArn,
      'Give the main stack: -c custodianStorageKeyArn=…',
    );
    output('CustodianPartyTableName', this.partyTable.table.tableName, "The custodian's own state");
    output('CustodianSignQueueUrl', this.signQueue.queueUrl, "The custodian's work queue");
    for (const fn of [this.signer, this.cosigner]) {
      if (fn === undefined) continue;
      output(
        `${fn.definition.id}FunctionArn`,
        fn.function.functionArn,
        `${fn.definition.id} function`,
      );
      output(`${fn.definition.id}RoleArn`, fn.role.roleArn, `${fn.definition.id} execution role`);
    }
  }
}

/** The operator's key ARNs, given together (validated in stack-config.ts), or undefined. */
function operatorKeys(config: StackConfig): OperatorKeys | undefined {
  if (config.trustedAgencyKeyArn === undefined || config.operatorStorageKeyArn === undefined)
    return undefined;
  return { agencyKeyArn: config.trustedAgencyKeyArn, storageKeyArn: config.operatorStorageKeyArn };
}

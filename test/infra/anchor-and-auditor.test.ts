/**
 * One test per security property of the anchor (scheduled, co-signs checkpoints, writes
 * WORM copies) and of the auditor (invoked by auditors, read-only), each failing if that
 * property is removed from the ledger.stack.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ANCHORS_TABLE } from '../../definitions/anchor.js';
import { AUDITOR_STATE_TABLE } from '../../definitions/auditor.js';
import { roleIds, tableWriters } from '../support/role-rights.js';
import { SCHEDULE_RETRY_ATTEMPTS } from '../../infra/constructs/function-schedule.js';
import type { TableDefinition } from '../../definitions/pipeline.js';
import { DEPOSITS_TABLE, LEDGER_TABLE } from '../../definitions/pipeline.js';
import { synthesizeOnce } from './support/synth-ledger-stack.js';
import type { PolicyStatementJson } from './support/template-queries.js';
import { asArray, deadLetterAlarm, getAtt } from './support/template-queries.js';

let ids: Record<
  | 'anchorRole'
  | 'auditorRole'
  | 'anchorFunction'
  | 'auditorFunction'
  | 'ledger'
  | 'deposits'
  | 'anchors'
  | 'auditState'
  | 'evidenceBucket'
  | 'anchorBucket'
  | 'storageKey',
  string
>;

const ledger = synthesizeOnce();

beforeAll(() => {
  const table = (definition: TableDefinition) => ledger.id(ledger.stack.table(definition).table);
  ids = {
    anchorRole: ledger.id(ledger.stack.anchorFunction.role),
    auditorRole: ledger.id(ledger.stack.auditorFunction.role),
    anchorFunction: ledger.id(ledger.stack.anchorFunction.function),
    auditorFunction: ledger.id(ledger.stack.auditorFunction.function),
    ledger: table(LEDGER_TABLE),
    deposits: table(DEPOSITS_TABLE),
    anchors: table(ANCHORS_TABLE),
    auditState: table(AUDITOR_STATE_TABLE),
    evidenceBucket: ledger.id(ledger.stack.evidenceBucket.bucket),
    anchorBucket: ledger.id(ledger.stack.anchorBucket.bucket),
    storageKey: ledger.id(ledger.stack.storageKey.key),
  };
});

const json = (value: unknown) => JSON.stringify(value);
const mentions = (statement: PolicyStatementJson, logicalId: string) =>
  json(statement.Resource).includes(`"${logicalId}"`);

/** Sorted actions the role may take on resources that name `logicalId`. */
function actionsOn(roleId: string, logicalId: string): string[] {
  return ledger
    .statementsOfRole(roleId)
    .filter((statement) => mentions(statement, logicalId))
    .flatMap((statement) => asArray(statement.Action))
    .sort();
}

/** S3 actions of a role, by the resource (as JSON) they are granted on. */
function s3ActionsByResource(roleId: string): Record<string, string[]> {
  const byResource: Record<string, string[]> = {};
  for (const statement of ledger.statementsOfRole(roleId)) {
    const actions = asArray(statement.Action).filter((action) => action.startsWith('s3:'));
    if (actions.length === 0) continue;
    for (const resource of asArray(statement.Resource)) {
      (byResource[json(resource)] ??= []).push(...actions);
    }
  }
  return byResource;
}

const objectsUnder = (bucketId: string, prefix: string) =>
  json({ 'Fn::Join': ['', [getAtt(bucketId), `/${prefix}*`]] });

function anchorBucketPolicy(sid: string): PolicyStatementJson | undefined {
  return ledger
    .resourcePolicyStatements('AWS::S3::BucketPolicy')
    .find(
      ({ properties, statement }) =>
        json(properties.Bucket) === json({ Ref: ids.anchorBucket }) && statement.Sid === sid,
    )?.statement;
}

describe('the anchor function', () => {
  it('runs on an EventBridge schedule at the configured interval, retried, with a dead-letter queue', () => {
    const [rule] = ledger.resourcesOfType('AWS::Events::Rule');
    const dlq = ledger.id(ledger.stack.anchorFunction.schedule.deadLetterQueue);
    expect(rule?.[1].Properties).toMatchObject({
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: getAtt(ids.anchorFunction),
          RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS },
          DeadLetterConfig: { Arn: getAtt(dlq) },
        },
      ],
    });
  });

  it('alarms as soon as a scheduled run lands in the dead-letter queue', () => {
    const dlq = ledger.id(ledger.stack.anchorFunction.schedule.deadLetterQueue);
    ledger.template.hasResourceProperties('AWS::CloudWatch::Alarm', deadLetterAlarm(dlq));
  });

  it('runs one at a time (reserved concurrency 1)', () => {
    expect(ledger.propertiesOf(ids.anchorFunction).ReservedConcurrentExecutions).toBe(1);
  });

  it('reads the ledger with GetItem and Query only, and never touches Deposits', () => {
    expect(actionsOn(ids.anchorRole, ids.ledger)).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(actionsOn(ids.anchorRole, ids.deposits)).toEqual([]);
  });

  it('writes the Anchors table with PutItem and ConditionCheckItem only', () => {
    expect(actionsOn(ids.anchorRole, ids.anchors)).toEqual([
      'dynamodb:ConditionCheckItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
  });

  it('writes the anchor bucket only under checkpoints/ and log/, and can neither delete nor bypass retention', () => {
    expect(s3ActionsByResource(ids.anchorRole)).toEqual({
      [objectsUnder(ids.anchorBucket, 'checkpoints/')]: [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObject',
        's3:PutObjectRetention',
      ],
      // The log keeps the bucket's default retention: no lock of its own, so no PutObjectRetention.
      [objectsUnder(ids.anchorBucket, 'log/')]: [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObject',
      ],
      // ListBucketVersions twice: once per prefix (checkpoints/, log/), each conditioned on it.
      [json(getAtt(ids.anchorBucket))]: [
        's3:ListBucket',
        's3:ListBucketVersions',
        's3:ListBucketVersions',
      ],
    });
  });

  it('is the only principal the anchor bucket lets change an object’s retention', () => {
    expect(anchorBucketPolicy('DenyRetentionChanges')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObjectRetention',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [getAtt(ids.anchorRole)] } },
    });
    expect(anchorBucketPolicy('DenyGovernanceBypass')).toMatchObject({
      Principal: { AWS: '*' },
      Action: 's3:BypassGovernanceRetention',
    });
    expect(anchorBucketPolicy('DenyGovernanceBypass')?.Condition).toBeUndefined();
  });

  it('cannot lock a checkpoint more weakly than COMPLIANCE for anchorRetentionDays', () => {
    const writes = ['s3:PutObject', 's3:PutObjectRetention'];
    expect(anchorBucketPolicy('DenyWeakerLockMode')).toMatchObject({
      Action: writes,
      Condition: {
        Null: { 's3:object-lock-mode': 'false' },
        StringNotEquals: { 's3:object-lock-mode': ['COMPLIANCE'] },
      },
    });
    expect(anchorBucketPolicy('DenyShorterRetention')).toMatchObject({
      Action: writes,
      Condition: {
        Null: { 's3:object-lock-remaining-retention-days': 'false' },
        NumericLessThan: { 's3:object-lock-remaining-retention-days': '3649' },
      },
    });
  });
});

/** The storage key through DynamoDB for writing: the auditor's own state table, and nothing else. */
const isStorageKeyWrite = (statement: PolicyStatementJson) =>
  mentions(statement, ids.storageKey) && asArray(statement.Action).includes('kms:GenerateDataKey');

/** Everything the auditor may do but on its own state: reads, plus writing its own logs and traces. */
const AUDITOR_ALLOWED_ACTIONS = new Set([
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  's3:GetObject',
  's3:GetObjectVersion',
  's3:ListBucket',
  's3:ListBucketVersions',
  'kms:GetPublicKey',
  'kms:Decrypt',
  'kms:DescribeKey',
  // MACs of its own continuation state: computed and checked in KMS, nothing is written.
  'kms:GenerateMac',
  'kms:VerifyMac',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
]);

describe('the auditor function', () => {
  it('has a role that only reads, but for its own state: every other action is on the read allow-list', () => {
    const statements = ledger
      .statementsOfRole(ids.auditorRole)
      .filter((statement) => !mentions(statement, ids.auditState) && !isStorageKeyWrite(statement));
    expect(statements.length).toBeGreaterThan(0);
    const notAllowed = statements.flatMap((statement) =>
      statement.Effect !== 'Allow' || !('Action' in statement)
        ? [json(statement)]
        : asArray(statement.Action).filter((action) => !AUDITOR_ALLOWED_ACTIONS.has(action)),
    );
    expect(notAllowed).toEqual([]);
  });

  it('writes only its own AuditorState table, with GetItem and PutItem', () => {
    expect(actionsOn(ids.auditorRole, ids.auditState)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
    const writes = ledger
      .statementsOfRole(ids.auditorRole)
      .filter((statement) =>
        asArray(statement.Action).some((action) =>
          /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action),
        ),
      );
    expect(writes.map((statement) => statement.Resource)).toEqual([getAtt(ids.auditState)]);
  });

  it('is the only role of the stack that may write the AuditorState table', () => {
    expect(tableWriters(ledger.template, ids.auditState)).toEqual([ids.auditorRole]);
    for (const roleId of Object.values(roleIds(ledger.stack)).filter(
      (id) => id !== ids.auditorRole,
    ))
      expect(actionsOn(roleId, ids.auditState)).toEqual([]);
  });

  it('lists the anchor bucket unconditioned, so that a missing log tile is a 404, not a 403', () => {
    const lists = ledger
      .statementsOfRole(ids.auditorRole)
      .filter(
        (statement) =>
          asArray(statement.Action).includes('s3:ListBucket') &&
          json(statement.Resource) === json(getAtt(ids.anchorBucket)),
      );
    // S3 answers a GetObject of a missing key with 404 only to a caller allowed s3:ListBucket
    // in that request's context, which carries no s3:prefix: a prefix condition would not match.
    expect(lists).toEqual([
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: getAtt(ids.anchorBucket) },
    ]);
    expect(
      ledger
        .statementsOfRole(ids.auditorRole)
        .filter((statement) => asArray(statement.Action).includes('s3:ListBucketVersions'))
        .map(
          (statement) => statement.Condition?.StringLike?.['s3:prefix'] ?? 'the evidence bucket',
        ),
    ).toEqual(['checkpoints/*', 'log/*', 'the evidence bucket']);
  });

  it('MACs only with its own continuation key, only with HMAC_SHA_256', () => {
    const macs = ledger
      .statementsOfRole(ids.auditorRole)
      .filter((statement) => asArray(statement.Action).some((action) => action.endsWith('Mac')));
    expect(macs).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:GenerateMac', 'kms:VerifyMac'],
        Resource: getAtt(ledger.id(ledger.stack.continuationKey.key)),
        Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } },
      },
    ]);
  });

  it('uses the storage key only through S3 or DynamoDB', () => {
    const onStorageKey = ledger
      .statementsOfRole(ids.auditorRole)
      .filter((statement) => mentions(statement, ids.storageKey));
    expect(onStorageKey.length).toBeGreaterThan(0);
    const services = onStorageKey.map((statement) =>
      json(statement.Condition?.StringEquals?.['kms:ViaService']),
    );
    expect(new Set(services)).toEqual(
      new Set(
        ['s3', 'dynamodb'].map((service) =>
          json({ 'Fn::Join': ['', [`${service}.`, { Ref: 'AWS::Region' }, '.amazonaws.com']] }),
        ),
      ),
    );
  });

  it('reads evidence object versions (and lists them all, to reconcile) and the anchor bucket’s checkpoints/ and log/ only', () => {
    expect(s3ActionsByResource(ids.auditorRole)).toEqual({
      [objectsUnder(ids.evidenceBucket, '')]: ['s3:GetObjectVersion'],
      [json(getAtt(ids.evidenceBucket))]: ['s3:ListBucketVersions'],
      [objectsUnder(ids.anchorBucket, 'checkpoints/')]: ['s3:GetObject', 's3:GetObjectVersion'],
      [objectsUnder(ids.anchorBucket, 'log/')]: ['s3:GetObject', 's3:GetObjectVersion'],
      // ListBucketVersions twice: once per prefix (checkpoints/, log/), each conditioned on it.
      [json(getAtt(ids.anchorBucket))]: [
        's3:ListBucket',
        's3:ListBucketVersions',
        's3:ListBucketVersions',
      ],
    });
  });

  it('can be invoked through the EvidenceAuditor policy, which allows nothing else', () => {
    const policy = ledger
      .resourcesOfType('AWS::IAM::ManagedPolicy')
      .find(
        ([, resource]) =>
          resource.Properties?.ManagedPolicyName === 'evidence-ledger-EvidenceAuditor',
      );
    const statements = ledger
      .identityStatements()
      .filter(({ policyId }) => policyId === policy?.[0]);
    expect(statements.map(({ statement }) => statement)).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: getAtt(ids.auditorFunction) },
    ]);
  });
});

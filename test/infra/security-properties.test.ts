/**
 * One test per security property of the production ledger.stack, each named for the property
 * and failing if that property is removed from the ledger.stack.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEPOSITS_TABLE,
  AGENCY_SIGN_QUEUE,
  AGENCY_SIGNER_FUNCTION,
  APPEND_QUEUE,
  APPENDER_FUNCTION,
  CUSTODIAN_SIGN_QUEUE,
  CUSTODIAN_SIGNER_FUNCTION,
  HASHER_FUNCTION,
  INTAKE_QUEUE,
  PIPELINE_FUNCTIONS,
  QUEUES,
} from '../../definitions/pipeline.js';
import { LockedBucket } from '../../infra/constructs/locked-bucket.js';
import { STACK_TABLES } from '../../infra/evidence-ledger-stack.js';
import { synthesizeOnce } from './support/synth-ledger-stack.js';
import { asArray, deadLetterAlarm, getAtt } from './support/template-queries.js';

let ids: {
  evidence: string;
  anchors: string;
  accessLogs: string;
  storageKey: string;
  agencyKey: string;
  custodianKey: string;
};

const ledger = synthesizeOnce();

beforeAll(() => {
  ids = {
    evidence: ledger.id(ledger.stack.evidenceBucket.bucket),
    anchors: ledger.id(ledger.stack.anchorBucket.bucket),
    accessLogs: ledger.id(ledger.stack.accessLogs.bucket),
    storageKey: ledger.id(ledger.stack.storageKey.key),
    agencyKey: ledger.id(ledger.stack.signingKeys.agency.key),
    custodianKey: ledger.id(ledger.stack.signingKeys.custodian.key),
  };
});

const bucket = (logicalId: string) => ({ Properties: ledger.propertiesOf(logicalId) });
const lockedBuckets = () => [ids.evidence, ids.anchors];
const roleOf = (definition: (typeof PIPELINE_FUNCTIONS)[number]) =>
  ledger.id(ledger.stack.ledgerFunction(definition).role);
const actionsOf = (statement: { Action: string | string[] }) => asArray(statement.Action);

describe('evidence and anchor buckets', () => {
  it('are versioned', () => {
    for (const id of lockedBuckets()) {
      expect(bucket(id).Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    }
  });

  it('lock evidence in COMPLIANCE mode for the default 3650 days', () => {
    expect(bucket(ids.evidence).Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } },
      },
    });
  });

  it('lock anchors in COMPLIANCE mode for the anchor retention', () => {
    expect(bucket(ids.anchors).Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } } },
    });
  });

  it('encrypt with SSE-KMS under the rotated storage key, not a signing key', () => {
    for (const id of lockedBuckets()) {
      expect(bucket(id).Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: getAtt(ids.storageKey),
            },
          },
        ],
      });
    }
    ledger.template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, KeySpec: Match.absent() }),
    });
  });

  it('block all public access, including the access-logs bucket', () => {
    const all = {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    };
    const buckets = ledger.resourcesOfType('AWS::S3::Bucket');
    expect(buckets).toHaveLength(3);
    for (const [, resource] of buckets) {
      expect(resource.Properties?.PublicAccessBlockConfiguration).toEqual(all);
    }
  });

  it('deny every request that does not use TLS', () => {
    const tlsDenied = new Set(
      ledger
        .resourcePolicyStatements('AWS::S3::BucketPolicy')
        .filter(
          ({ statement }) =>
            statement.Effect === 'Deny' &&
            statement.Action === 's3:*' &&
            JSON.stringify(statement.Condition) ===
              JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
        )
        .map(({ properties }) => JSON.stringify(properties.Bucket)),
    );
    for (const id of [...lockedBuckets(), ids.accessLogs]) {
      expect(tlsDenied).toContain(JSON.stringify({ Ref: id }));
    }
  });

  it('write server access logs to the separate access-logs bucket', () => {
    expect(bucket(ids.evidence).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: ids.accessLogs },
      LogFilePrefix: 'evidence/',
    });
    expect(bucket(ids.anchors).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: ids.accessLogs },
      LogFilePrefix: 'anchors/',
    });
  });

  it('deny everyone deleting versions, bypassing retention or changing the lock configuration', () => {
    const denied = (id: string) =>
      ledger
        .resourcePolicyStatements('AWS::S3::BucketPolicy')
        .filter(
          ({ properties, statement }) =>
            JSON.stringify(properties.Bucket) === JSON.stringify({ Ref: id }) &&
            statement.Effect === 'Deny' &&
            JSON.stringify(statement.Principal) === JSON.stringify({ AWS: '*' }) &&
            statement.Condition === undefined,
        )
        .flatMap(({ statement }) => actionsOf(statement));
    for (const id of lockedBuckets()) {
      expect(denied(id)).toEqual(
        expect.arrayContaining([
          's3:DeleteObjectVersion',
          's3:BypassGovernanceRetention',
          's3:PutBucketObjectLockConfiguration',
        ]),
      );
    }
    // Anchors: everyone but the anchor role (anchor-and-auditor.test.ts).
    expect(denied(ids.evidence)).toContain('s3:PutObjectRetention');
  });

  it('deny everyone lifting a legal hold', () => {
    for (const id of lockedBuckets()) {
      ledger.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:PutObjectLegalHold',
              Condition: { StringEquals: { 's3:object-lock-legal-hold': 'OFF' } },
            }),
          ]),
        },
      });
    }
  });

  it('deny uploads that name another encryption key', () => {
    ledger.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids.evidence },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:PutObject',
            Condition: {
              Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
              StringNotEquals: {
                's3:x-amz-server-side-encryption-aws-kms-key-id': getAtt(ids.storageKey),
              },
            },
          }),
        ]),
      },
    });
  });

  it('let the EvidenceUploader policy put objects and nothing else on S3', () => {
    const policy = ledger
      .resourcesOfType('AWS::IAM::ManagedPolicy')
      .find(
        ([, resource]) =>
          resource.Properties?.ManagedPolicyName === 'evidence-ledger-EvidenceUploader',
      );
    const s3Actions = ledger
      .identityStatements()
      .filter(({ policyId }) => policyId === policy?.[0])
      .flatMap(({ statement }) => actionsOf(statement))
      .filter((action) => action.startsWith('s3:'));
    expect(s3Actions).toEqual(['s3:PutObject']);
  });
});

describe('tables', () => {
  it('have point-in-time recovery', () => {
    const tables = ledger.resourcesOfType('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(STACK_TABLES.length);
    for (const [, table] of tables) {
      expect(table.Properties?.PointInTimeRecoverySpecification).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
    }
  });

  it('have deletion protection', () => {
    for (const [, table] of ledger.resourcesOfType('AWS::DynamoDB::Table')) {
      expect(table.Properties?.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('are encrypted with the customer-managed storage key', () => {
    for (const [, table] of ledger.resourcesOfType('AWS::DynamoDB::Table')) {
      expect(table.Properties?.SSESpecification).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: getAtt(ids.storageKey),
      });
    }
  });
});

describe('retention of evidence, ledger, anchors and keys', () => {
  it('keeps buckets, tables, keys and log groups when the ledger.stack or resource goes (RETAIN)', () => {
    const types = [
      'AWS::S3::Bucket',
      'AWS::DynamoDB::Table',
      'AWS::KMS::Key',
      'AWS::Logs::LogGroup',
    ];
    for (const type of types) {
      const resources = ledger.resourcesOfType(type);
      expect(resources.length, type).toBeGreaterThan(0);
      for (const [id, resource] of resources) {
        expect([id, resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual([
          id,
          'Retain',
          'Retain',
        ]);
      }
    }
  });
});

const SIGN_DIGESTS_WITH_ECDSA_SHA_256 = {
  StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' },
};

describe('signing keys', () => {
  it('are ECC_NIST_P256 keys for SIGN_VERIFY, one per party', () => {
    for (const id of [ids.agencyKey, ids.custodianKey]) {
      ledger.template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      });
      expect(ledger.propertiesOf(id)).toMatchObject({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
      });
    }
  });

  it('can be used for kms:Sign only by their own party’s signer and co-signer, with ECDSA_SHA_256 over digests', () => {
    const signers = ledger
      .identityStatements()
      .filter(({ statement }) => actionsOf(statement).includes('kms:Sign'));
    expect(
      signers.map(({ roles, statement }) => [roles, statement.Resource, statement.Condition]),
    ).toEqual(
      expect.arrayContaining([
        [
          [{ Ref: roleOf(AGENCY_SIGNER_FUNCTION) }],
          getAtt(ids.agencyKey),
          SIGN_DIGESTS_WITH_ECDSA_SHA_256,
        ],
        [
          [{ Ref: roleOf(CUSTODIAN_SIGNER_FUNCTION) }],
          getAtt(ids.custodianKey),
          SIGN_DIGESTS_WITH_ECDSA_SHA_256,
        ],
        // Each party's co-signer signs checkpoint notes with its own party's key only.
        [
          [{ Ref: ledger.id(ledger.stack.cosigners.agency.role) }],
          getAtt(ids.agencyKey),
          SIGN_DIGESTS_WITH_ECDSA_SHA_256,
        ],
        [
          [{ Ref: ledger.id(ledger.stack.cosigners.custodian.role) }],
          getAtt(ids.custodianKey),
          SIGN_DIGESTS_WITH_ECDSA_SHA_256,
        ],
      ]),
    );
    expect(signers).toHaveLength(4);
    for (const { statement } of signers) expect(actionsOf(statement)).toEqual(['kms:Sign']);
  });

  it('give the appender kms:GetPublicKey on both keys and no other use of them', () => {
    const keyArns = [getAtt(ids.agencyKey), getAtt(ids.custodianKey)];
    const onSigningKeys = ledger
      .statementsOfRole(roleOf(APPENDER_FUNCTION))
      .filter(({ Resource }) =>
        asArray(Resource).some((resource) =>
          keyArns.some((arn) => JSON.stringify(arn) === JSON.stringify(resource)),
        ),
      );
    expect(onSigningKeys).toEqual([
      { Effect: 'Allow', Action: 'kms:GetPublicKey', Resource: keyArns },
    ]);
  });
});

describe('queues', () => {
  it('each have a dead-letter queue with the defined maxReceiveCount', () => {
    for (const definition of QUEUES) {
      const pipelineQueue = ledger.stack.queue(definition);
      expect(ledger.propertiesOf(ledger.id(pipelineQueue.queue)).RedrivePolicy).toEqual({
        deadLetterTargetArn: getAtt(ledger.id(pipelineQueue.deadLetterQueue)),
        maxReceiveCount: definition.maxReceiveCount,
      });
    }
  });

  it('alarm as soon as a dead-letter queue holds a message', () => {
    for (const definition of QUEUES) {
      const dlq = ledger.id(ledger.stack.queue(definition).deadLetterQueue);
      ledger.template.hasResourceProperties('AWS::CloudWatch::Alarm', deadLetterAlarm(dlq));
    }
  });

  it('take messages only from the stage before and, for continuations, from the stage itself', () => {
    const sendsOf = (definition: (typeof PIPELINE_FUNCTIONS)[number]) =>
      ledger
        .statementsOfRole(roleOf(definition))
        .filter((statement) => actionsOf(statement).includes('sqs:SendMessage'))
        .flatMap((statement) => asArray(statement.Resource))
        .map((resource) => JSON.stringify(resource))
        .sort();
    const queueArns = (...definitions: (typeof QUEUES)[number][]) =>
      definitions
        .map((definition) =>
          JSON.stringify(getAtt(ledger.id(ledger.stack.queue(definition).queue))),
        )
        .sort();
    expect(sendsOf(HASHER_FUNCTION)).toEqual(queueArns(AGENCY_SIGN_QUEUE, INTAKE_QUEUE));
    expect(sendsOf(AGENCY_SIGNER_FUNCTION)).toEqual(queueArns(CUSTODIAN_SIGN_QUEUE));
    expect(sendsOf(CUSTODIAN_SIGNER_FUNCTION)).toEqual(
      queueArns(APPEND_QUEUE, CUSTODIAN_SIGN_QUEUE),
    );
    expect(sendsOf(APPENDER_FUNCTION)).toEqual([]);
  });

  it('touch the Deposits table only with the actions their stage needs', () => {
    const deposits = JSON.stringify(getAtt(ledger.id(ledger.stack.table(DEPOSITS_TABLE).table)));
    const depositActionsOf = (definition: (typeof PIPELINE_FUNCTIONS)[number]) =>
      ledger
        .statementsOfRole(roleOf(definition))
        .filter((statement) =>
          asArray(statement.Resource).some((r) => JSON.stringify(r) === deposits),
        )
        .flatMap((statement) => actionsOf(statement))
        .sort();
    // The hasher creates deposits and, for large objects, saves its hash progress.
    expect(depositActionsOf(HASHER_FUNCTION)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(depositActionsOf(AGENCY_SIGNER_FUNCTION)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    expect(depositActionsOf(CUSTODIAN_SIGNER_FUNCTION)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it('are encrypted at rest', () => {
    const queues = ledger.resourcesOfType('AWS::SQS::Queue');
    // Each pipeline queue and its DLQ, and the anchor schedule's DLQ.
    expect(queues).toHaveLength(QUEUES.length * 2 + 1);
    for (const [, queue] of queues) expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
  });

  it('deny every request that does not use TLS', () => {
    const queues = ledger
      .resourcesOfType('AWS::SQS::Queue')
      .map(([id]) => JSON.stringify({ Ref: id }));
    const tlsOnly = ledger
      .resourcePolicyStatements('AWS::SQS::QueuePolicy')
      .filter(
        ({ statement }) =>
          statement.Effect === 'Deny' &&
          JSON.stringify(statement.Condition) ===
            JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
      )
      .flatMap(({ properties }) =>
        (properties.Queues as unknown[]).map((queue) => JSON.stringify(queue)),
      );
    expect(new Set(tlsOnly)).toEqual(new Set(queues));
  });

  it('accept S3 notifications only from the evidence bucket of this account', () => {
    const fromS3 = ledger
      .resourcePolicyStatements('AWS::SQS::QueuePolicy')
      .filter(
        ({ statement }) =>
          JSON.stringify(statement.Principal) === JSON.stringify({ Service: 's3.amazonaws.com' }),
      );
    expect(fromS3).toHaveLength(1);
    expect(fromS3[0]?.statement.Condition).toEqual({
      ArnEquals: {
        'aws:SourceArn': ledger.stack.resolve(
          LockedBucket.arnForName(ledger.stack.evidenceBucket.bucketName),
        ) as unknown,
      },
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    });
  });
});

describe('functions', () => {
  const allFunctions = () => [
    ...PIPELINE_FUNCTIONS.map((definition) => ledger.stack.ledgerFunction(definition)),
    ledger.stack.anchorFunction,
    ledger.stack.auditorFunction,
  ];
  const functionsOf = () => allFunctions().map((fn) => ledger.propertiesOf(ledger.id(fn.function)));

  it('run on nodejs22.x on arm64', () => {
    for (const properties of functionsOf()) {
      expect([properties.Runtime, properties.Architectures]).toEqual(['nodejs22.x', ['arm64']]);
    }
  });

  it('have active X-Ray tracing', () => {
    for (const properties of functionsOf())
      expect(properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('log to their own log group with the configured retention', () => {
    for (const fn of allFunctions()) {
      const properties = ledger.propertiesOf(ledger.id(fn.function));
      const logGroupId = ledger.id(fn.logGroup);
      expect(properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
      expect(ledger.propertiesOf(logGroupId).RetentionInDays).toBe(365);
    }
  });

  it('alarm on any error and any throttle', () => {
    for (const fn of allFunctions()) {
      const fnId = ledger.id(fn.function);
      for (const metricName of ['Errors', 'Throttles']) {
        ledger.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
        });
      }
    }
  });
});

describe('IAM', () => {
  it('grants no wildcard action to any role or policy', () => {
    const wildcards = ledger
      .identityStatements()
      .flatMap(({ policyId, statement }) =>
        actionsOf(statement).map((action) => `${policyId}: ${action}`),
      )
      .filter((entry) => entry.includes('*'));
    expect(wildcards).toEqual([]);
  });

  it('grants Resource "*" only for the X-Ray actions, which have no resource-level permissions', () => {
    const onEverything = ledger
      .identityStatements()
      .filter(({ statement }) => asArray(statement.Resource).includes('*'))
      .flatMap(({ statement }) => actionsOf(statement));
    expect(new Set(onEverything)).toEqual(
      new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
    );
  });
});

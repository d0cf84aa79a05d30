/**
 * Red team: S3 event records with fields at and past every bound the deposit is stored with
 * (issue #9, attack 4 "inputs that wedge"): an out-of-bounds value used to be accepted by the
 * event parser, written, and then fail every read, wedging the deposit in the DLQ.
 *
 * Senders of the Intake queue, from the synthesized template (asserted first):
 *   S3 (the queue policy's only service principal) and the Hasher role (sqs:SendMessage, for
 *   its own continuations). No other role may send to it.
 * The bodies below are what either could deliver; metadata comes from S3's HEAD, so it is
 * uploaded with the object. S3's own notices of the uploads (moto's, without a versionId) are
 * dropped by the harness so that the crafted record is the one that decides each deposit.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Template } from 'aws-cdk-lib/assertions';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depositIdFor } from '../../core/deposit-id';
import { INTAKE_QUEUE } from '../../definitions/pipeline';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { synthesizeLedgerStack } from '../infra/support/synth-ledger-stack';
import {
  asArray,
  getAtt,
  identityStatements,
  logicalIdOf,
  resourcePolicyStatements,
} from '../infra/support/template-queries';
import { statementCovers } from '../infra/support/signing-rights';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import { roleIds } from '../support/role-rights';
import { deadLetters, purgeQueue } from '../support/stage-runner';

describe('who may send to the intake queue, in the synthesized stack', () => {
  let stack: EvidenceLedgerStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synthesizeLedgerStack());
  }, 120_000);

  it('among the roles, only the hasher may send; the queue policy lets only S3 send', () => {
    const queueId = logicalIdOf(stack, stack.queues.get(INTAKE_QUEUE)!.queue);
    const arn = JSON.stringify(getAtt(queueId));
    const senders = identityStatements(template)
      .filter(
        ({ statement }) =>
          statement.Effect === 'Allow' && statementCovers(statement, 'sqs:SendMessage'),
      )
      .filter(({ statement }) =>
        asArray(statement.Resource).some((r) => JSON.stringify(r) === arn || r === '*'),
      )
      .flatMap(({ roles }) => roles);
    expect(senders).toEqual([{ Ref: roleIds(stack).hasher }]);
    const allows = resourcePolicyStatements(template, 'AWS::SQS::QueuePolicy').filter(
      ({ properties, statement }) =>
        JSON.stringify(properties.Queues).includes(queueId) &&
        statement.Effect === 'Allow' &&
        statementCovers(statement, 'sqs:SendMessage'),
    );
    expect(allows.map(({ statement }) => statement.Principal)).toEqual([
      { Service: 's3.amazonaws.com' },
    ]);
  });
});

interface EventRecord {
  readonly [field: string]: unknown;
  eventTime: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  s3: {
    bucket: { name: string };
    object: { key: string; size: number; eTag: string; versionId: string; sequencer: string };
    s3SchemaVersion: string;
  };
}

interface Uploaded {
  readonly key: string;
  readonly versionId: string;
  readonly eTag: string;
  readonly size: number;
  readonly depositId: string;
}

describe.skipIf(skipBackend)(`crafted S3 events on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  const outcomes = new Map<string, string>();

  const upload = async (
    key: string,
    body: string,
    metadata: Record<string, string> = {},
  ): Promise<Uploaded> => {
    const versionId = await deployment.upload(key, body, metadata);
    const depositId = depositIdFor({ bucket: deployment.resources.evidenceBucket, key, versionId });
    return {
      key,
      versionId,
      eTag: createHash('md5').update(body).digest('hex'),
      size: Buffer.byteLength(body),
      depositId,
    };
  };
  /** One record as S3 sends it for a versioned bucket, with `edit` applied. */
  const record = (
    object: Pick<Uploaded, 'key' | 'versionId' | 'eTag' | 'size'>,
    edit: (r: EventRecord) => void = () => undefined,
  ) => {
    const r: EventRecord = {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2026-01-02T03:04:05.678Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
      requestParameters: { sourceIPAddress: '192.0.2.1' },
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: deployment.resources.evidenceBucket },
        object: {
          key: encodeURIComponent(object.key),
          size: object.size,
          eTag: object.eTag,
          versionId: object.versionId,
          sequencer: '0A1B2C3D4E5F678901',
        },
      },
    };
    edit(r);
    return r;
  };
  const send = (...records: EventRecord[]) =>
    deployment.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: deployment.resources.queues.intake.url,
        MessageBody: JSON.stringify({ Records: records }),
      }),
    );

  const atBound: [string, Uploaded][] = [];
  const pastBound: [string, Uploaded, string][] = [];
  let trueSize: Uploaded;
  let oversizedMetadataRefusedByS3 = false;

  beforeAll(async () => {
    deployment = await createDeployment('redteam-events');
    const u = (name: string, body = `exhibit ${name}`, metadata?: Record<string, string>) =>
      upload(`events/${name}.txt`, body, metadata);

    const p512 = await u('principal-512');
    const ip45 = await u('ip-45');
    const key1024 = await upload(
      `events/${'k'.repeat(1024 - 'events/'.length)}`,
      'exhibit key 1024',
    );
    const meta2048 = await u('meta-2048', 'exhibit meta', { m: 'v'.repeat(2047) }); // 1 + 2047 bytes
    atBound.push(
      ['principalId of 512 bytes', p512],
      ['sourceIp of 45 characters', ip45],
      ['key of 1024 bytes', key1024],
      ['metadata of 2 KiB', meta2048],
    );

    const empty = await u('principal-empty');
    const p513 = await u('principal-513');
    const p513wide = await u('principal-513-wide');
    const ip46 = await u('ip-46');
    const time = await u('event-time');
    const key1025 = {
      key: `events/${'é'.repeat(509)}`,
      versionId: 'never-stored',
      eTag: 'd41d8cd98f00b204e9800998ecf8427e',
      size: 0,
    };
    const key1025Deposit = {
      ...key1025,
      depositId: depositIdFor({ bucket: deployment.resources.evidenceBucket, ...key1025 }),
    };
    pastBound.push(
      ['empty principalId', empty, 'INVALID_EVENT'],
      ['principalId of 513 bytes', p513, 'INVALID_EVENT'],
      ['principalId of 513 bytes in 257 characters', p513wide, 'INVALID_EVENT'],
      ['sourceIp of 46 characters', ip46, 'INVALID_EVENT'],
      ['malformed eventTime', time, 'INVALID_EVENT'],
      ['key of 1025 bytes (S3 cannot hold it)', key1025Deposit, 'INVALID_EVENT'],
    );
    try {
      pastBound.push([
        'metadata of 2 KiB + 1',
        await u('meta-2049', 'exhibit meta+', { m: 'v'.repeat(2048) }),
        'INVALID_INPUT',
      ]);
    } catch {
      oversizedMetadataRefusedByS3 = true; // real S3 refuses it with MetadataTooLarge
    }
    trueSize = await u('size-mismatch', 'exhibit of twenty-two');

    await purgeQueue(deployment, deployment.resources.queues.intake);
    // Each out-of-bounds record shares its message with an in-bounds one: the batch must proceed.
    await send(
      record(empty, (r) => (r.userIdentity.principalId = '')),
      record(p512, (r) => (r.userIdentity.principalId = 'p'.repeat(512))),
    );
    await send(
      record(p513, (r) => (r.userIdentity.principalId = 'p'.repeat(513))),
      record(
        ip45,
        (r) =>
          (r.requestParameters.sourceIPAddress = '0000:0000:0000:0000:0000:ffff:255.255.255.255'),
      ),
    );
    await send(
      record(p513wide, (r) => (r.userIdentity.principalId = `${'é'.repeat(256)}p`)),
      record(key1024),
    );
    await send(
      record(
        ip46,
        (r) =>
          (r.requestParameters.sourceIPAddress = '0000:0000:0000:0000:0000:ffff:255.255.255.2555'),
      ),
      record(meta2048),
    );
    await send(
      record(time, (r) => (r.eventTime = 'yesterday')),
      record(key1025),
    );
    for (const [, object] of pastBound.slice(6)) await send(record(object));
    await send(record(trueSize, (r) => (r.s3.object.size = 1)));
    await deployment.pipeline.runUntilIdle(45_000);
    for (const [, object] of [...atBound, ...pastBound, ['', trueSize] as const]) {
      const state = await deployment.deposits.get(object.depositId);
      outcomes.set(
        object.depositId,
        state?.status === 'FAILED' ? `FAILED ${state.failure?.code}` : String(state?.status),
      );
    }
  }, 90_000);
  afterAll(() => deployment?.close());

  it.each([0, 1, 2, 3])('at the bound the deposit is recorded (case %i)', (i) => {
    const [label, object] = atBound[i]!;
    expect(outcomes.get(object.depositId), label).toBe('APPENDED');
  });

  it('records the uploader exactly as the event reported it at the bounds', async () => {
    const records = await deployment.ledgerRecords();
    const of = (object: Uploaded) =>
      records.find((r) => r.deposit.depositId === object.depositId)?.deposit;
    expect(of(atBound[0]![1])?.uploader.principalId).toBe('p'.repeat(512));
    expect(of(atBound[1]![1])?.uploader.sourceIp).toHaveLength(45);
    expect(Buffer.byteLength(of(atBound[2]![1])!.key)).toBe(1024);
  });

  it.each([0, 1, 2, 3, 4, 5, 6])(
    'past the bound the deposit ends FAILED with its code (case %i)',
    (i) => {
      const entry = pastBound[i];
      if (!entry) {
        expect(oversizedMetadataRefusedByS3).toBe(true);
        return;
      }
      const [label, object, code] = entry;
      expect(outcomes.get(object.depositId), label).toBe(`FAILED ${code}`);
    },
  );

  it('an event size other than the version’s is no fact: the deposit is recorded with the size S3 reports', async () => {
    expect(outcomes.get(trueSize.depositId)).toBe('APPENDED');
    const record = (await deployment.ledgerRecords()).find(
      (r) => r.deposit.depositId === trueSize.depositId,
    );
    expect(record?.deposit.size).toBe(trueSize.size);
  });

  it('nothing is left in any queue or dead-letter queue', async () => {
    expect(await deployment.pipeline.messagesInFlight()).toBe(0);
    for (const queue of Object.values(deployment.resources.queues))
      expect(await deadLetters(deployment, queue)).toBe(0);
  });

  it('no record carries a value past a bound', async () => {
    const past = new Set(pastBound.map(([, object]) => object.depositId));
    expect((await deployment.ledgerRecords()).filter((r) => past.has(r.deposit.depositId))).toEqual(
      [],
    );
  });
});

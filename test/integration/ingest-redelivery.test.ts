import {
  ReceiveMessageCommand,
  SendMessageCommand,
  DeleteMessageCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { backend, skipBackend } from '../support/deployment-fixture';
import { deploymentOfItsOwn } from '../support/own-deployment';
import { expectVerifiedLedger, sha256Hex } from '../support/ledger-expectations';

/** Takes every S3 notification waiting in the intake queue (bodies), deleting them. */
async function takeNotifications(deployment: LocalDeployment, expected: number): Promise<string[]> {
  const bodies: string[] = [];
  const url = deployment.resources.queues.intake.url;
  for (let tries = 0; bodies.length < expected && tries < 50; tries++) {
    const { Messages } = await deployment.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const message of Messages ?? []) {
      await deployment.clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
      );
      if (!message.Body?.includes('s3:TestEvent')) bodies.push(message.Body ?? '');
    }
  }
  expect(bodies).toHaveLength(expected);
  return bodies;
}

async function deliver(deployment: LocalDeployment, bodies: readonly string[]): Promise<void> {
  for (const body of bodies) {
    await deployment.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: deployment.resources.queues.intake.url,
        MessageBody: body,
      }),
    );
  }
}

/** What real S3 sends for a versioned bucket: the event with versionId and the uploader's identity. */
function withVersionAndIdentity(body: string, versionId: string): string {
  const event = JSON.parse(body) as { Records: Record<string, unknown>[] };
  for (const record of event.Records) {
    (record.s3 as { object: Record<string, unknown> }).object.versionId = versionId;
    record.userIdentity = { principalId: 'AWS:AROAEXAMPLEUPLOADER:dc-4471' };
    record.requestParameters = { sourceIPAddress: '198.51.100.7' };
  }
  return JSON.stringify(event);
}

// Each case has its own deployment, so that its ledger holds its records alone, from seq 0.
describe.skipIf(skipBackend)(`at-least-once, out-of-order delivery on ${backend.name}`, () => {
  describe('when the same event is delivered twice', () => {
    const ownDeployment = deploymentOfItsOwn('redelivery-twice');
    it('appends one record', async () => {
      const deployment = ownDeployment();
      const versionId = await deployment.upload('dup/exhibit.txt', 'delivered twice');
      const [body = ''] = await takeNotifications(deployment, 1);
      await deliver(deployment, [body, body]);
      await deployment.pipeline.runUntilIdle(60_000);
      const records = await expectVerifiedLedger(deployment, 1);
      expect(records[0]?.deposit.versionId).toBe(versionId);
    });
  });

  describe('when two versions of one key arrive newest first', () => {
    const ownDeployment = deploymentOfItsOwn('redelivery-order');
    it('records each version once, with its own content', async () => {
      const deployment = ownDeployment();
      const older = await deployment.upload('order/report.txt', 'first draft');
      const newer = await deployment.upload('order/report.txt', 'second draft');
      const [first = '', second = ''] = await takeNotifications(deployment, 2);
      await deliver(deployment, [second, first, second]);
      await deployment.pipeline.runUntilIdle(60_000);
      const records = await expectVerifiedLedger(deployment, 2);
      const byVersion = new Map(records.map((r) => [r.deposit.versionId, r.deposit.sha256]));
      expect(byVersion).toEqual(
        new Map([
          [older, sha256Hex('first draft')],
          [newer, sha256Hex('second draft')],
        ]),
      );
    });
  });

  describe('when identical content is uploaded twice under one key', () => {
    const ownDeployment = deploymentOfItsOwn('redelivery-identical');
    it('records both versions, each once', async () => {
      const deployment = ownDeployment();
      const a = await deployment.upload('same/photo.jpg', 'identical bytes');
      const b = await deployment.upload('same/photo.jpg', 'identical bytes');
      const [first = ''] = await takeNotifications(deployment, 2);
      await deliver(deployment, [first, first, first]); // the second event is lost; the first comes 3 times
      await deployment.pipeline.runUntilIdle(60_000);
      const records = await expectVerifiedLedger(deployment, 2);
      expect(new Set(records.map((r) => r.deposit.versionId))).toEqual(new Set([a, b]));
    });
  });

  describe('when an event names the exact version, as real S3 does', () => {
    const ownDeployment = deploymentOfItsOwn('redelivery-exact');
    it('records that version with the uploader identity, and an emulator duplicate adds nothing', async () => {
      const deployment = ownDeployment();
      const versionId = await deployment.upload('exact/clip.mp4', 'bytes of a clip');
      const [body = ''] = await takeNotifications(deployment, 1);
      await deliver(deployment, [withVersionAndIdentity(body, versionId), body]);
      await deployment.pipeline.runUntilIdle(60_000);
      const records = await expectVerifiedLedger(deployment, 1);
      expect(records[0]?.deposit).toMatchObject({
        versionId,
        uploader: { principalId: 'AWS:AROAEXAMPLEUPLOADER:dc-4471', sourceIp: '198.51.100.7' },
      });
    });
  });
});

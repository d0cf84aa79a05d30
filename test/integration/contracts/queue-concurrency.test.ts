/**
 * The queues under the pipeline's real concurrency: senders and consumers (receive, then
 * delete) on one queue at once, with a backlog, as the stages run in the load run. SQS
 * delivers every message at least once; moto lost some (17 of these 3,000 in one run) until
 * its deletes were made to take the queue's lock (tools/emulators/moto_patches.py, patch 4),
 * which is how a load run once ended with a deposit that never reached its signer.
 */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import {
  backend,
  createDeployment,
  skipBackend,
  uniquePrefix,
} from '../../support/deployment-fixture';

const MESSAGES = 3_000;
/** Consumers start once this many are queued, so that every delete rebuilds a long list. */
const BACKLOG = 1_000;
const SENDERS = 4;
const CONSUMERS = 8;
/** Empty receives in a row, after the last send, after which the queue is taken as drained. */
const EMPTY_POLLS = 20;

async function sendAll(sqs: SQSClient, queueUrl: string, progress: { sent: number }) {
  while (progress.sent < MESSAGES) {
    const base = progress.sent;
    progress.sent += 10;
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({
          Id: String(i),
          MessageBody: String(base + i),
        })),
      }),
    );
  }
}

async function consume(
  sqs: SQSClient,
  queueUrl: string,
  progress: { sent: number; sending: boolean },
  seen: Set<string>,
) {
  while (progress.sent < BACKLOG) await sleep(20);
  for (let empty = 0; empty < EMPTY_POLLS;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) {
      if (!progress.sending) empty++;
      await sleep(25);
      continue;
    }
    empty = 0;
    for (const m of Messages) seen.add(m.Body ?? '');
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
}

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  let queueUrl: string;
  beforeAll(async () => {
    deployment = await createDeployment('queue-concurrency');
    const created = await deployment.clients.sqs.send(
      new CreateQueueCommand({
        QueueName: uniquePrefix('concurrency'),
        // Longer than the test: a message received is never redelivered, so each is seen once.
        Attributes: { VisibilityTimeout: '900' },
      }),
    );
    queueUrl = created.QueueUrl ?? '';
  });
  afterAll(async () => {
    if (queueUrl) await deployment.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    deployment?.close();
  });

  it('delivers every message while senders and consumers work one queue at once', async () => {
    const { sqs } = deployment.clients;
    const progress = { sent: 0, sending: true };
    const seen = new Set<string>();
    const consumers = Array.from({ length: CONSUMERS }, () =>
      consume(sqs, queueUrl, progress, seen),
    );
    await Promise.all(Array.from({ length: SENDERS }, () => sendAll(sqs, queueUrl, progress)));
    progress.sending = false;
    await Promise.all(consumers);

    const lost = Array.from({ length: MESSAGES }, (_, i) => String(i)).filter((b) => !seen.has(b));
    expect(lost).toEqual([]);
  }, 240_000);
});

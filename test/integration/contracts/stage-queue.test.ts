/** The stage queue contract on SqsStageQueue, on the emulators (the append queue; no worker runs). */
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe } from 'vitest';
import { parseDepositMessage } from '../../../functions/shared/sqs-messages';
import { SqsStageQueue } from '../../../functions/shared/sqs-stage-queue';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describeStageQueueContract } from '../../contracts/stage-queue.contract';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';

/** Empty receives in a row after which nothing more is coming. */
const EMPTY_POLLS = 3;

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('queue-contract');
  });
  afterAll(() => deployment?.close());

  /** Receives (and deletes) until `count` messages came or the queue stays empty. */
  async function receive(queueUrl: string, count: number): Promise<string[]> {
    const { sqs } = deployment.clients;
    const ids: string[] = [];
    for (let empty = 0; ids.length < count && empty < EMPTY_POLLS;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      empty = Messages.length === 0 ? empty + 1 : 0;
      for (const message of Messages) {
        // The stage's own parser: a body that is not exactly {"depositId": hex} throws INVALID_EVENT.
        ids.push(parseDepositMessage(message.Body ?? ''));
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      }
    }
    return ids;
  }

  describeStageQueueContract('SqsStageQueue', () => {
    const queueUrl = deployment.resources.queues.append.url;
    return Promise.resolve({
      queue: new SqsStageQueue(deployment.clients.sqs, queueUrl),
      received: (count: number) => receive(queueUrl, count),
    });
  });
});

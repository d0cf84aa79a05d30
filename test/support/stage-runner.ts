/**
 * Runs one stage of a deployment's pipeline on its own (the real handler on the real queue),
 * so that an attack can be carried out between two stages: after the hasher and before the
 * agency signs, after the agency and before the custodian, and so on.
 */
import { PurgeQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProvisionedQueue } from '../../tools/local-runtime/provision-resources';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import type { StageName } from '../../tools/local-runtime/local-pipeline';

export interface StageRunner {
  /** Polls the stage until its queue gave nothing `quietPolls` times in a row. */
  run(stage: StageName, quietPolls?: number): Promise<void>;
  /** The queue a stage consumes. */
  queue(stage: StageName): ProvisionedQueue;
}

/** The deployment's own pipeline, one stage at a time. */
export function stageRunner(deployment: LocalDeployment): StageRunner {
  const { pipeline } = deployment;
  return {
    queue: (stage) => pipeline.queueOf(stage),
    async run(stage, quietPolls = 3) {
      for (let quiet = 0; quiet < quietPolls;) {
        if ((await pipeline.pollStageOnce(stage)) === 0) {
          quiet += 1;
          await sleep(100);
        } else quiet = 0;
      }
    },
  };
}

/** Drops every message of a queue (the test harness, not the attacker: e.g. S3's own notices). */
export async function purgeQueue(
  deployment: LocalDeployment,
  queue: ProvisionedQueue,
): Promise<void> {
  await deployment.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.url }));
}

/** The messages waiting in a queue's dead-letter queue (received once, made visible again soon). */
export async function deadLetters(
  deployment: LocalDeployment,
  queue: ProvisionedQueue,
): Promise<number> {
  const { Messages } = await deployment.clients.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.deadLetterUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      VisibilityTimeout: 0,
    }),
  );
  return Messages?.length ?? 0;
}

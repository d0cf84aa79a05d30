/**
 * Runs one stage of a deployment's pipeline on its own (the real handler on the real queue),
 * so that an attack can be carried out between two stages: after the hasher and before the
 * agency signs, after the agency and before the custodian, and so on.
 */
import { PurgeQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { agencySignerDeps, agencySignerHandler } from '../../functions/agency-signer/agency-signer';
import { appenderDeps, appenderHandler } from '../../functions/appender/appender';
import { custodianSignerDeps, custodianSignerHandler } from '../../functions/custodian-signer/custodian-signer';
import { hasherDeps, hasherHandler } from '../../functions/hasher/hasher';
import {
  AGENCY_SIGNER_FUNCTION,
  APPENDER_FUNCTION,
  CUSTODIAN_SIGNER_FUNCTION,
  HASHER_FUNCTION,
  type FunctionDefinition,
} from '../../infra/definitions';
import { pipelineEnvironment, type ProvisionedQueue } from '../../infra/local/provision-resources';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import type { StageName } from '../../tools/local-runtime/local-pipeline';
import { SqsEventSource, type LocalSqsHandler } from '../../tools/local-runtime/sqs-event-source';

export interface StageRunner {
  /** Polls the stage until its queue gave nothing `quietPolls` times in a row. */
  run(stage: StageName, quietPolls?: number): Promise<void>;
  /** The queue a stage consumes. */
  queue(stage: StageName): ProvisionedQueue;
}

export function stageRunner(deployment: LocalDeployment): StageRunner {
  const { clients, resources } = deployment;
  const env = (definition: FunctionDefinition) => pipelineEnvironment(resources, definition);
  const handlers: Record<StageName, [FunctionDefinition, ProvisionedQueue, LocalSqsHandler]> = {
    hasher: [HASHER_FUNCTION, resources.queues.intake, hasherHandler(hasherDeps(env(HASHER_FUNCTION), clients))],
    agencySigner: [AGENCY_SIGNER_FUNCTION, resources.queues.agencySign, agencySignerHandler(agencySignerDeps(env(AGENCY_SIGNER_FUNCTION), clients))],
    custodianSigner: [
      CUSTODIAN_SIGNER_FUNCTION,
      resources.queues.custodianSign,
      custodianSignerHandler(custodianSignerDeps(env(CUSTODIAN_SIGNER_FUNCTION), clients)),
    ],
    appender: [APPENDER_FUNCTION, resources.queues.append, appenderHandler(appenderDeps(env(APPENDER_FUNCTION), clients))],
  };
  return {
    queue: (stage) => handlers[stage][1],
    async run(stage, quietPolls = 3) {
      const [definition, queue, handler] = handlers[stage];
      const source = new SqsEventSource(clients.sqs, {
        functionName: `${resources.prefix}-${definition.id}`,
        queueUrl: queue.url,
        queueArn: queue.arn,
        region: 'us-east-1',
        batchSize: definition.batchSize,
        handler,
      });
      for (let quiet = 0; quiet < quietPolls; ) {
        if ((await source.pollOnce()).received === 0) {
          quiet += 1;
          await sleep(100);
        } else quiet = 0;
      }
    },
  };
}

/** Drops every message of a queue (the test harness, not the attacker: e.g. S3's own notices). */
export async function purgeQueue(deployment: LocalDeployment, queue: ProvisionedQueue): Promise<void> {
  await deployment.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.url }));
}

/** The messages waiting in a queue's dead-letter queue (received once, made visible again soon). */
export async function deadLetters(deployment: LocalDeployment, queue: ProvisionedQueue): Promise<number> {
  const { Messages } = await deployment.clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queue.deadLetterUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 0 }),
  );
  return Messages?.length ?? 0;
}

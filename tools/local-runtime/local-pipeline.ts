/**
 * The whole ingest pipeline, run in this process against emulated (or real) AWS services:
 * the real handlers, built by the same factories as the Lambda entry points, fed by local
 * event source mappings on the real queues that S3 notifications arrive in.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { agencySignerDeps, agencySignerHandler } from '../../functions/agency-signer/agency-signer';
import { appenderDeps, appenderHandler } from '../../functions/appender/appender';
import {
  custodianSignerDeps,
  custodianSignerHandler,
} from '../../functions/custodian-signer/custodian-signer';
import { hasherDeps, hasherHandler } from '../../functions/hasher/hasher';
import type { AwsClients } from '../../functions/shared/aws-clients';
import type { DigestTuning } from '../../functions/shared/budgeted-digest';
import {
  AGENCY_SIGNER_FUNCTION,
  APPENDER_FUNCTION,
  CUSTODIAN_SIGNER_FUNCTION,
  HASHER_FUNCTION,
  type FunctionDefinition,
} from '../../definitions/pipeline';
import {
  pipelineEnvironment,
  type PipelineResources,
  type ProvisionedQueue,
} from './provision-resources';
import { SqsEventSource, type LocalSqsHandler } from './sqs-event-source';
import { LedgerError } from '../../core/errors';

export type StageName = 'hasher' | 'agencySigner' | 'custodianSigner' | 'appender';

export interface LocalPipelineOptions {
  readonly region: string;
  /** Concurrent invocations per stage (Lambda would scale these out). */
  readonly workers?: Partial<Record<StageName, number>>;
  /** How the hasher and the custodian read and slice objects (tests force tiny slices). */
  readonly hashing?: DigestTuning;
}

interface Stage {
  readonly name: StageName;
  readonly queue: ProvisionedQueue;
  readonly sources: SqsEventSource[];
}

export class LocalPipeline {
  private readonly stages: Stage[];

  constructor(
    private readonly clients: AwsClients,
    readonly resources: PipelineResources,
    options: LocalPipelineOptions,
  ) {
    const env = (definition: FunctionDefinition) => pipelineEnvironment(resources, definition);
    const stage = (
      name: StageName,
      definition: FunctionDefinition,
      queue: ProvisionedQueue,
      handler: LocalSqsHandler,
    ): Stage => ({
      name,
      queue,
      sources: Array.from(
        { length: options.workers?.[name] ?? 1 },
        () =>
          new SqsEventSource(clients.sqs, {
            functionName: `${resources.prefix}-${definition.id}`,
            queueUrl: queue.url,
            queueArn: queue.arn,
            region: options.region,
            batchSize: definition.batchSize,
            handler,
          }),
      ),
    });
    this.stages = [
      stage(
        'hasher',
        HASHER_FUNCTION,
        resources.queues.intake,
        hasherHandler(hasherDeps(env(HASHER_FUNCTION), clients, options.hashing)),
      ),
      stage(
        'agencySigner',
        AGENCY_SIGNER_FUNCTION,
        resources.queues.agencySign,
        agencySignerHandler(agencySignerDeps(env(AGENCY_SIGNER_FUNCTION), clients)),
      ),
      stage(
        'custodianSigner',
        CUSTODIAN_SIGNER_FUNCTION,
        resources.queues.custodianSign,
        custodianSignerHandler(
          custodianSignerDeps(env(CUSTODIAN_SIGNER_FUNCTION), clients, options.hashing),
        ),
      ),
      stage(
        'appender',
        APPENDER_FUNCTION,
        resources.queues.append,
        appenderHandler(appenderDeps(env(APPENDER_FUNCTION), clients)),
      ),
    ];
  }

  /** One round: every worker of every stage polls once, all concurrently. Returns messages seen. */
  async pollOnce(): Promise<number> {
    return this.poll(this.stages);
  }

  /** One round of one stage alone (a test can act between two stages). Returns messages seen. */
  pollStageOnce(name: StageName): Promise<number> {
    return this.poll([this.stage(name)]);
  }

  /** The queue a stage consumes. */
  queueOf(name: StageName): ProvisionedQueue {
    return this.stage(name).queue;
  }

  private stage(name: StageName): Stage {
    const found = this.stages.find((s) => s.name === name);
    if (!found) throw new LedgerError('INVALID_INPUT', `no stage ${name}`, { stage: name });
    return found;
  }

  private async poll(stages: readonly Stage[]): Promise<number> {
    const results = await Promise.all(
      stages.flatMap((s) => s.sources.map((source) => source.pollOnce())),
    );
    return results.reduce((sum, r) => sum + r.received, 0);
  }

  /** Messages visible or in flight in the pipeline's queues (dead-letter queues excluded). */
  async messagesInFlight(): Promise<number> {
    const counts = await Promise.all(
      this.stages.map(async (s) => {
        const { Attributes } = await this.clients.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: s.queue.url,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
            ],
          }),
        );
        return (
          Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
        );
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Polls until `done()` holds; throws after `timeoutMs`. */
  async runUntil(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline)
        throw new LedgerError(
          'DEPENDENCY_UNAVAILABLE',
          `pipeline did not settle within ${timeoutMs} ms`,
          { timeoutMs },
        );
      if ((await this.pollOnce()) === 0) await sleep(100);
    }
  }

  /** Polls until no message is visible or in flight in any stage. */
  runUntilIdle(timeoutMs: number): Promise<void> {
    return this.runUntil(
      async () => (await this.pollOnce()) === 0 && (await this.messagesInFlight()) === 0,
      timeoutMs,
    );
  }
}

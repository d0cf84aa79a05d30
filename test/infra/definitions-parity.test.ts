/**
 * The emulator resources come from the same definitions: tools/local-runtime/provision-resources.ts
 * creates its tables and queues from definitions/pipeline.ts and definitions/anchor.ts,
 * and these tests pin the stack's tables, queues, event sources and functions (the anchor
 * and the auditor included) to the very same values.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANCHOR_FUNCTION, ANCHORS_TABLE } from '../../definitions/anchor.js';
import { AUDITOR_FUNCTION, AUDITOR_STATE_TABLE } from '../../definitions/auditor.js';
import { parseStackConfig } from '../../infra/config/stack-config.js';
import type { LedgerFunction } from '../../infra/constructs/ledger-function.js';
import {
  EVIDENCE_NOTIFICATION,
  PIPELINE_FUNCTIONS,
  QUEUES,
  SIGNING_KEY,
  TABLES,
} from '../../definitions/pipeline.js';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack.js';
import { synthesizeLedgerStack } from './support/synth-ledger-stack.js';
import {
  getAtt,
  logicalIdOf,
  propertiesOf as propertiesOfResource,
} from './support/template-queries.js';
import { ENV } from '../../definitions/environment.js';
import { OBSERVABILITY_ENV } from '../../definitions/observability.js';

/** Set on every function beside its own variables: source maps, and Powertools' service, namespace and deployment. */
const COMMON_ENV = ['NODE_OPTIONS', ...Object.values(OBSERVABILITY_ENV)];

let stack: EvidenceLedgerStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthesizeLedgerStack());
}, 120_000);

const propertiesOf = (logicalId: string) => propertiesOfResource(template, logicalId);

describe('the stack built from definitions/pipeline.ts', () => {
  it('has exactly the defined tables with the defined key schemas', () => {
    const defined = [...TABLES, ANCHORS_TABLE, AUDITOR_STATE_TABLE];
    expect(stack.tables.size).toBe(defined.length);
    for (const definition of defined) {
      const properties = propertiesOf(logicalIdOf(stack, stack.table(definition).table));
      const keys = [definition.partitionKey, ...(definition.sortKey ? [definition.sortKey] : [])];
      expect(properties.KeySchema).toEqual(
        keys.map((key, index) => ({
          AttributeName: key.name,
          KeyType: index === 0 ? 'HASH' : 'RANGE',
        })),
      );
      expect(properties.AttributeDefinitions).toEqual(
        keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
      );
    }
  });

  it('has the defined queues with their visibility timeouts, receive counts and DLQ retention', () => {
    expect(stack.queues.size).toBe(QUEUES.length);
    for (const definition of QUEUES) {
      const pipelineQueue = stack.queue(definition);
      expect(propertiesOf(logicalIdOf(stack, pipelineQueue.queue))).toMatchObject({
        VisibilityTimeout: definition.visibilityTimeoutSeconds,
        RedrivePolicy: { maxReceiveCount: definition.maxReceiveCount },
      });
      expect(propertiesOf(logicalIdOf(stack, pipelineQueue.deadLetterQueue))).toMatchObject({
        MessageRetentionPeriod: definition.deadLetterRetentionSeconds,
      });
    }
  });

  it('consumes each function’s source queue with the defined batching', () => {
    for (const definition of PIPELINE_FUNCTIONS) {
      const fnId = logicalIdOf(stack, stack.ledgerFunction(definition).function);
      const sourceId = logicalIdOf(stack, stack.queue(definition.source).queue);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnId },
        EventSourceArn: getAtt(sourceId),
        BatchSize: definition.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ...(definition.maxBatchingWindowSeconds > 0
          ? { MaximumBatchingWindowInSeconds: definition.maxBatchingWindowSeconds }
          : {}),
        ...(definition.maxConcurrency === undefined
          ? {}
          : { ScalingConfig: { MaximumConcurrency: definition.maxConcurrency } }),
      });
    }
    expect(Object.keys(template.findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(
      PIPELINE_FUNCTIONS.length,
    );
  });

  it('gives each function the defined timeout, memory and exactly the defined environment names', () => {
    for (const definition of PIPELINE_FUNCTIONS) {
      const properties = propertiesOf(
        logicalIdOf(stack, stack.ledgerFunction(definition).function),
      );
      expect(properties).toMatchObject({
        Timeout: definition.timeoutSeconds,
        MemorySize: definition.memoryMiB,
      });
      const variables = (properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(Object.keys(variables).sort()).toEqual([...definition.env, ...COMMON_ENV].sort());
    }
  });

  it('notifies the defined queue of the defined evidence bucket events', () => {
    const bucketId = logicalIdOf(stack, stack.evidenceBucket.bucket);
    const queueId = logicalIdOf(stack, stack.queue(EVIDENCE_NOTIFICATION.queue).queue);
    expect(propertiesOf(bucketId).NotificationConfiguration).toEqual({
      QueueConfigurations: EVIDENCE_NOTIFICATION.events.map((event) => ({
        Event: event,
        Queue: getAtt(queueId),
      })),
    });
  });

  it('creates signing keys with the defined key spec and usage', () => {
    for (const key of Object.values(stack.signingKeys)) {
      expect(propertiesOf(logicalIdOf(stack, key.key))).toMatchObject({
        KeySpec: SIGNING_KEY.keySpec,
        KeyUsage: SIGNING_KEY.keyUsage,
      });
    }
  });
});

/** The function's environment variables as synthesized, values resolved. */
function variablesOf(fn: LedgerFunction<string>): Record<string, unknown> {
  const properties = propertiesOf(logicalIdOf(stack, fn.function));
  return (properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

describe('the anchor and the auditor built from their definitions', () => {
  it('give the anchor its timeout, memory and reserved concurrency', () => {
    expect(propertiesOf(logicalIdOf(stack, stack.anchorFunction.function))).toMatchObject({
      Timeout: ANCHOR_FUNCTION.timeoutSeconds,
      MemorySize: ANCHOR_FUNCTION.memoryMiB,
      ReservedConcurrentExecutions: ANCHOR_FUNCTION.reservedConcurrency,
    });
  });

  it('schedule the anchor at the definition’s default interval when context sets none', () => {
    expect(parseStackConfig({}).anchorScheduleMinutes).toBe(ANCHOR_FUNCTION.defaultIntervalMinutes);
  });

  it('bind every required anchor variable, and TSA_URL and its certificate as "" when no TSA is configured', () => {
    const variables = variablesOf(stack.anchorFunction);
    expect(Object.keys(variables).sort()).toEqual(
      [...ANCHOR_FUNCTION.requiredEnv, ENV.tsaUrl, ENV.tsaCertificate, ...COMMON_ENV].sort(),
    );
    expect(variables).toMatchObject({
      [ENV.origin]: 'evidence-ledger.example/ledger',
      [ENV.anchorRetentionDays]: '3650',
      [ENV.tsaUrl]: '',
      [ENV.tsaCertificate]: '',
    });
  });

  it('give the auditor its timeout and memory', () => {
    expect(propertiesOf(logicalIdOf(stack, stack.auditorFunction.function))).toMatchObject({
      Timeout: AUDITOR_FUNCTION.timeoutSeconds,
      MemorySize: AUDITOR_FUNCTION.memoryMiB,
    });
  });

  it('bind every required auditor variable, and TSA_CERTIFICATE_PEM as "" when none is configured', () => {
    const variables = variablesOf(stack.auditorFunction);
    expect(Object.keys(variables).sort()).toEqual(
      [...AUDITOR_FUNCTION.requiredEnv, ENV.tsaCertificate, ...COMMON_ENV].sort(),
    );
    expect(variables[ENV.tsaCertificate]).toBe('');
  });
});

/**
 * The handler shells report what they did: each log line of a deposit carries its depositId
 * (and the Lambda context), never another record's, and the invocation ends with EMF lines of
 * the ledger's metrics. Logger and metrics print to stdout, which the tests read.
 */
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { depositIdFor } from '../../../core/deposit-id';
import { METRICS_NAMESPACE } from '../../../definitions/observability';
import { agencySignerHandler } from '../../../functions/agency-signer/agency-signer';
import { appenderHandler } from '../../../functions/appender/appender';
import { custodianSignerHandler } from '../../../functions/custodian-signer/custodian-signer';
import { hasherHandler } from '../../../functions/hasher/hasher';
import { functionLogger } from '../../../functions/shared/logger';
import { FunctionMetrics, functionMetrics } from '../../../functions/shared/metrics';
import type { Observability } from '../../../functions/shared/observability';
import {
  agencyDeps,
  appendDeps,
  approve,
  BUCKET,
  createPipeline,
  custodianDeps,
  noticeFor,
  registerDeps,
  s3EventBody,
  upload,
  type Pipeline,
} from './fixtures';

type Line = Record<string, unknown>;
let printed: Line[];
let p: Pipeline;

beforeEach(async () => {
  // The emulator suites' global setup quiets Powertools to WARN for every worker: these tests
  // read the INFO lines, so they set the level their loggers are built with.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  p = await createPipeline();
  printed = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk)
      .split('\n')
      .filter((l) => l.startsWith('{')))
      printed.push(JSON.parse(line) as Line);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function observability(service: string): Observability {
  return {
    logger: functionLogger(service, {}),
    metrics: new FunctionMetrics({ service, deployment: 'unit-test', publish: true }),
  };
}

function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:111122223333:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `request-${functionName}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function sqsEvent(bodies: readonly string[]): SQSEvent {
  const record = (body: string, i: number): SQSRecord => ({
    messageId: `message-${String(i)}`,
    receiptHandle: `receipt-${String(i)}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:queue',
    awsRegion: 'eu-west-1',
  });
  return { Records: bodies.map(record) };
}

const depositMessage = (depositId: string): string => JSON.stringify({ depositId });

/** The EMF lines printed, as { metric name: values } per dimension set. */
function emf(): { dimensions: Record<string, unknown>; values: Record<string, unknown> }[] {
  return printed
    .filter((line) => line._aws !== undefined)
    .map((line) => {
      const meta = line._aws as {
        CloudWatchMetrics: {
          Namespace: string;
          Dimensions: string[][];
          Metrics: { Name: string }[];
        }[];
      };
      const [directive] = meta.CloudWatchMetrics;
      expect(directive?.Namespace).toBe(METRICS_NAMESPACE);
      const dimensions = Object.fromEntries(
        (directive?.Dimensions[0] ?? []).map((name) => [name, line[name]]),
      );
      const values = Object.fromEntries(
        (directive?.Metrics ?? []).map(({ Name }) => [Name, line[Name]]),
      );
      return { dimensions, values };
    });
}

const logLines = (message: string): Line[] => printed.filter((line) => line.message === message);

describe('the hasher shell', () => {
  it('logs the registered deposit with its depositId and the Lambda context, and emits DepositsRegistered and BytesHashed', async () => {
    const uploaded = p.objects.put('t1-evidence', 'case 1/é+x.bin', 'hello');
    const handler = hasherHandler(registerDeps(p), observability('hasher'));

    await handler(
      sqsEvent([s3EventBody('moto-5.2.5-object-created-put.json')]),
      lambdaContext('hasher'),
    );

    expect(logLines('deposit')).toEqual([
      expect.objectContaining({
        depositId: depositIdFor(uploaded),
        kind: 'registered',
        messageId: 'message-0',
        service: 'hasher',
        function_request_id: 'request-hasher',
      }),
    ]);
    expect(emf()).toEqual([
      {
        dimensions: { service: 'hasher', Deployment: 'unit-test' },
        values: { DepositsRegistered: 1, BytesHashed: 5 },
      },
    ]);
  });
});

describe('the agency signer shell, given a batch of two deposits', () => {
  it('logs each signature with its own depositId, counts both as signed by the agency and reports their ages', async () => {
    const first = await upload(p, 'cases/1/a.bin', 'first'); // Last-Modified 02:32:36
    const second = await upload(p, 'cases/1/b.bin', 'second'); // Last-Modified 02:32:37
    p.clock.advance(90_000); // now 02:34:05.678
    const handler = agencySignerHandler(agencyDeps(p), observability('agency-signer'));

    const response = await handler(
      sqsEvent([depositMessage(first), depositMessage(second)]),
      lambdaContext('agency-signer'),
    );

    expect(response.batchItemFailures).toEqual([]);
    const signed = logLines('signature').map(({ messageId, depositId, outcome }) => ({
      messageId,
      depositId,
      outcome,
    }));
    expect(signed.sort((a, b) => String(a.messageId).localeCompare(String(b.messageId)))).toEqual([
      { messageId: 'message-0', depositId: first, outcome: 'signed' },
      { messageId: 'message-1', depositId: second, outcome: 'signed' },
    ]);
    expect(emf()).toEqual([
      {
        dimensions: { service: 'agency-signer', Deployment: 'unit-test' },
        values: { PendingDepositAge: expect.arrayContaining([89.678, 88.678]) as unknown },
      },
      {
        dimensions: { service: 'agency-signer', Deployment: 'unit-test', Party: 'agency' },
        values: { DepositsSigned: [1, 1] },
      },
    ]);
  });
});

describe('the custodian signer shell, when the bytes changed under the version', () => {
  it('counts the deposit in FailedDeposits with FailureCode DIGEST_MISMATCH', async () => {
    const uploaded = p.objects.put(BUCKET, 'cases/2/x.bin', 'photo of exhibit 7');
    const depositId = (await hasherHandlerOutcome(uploaded)) ?? '';
    await agencySignerHandler(agencyDeps(p), observability('agency-signer'))(
      sqsEvent([depositMessage(depositId)]),
      lambdaContext('a'),
    );
    p.objects.corrupt(uploaded, 'photo of exhibit 8');
    printed = [];

    await custodianSignerHandler(custodianDeps(p), observability('custodian-signer'))(
      sqsEvent([depositMessage(depositId)]),
      lambdaContext('c'),
    );

    expect(logLines('signature')).toEqual([
      expect.objectContaining({ depositId, outcome: 'failed' }),
    ]);
    expect(emf()).toContainEqual({
      dimensions: {
        service: 'custodian-signer',
        Deployment: 'unit-test',
        FailureCode: 'DIGEST_MISMATCH',
      },
      values: { FailedDeposits: 1 },
    });
  });
});

describe('the appender shell', () => {
  it('logs each appended deposit with its depositId and emits DepositsAppended and AppendBatchSize', async () => {
    const ids = [await upload(p, 'cases/3/a.bin', 'a'), await upload(p, 'cases/3/b.bin', 'b')];
    for (const id of ids) await approve(p, id);
    const handler = appenderHandler(appendDeps(p), observability('appender'));

    await handler(sqsEvent(ids.map(depositMessage)), lambdaContext('appender'));

    expect(
      logLines('appended')
        .map((line) => line.depositId)
        .sort(),
    ).toEqual([...ids].sort());
    const metrics = emf().find((line) => line.values.DepositsAppended !== undefined);
    expect(metrics).toEqual({
      dimensions: { service: 'appender', Deployment: 'unit-test' },
      values: expect.objectContaining({ DepositsAppended: 2, AppendBatchSize: 2 }) as unknown,
    });
  });
});

describe('outside Lambda (the local runtime, the demo)', () => {
  it('discards the metrics instead of printing them', () => {
    const metrics = functionMetrics('hasher', {});
    metrics.count('DepositsRegistered');
    metrics.publish();
    expect(emf()).toEqual([]);
  });
});

/** Registers an upload through the hasher shell; its depositId. */
async function hasherHandlerOutcome(
  uploaded: ReturnType<Pipeline['objects']['put']>,
): Promise<string | undefined> {
  const body = JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        eventTime: noticeFor(uploaded).eventTime,
        userIdentity: { principalId: 'AWS:AIDAEXAMPLEUPLOADER' },
        requestParameters: { sourceIPAddress: '203.0.113.7' },
        s3: {
          bucket: { name: uploaded.bucket },
          object: {
            key: encodeURIComponent(uploaded.key),
            size: uploaded.size,
            eTag: uploaded.eTag,
            versionId: uploaded.versionId,
          },
        },
      },
    ],
  });
  await hasherHandler(registerDeps(p), observability('hasher'))(
    sqsEvent([body]),
    lambdaContext('h'),
  );
  return logLines('deposit').at(-1)?.depositId as string | undefined;
}

/**
 * A local stand-in for Lambda's SQS event source mapping: receives a batch from a real
 * (emulated) queue, hands the handler the same SQSEvent Lambda would, deletes the messages
 * the handler did not report as failed, and leaves failed ones to reappear after the
 * visibility timeout and, after maxReceiveCount receives, to move to the dead-letter queue.
 */
import { createHash } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type LocalSqsHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse | void>;

export interface SqsEventSourceOptions {
  readonly functionName: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly handler: LocalSqsHandler;
}

export interface PollResult {
  readonly received: number;
  readonly failed: number;
}

function toRecord(message: Message, options: SqsEventSourceOptions): SQSRecord {
  const attributes = message.Attributes ?? {};
  const body = message.Body ?? '';
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body,
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp:
        attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: options.region,
  };
}

function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 60_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export class SqsEventSource {
  constructor(
    private readonly sqs: SQSClient,
    readonly options: SqsEventSourceOptions,
  ) {}

  private async receive(): Promise<Message[]> {
    const messages: Message[] = [];
    while (messages.length < this.options.batchSize) {
      const { Messages } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: Math.min(10, this.options.batchSize - messages.length),
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (!Messages || Messages.length === 0) break;
      messages.push(...Messages);
    }
    return messages;
  }

  /** One invocation: receive up to batchSize messages and process them. */
  async pollOnce(): Promise<PollResult> {
    const messages = await this.receive();
    if (messages.length === 0) return { received: 0, failed: 0 };
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, this.options)) };
    let failedIds: Set<string>;
    try {
      const response = await this.options.handler(event, lambdaContext(this.options.functionName));
      failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      // An invocation error fails the whole batch, exactly as Lambda treats it.
      failedIds = new Set(messages.map((m) => m.MessageId ?? ''));
    }
    const done = messages.filter((m) => !failedIds.has(m.MessageId ?? ''));
    for (let i = 0; i < done.length; i += 10) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: done
            .slice(i, i + 10)
            .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    return { received: messages.length, failed: failedIds.size };
  }
}

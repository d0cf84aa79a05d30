/**
 * At-least-once delivery, made visible: while the uploads run, this takes messages off the
 * intake queue as a competing consumer, puts each one back unchanged, and for real S3
 * notifications (up to a quota) sends one extra copy. Copies alternate between the body
 * exactly as the emulator sent it (no versionId, which the hasher resolves by ETag) and the
 * body with the versionId real S3 would add, taken from the upload log.
 *
 * Putting a message back is a move, not a duplicate: the pipeline still sees every message
 * once, plus the copies. Continuations the hasher sends itself are moved the same way.
 *
 * A small run can drain the queue before this consumer gets a notification, so whatever is
 * left of the quota when the uploads end is sent as notifications rebuilt from the upload log
 * (the emulator's shape: key, size, ETag), again alternating with and without versionId.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { UploadedVersion } from './uploaders';

export interface InjectedDuplicates {
  withoutVersionId: number;
  withVersionId: number;
}

interface S3Event {
  Records?: { eventSource?: string; s3?: { object?: Record<string, unknown> } }[];
}

function s3Event(body: string): S3Event | null {
  try {
    const event = JSON.parse(body) as S3Event;
    return event.Records?.[0]?.eventSource === 'aws:s3' ? event : null;
  } catch {
    return null;
  }
}

/** The same event with the versionId of an uploaded version of that key and ETag, if known. */
function withVersionId(event: S3Event, versions: readonly UploadedVersion[]): string | null {
  const object = event.Records?.[0]?.s3?.object;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const key = decodeURIComponent(text(object?.key).replace(/\+/g, ' '));
  const eTag = text(object?.eTag).replace(/"/g, '');
  const version = versions.find((v) => v.key === key && v.eTag === eTag);
  if (!object || !version) return null;
  object.versionId = version.versionId;
  return JSON.stringify(event);
}

/** An ObjectCreated:Put notification of `version` as moto sends it (no versionId). */
function rebuiltNotification(bucket: string, version: UploadedVersion): S3Event {
  return {
    Records: [
      {
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        eventTime: new Date().toISOString(),
        s3: {
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeURIComponent(version.key).replace(/%20/g, '+'),
            size: version.size,
            eTag: version.eTag,
          },
        },
      } as NonNullable<S3Event['Records']>[number],
    ],
  };
}

export class DuplicateInjector {
  readonly injected: InjectedDuplicates = { withoutVersionId: 0, withVersionId: 0 };

  constructor(
    private readonly sqs: SQSClient,
    private readonly intakeUrl: string,
    private readonly quota: number,
    private readonly versions: readonly UploadedVersion[],
    private readonly bucket: string,
  ) {}

  private get remaining(): number {
    return this.quota - this.injected.withoutVersionId - this.injected.withVersionId;
  }

  private async put(body: string): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.intakeUrl, MessageBody: body }));
  }

  /** Puts the message back and, for a notification while the quota lasts, one copy. */
  private async handle(message: Message): Promise<void> {
    const body = message.Body ?? '';
    await this.put(body);
    const event = s3Event(body);
    if (!event || this.remaining <= 0) return;
    await this.putCopy(event, body);
  }

  /** One copy of `event`: as it came (no versionId) or with the versionId, in turn. */
  private async putCopy(event: S3Event, body: string): Promise<void> {
    const exact = this.injected.withoutVersionId > this.injected.withVersionId;
    const copy = exact ? withVersionId(event, this.versions) : null;
    await this.put(copy ?? body);
    if (copy) this.injected.withVersionId++;
    else this.injected.withoutVersionId++;
  }

  /** One round: take up to 10 messages, handle them, then delete the originals. */
  private async round(): Promise<void> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.intakeUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
      }),
    );
    for (const message of Messages) await this.handle(message);
    if (Messages.length === 0) return;
    await this.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.intakeUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }

  /**
   * Injects until the quota is met or `stopped()` holds (the uploads ended), pausing
   * `intervalMs` between rounds; then sends the rest of the quota rebuilt from the upload log.
   */
  async run(stopped: () => boolean, intervalMs: number): Promise<void> {
    while (this.remaining > 0 && !stopped()) {
      await this.round();
      await sleep(intervalMs);
    }
    // Evenly spread over the versions uploaded, so the copies are of different objects.
    const step = Math.max(1, Math.floor(this.versions.length / Math.max(1, this.remaining)));
    for (let i = 0; this.remaining > 0 && i < this.versions.length; i += step) {
      const event = rebuiltNotification(this.bucket, this.versions[i]!);
      await this.putCopy(event, JSON.stringify(event));
    }
  }
}

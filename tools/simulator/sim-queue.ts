/**
 * An SQS standard queue in virtual time, with the parts of its contract the pipeline relies
 * on: at-least-once delivery (a send may be delivered twice), no order (a receive takes any
 * visible messages), a visibility timeout (a received message is hidden until it is deleted
 * or the timeout passes), a receive count, and a dead-letter queue that takes a message on
 * the receive after its maxReceiveCount-th (the redrive policy).
 */
import type { SQSRecord } from 'aws-lambda';
import type { QueueDefinition } from '../../definitions/pipeline';
import type { Prng } from '../fakes/prng';

export interface SimMessage {
  readonly id: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  visibleAt: number;
  /** Why its last receive did not delete it: what the DLQ entry will say. */
  lastFailure: string;
}

export interface DeadLetter {
  readonly message: SimMessage;
  readonly reason: string;
}

export class SimQueue {
  private readonly messages: SimMessage[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private sent = 0;

  constructor(
    readonly name: string,
    readonly definition: QueueDefinition,
  ) {}

  send(body: string, now: number): SimMessage {
    this.sent += 1;
    const message: SimMessage = {
      id: `${this.name}-${this.sent}`,
      body,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now,
      lastFailure: 'never received',
    };
    this.messages.push(message);
    return message;
  }

  visible(now: number): SimMessage[] {
    return this.messages.filter((m) => m.visibleAt <= now);
  }

  /** Messages still to be processed, visible or not. */
  get depth(): number {
    return this.messages.length;
  }

  /** When the next hidden message becomes visible again (Infinity if none). */
  nextVisibleAt(now: number): number {
    return Math.min(...this.messages.filter((m) => m.visibleAt > now).map((m) => m.visibleAt));
  }

  /**
   * Receives up to `max` visible messages in random order; a message already received
   * maxReceiveCount times moves to the DLQ instead of being delivered.
   */
  receive(now: number, max: number, prng: Prng): SimMessage[] {
    const received: SimMessage[] = [];
    for (const message of prng.shuffle(this.visible(now))) {
      if (received.length >= max) break;
      if (message.receiveCount >= this.definition.maxReceiveCount) {
        this.remove(message);
        this.deadLetters.push({
          message,
          reason: `received ${message.receiveCount} times; last: ${message.lastFailure}`,
        });
        continue;
      }
      message.receiveCount += 1;
      message.visibleAt = now + this.definition.visibilityTimeoutSeconds * 1000;
      received.push(message);
    }
    return received;
  }

  /** DeleteMessage after success. */
  delete(message: SimMessage): void {
    this.remove(message);
  }

  /** The record Lambda's event source mapping builds for a received message. */
  record(message: SimMessage): SQSRecord {
    return {
      messageId: message.id,
      receiptHandle: `${message.id}#${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'simulator',
        ApproximateFirstReceiveTimestamp: String(message.sentAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:eu-west-1:000000000000:${this.name}`,
      awsRegion: 'eu-west-1',
    };
  }

  private remove(message: SimMessage): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }
}

/**
 * The stage queue's contract (core/pipeline/stage-queue.ts), run against RecordingQueue and
 * SqsStageQueue: every deposit id sent arrives, as often as it was sent. On SQS each body is
 * read with the stage's own parser (parseDepositMessage), so the message shape is checked too.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { StageQueue } from '../../core/pipeline/stage-queue';
import { freshDeposit } from './fixtures';

export interface QueueSubject {
  readonly queue: StageQueue;
  /** The deposit ids of the messages `count` sends delivered (SQS: received and deleted). */
  received(count: number): Promise<string[]>;
}

export function describeStageQueueContract(
  name: string,
  makeSubject: () => Promise<QueueSubject>,
): void {
  describe(`the stage queue contract on ${name}`, () => {
    let subject: QueueSubject;
    beforeEach(async () => {
      subject = await makeSubject();
    });

    it('delivers every deposit id sent, a repeated one as often as it was sent', async () => {
      const [a, b, c] = [freshDeposit(), freshDeposit(), freshDeposit()].map((d) => d.depositId);
      const sent = [a!, b!, a!, c!];
      for (const id of sent) await subject.queue.send(id);

      expect((await subject.received(sent.length)).sort()).toEqual([...sent].sort());
    });

    it('delivers messages sent at once', async () => {
      const ids = Array.from({ length: 12 }, () => freshDeposit().depositId);
      await Promise.all(ids.map((id) => subject.queue.send(id)));
      expect((await subject.received(ids.length)).sort()).toEqual([...ids].sort());
    });
  });
}

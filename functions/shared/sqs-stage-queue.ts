import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StageQueue } from '../../core/pipeline/stage-queue';

/** Hands a deposit to the next stage. The message names the deposit; the state is in DynamoDB. */
export class SqsStageQueue implements StageQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(depositId: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify({ depositId }) }),
    );
  }
}

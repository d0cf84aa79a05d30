import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StageQueue } from '../../core/pipeline/stage-queue';
import { awsCall } from './aws-errors';

/** Hands a deposit to the next stage. The message names the deposit; the state is in DynamoDB. */
export class SqsStageQueue implements StageQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(depositId: string): Promise<void> {
    const command = new SendMessageCommand({
      QueueUrl: this.queueUrl,
      MessageBody: JSON.stringify({ depositId }),
    });
    await awsCall('SQS SendMessage', { queueUrl: this.queueUrl, depositId }, () =>
      this.sqs.send(command),
    );
  }
}

import { Aws, Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IDependable } from 'constructs';
import { Construct } from 'constructs';
import type { QueueDefinition } from '../definitions.js';
import { deadLetterDepthAlarm } from './alarms.js';

export interface PipelineQueueProps {
  readonly definition: QueueDefinition;
  readonly alarmAction?: IAlarmAction | undefined;
}

/**
 * A pipeline stage's queue and its dead-letter queue, both from the definition, both
 * encrypted (SSE-SQS, which S3 notifications can write to without a key policy) and
 * TLS-only, with an alarm as soon as one message lands in the dead-letter queue.
 */
export class PipelineQueue extends Construct {
  readonly definition: QueueDefinition;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: PipelineQueueProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.deadLetterQueue = new Queue(this, 'DeadLetter', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(definition.deadLetterRetentionSeconds),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
    });
    this.deadLetterAlarm = deadLetterDepthAlarm(
      this,
      this.deadLetterQueue,
      `${definition.id}: a message reached the dead-letter queue`,
      props.alarmAction,
    );
  }

  /** sqs:SendMessage (and the queue's URL/attributes) for the stage that feeds this queue. */
  grantSend(grantee: IGrantable): Grant {
    return this.queue.grantSendMessages(grantee);
  }

  /**
   * Lets S3 deliver a bucket's event notifications here. The bucket is named by ARN,
   * not by reference, so the bucket can depend on this policy (S3 tests the destination
   * when the notification is created) without a dependency cycle.
   */
  allowS3Notifications(bucketArn: string): IDependable {
    const { policyDependable } = this.queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowEvidenceBucketNotifications',
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': bucketArn },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    if (policyDependable === undefined) throw new Error('the queue has no resource policy');
    return policyDependable;
  }
}

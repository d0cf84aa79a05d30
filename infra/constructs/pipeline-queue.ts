import { Aws, Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Grant, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IDependable } from 'constructs';
import { Construct } from 'constructs';
import type { QueueDefinition } from '../../definitions/pipeline.js';
import { deadLetterDepthAlarm } from './alarms.js';
import type { CrossAccountRoles } from './cross-account.js';
import { crossAccountStatement } from './cross-account.js';

export interface PipelineQueueProps {
  readonly definition: QueueDefinition;
  readonly alarmAction?: IAlarmAction | undefined;
  /** A fixed name, for a queue another account's policies name (two-account mode); its DLQ gets `-dlq`. */
  readonly queueName?: string | undefined;
}

/** A queue a function sends to: its URL goes in the environment. */
export interface QueueTarget {
  readonly queueUrl: string;
  grantSend(grantee: IGrantable): unknown;
}

/** What a sender needs (the SDK's SendMessage with a queue URL): nothing else. */
const SEND_ACTIONS = ['sqs:SendMessage'];

/**
 * A pipeline stage's queue and its dead-letter queue, both from the definition, both
 * encrypted (SSE-SQS, which S3 notifications can write to without a key policy) and
 * TLS-only, with an alarm as soon as one message lands in the dead-letter queue.
 */
export class PipelineQueue extends Construct implements QueueTarget {
  readonly definition: QueueDefinition;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: PipelineQueueProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    const named = (suffix: string) =>
      props.queueName === undefined ? {} : { queueName: `${props.queueName}${suffix}` };
    this.deadLetterQueue = new Queue(this, 'DeadLetter', {
      ...named('-dlq'),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(definition.deadLetterRetentionSeconds),
    });
    this.queue = new Queue(this, 'Queue', {
      ...named(''),
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

  get queueUrl(): string {
    return this.queue.queueUrl;
  }

  /** sqs:SendMessage (and the queue's URL/attributes) for the stage that feeds this queue. */
  grantSend(grantee: IGrantable): Grant {
    return this.queue.grantSendMessages(grantee);
  }

  /** The queue-policy half of sqs:SendMessage for roles of another account (two-account mode). */
  allowSendFrom(sid: string, roles: CrossAccountRoles): void {
    this.queue.addToResourcePolicy(
      crossAccountStatement({
        sid,
        roles,
        actions: SEND_ACTIONS,
        resources: [this.queue.queueArn],
      }),
    );
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

/** A queue in another account, named by the URL and ARN built from its fixed name. */
export class RemoteQueue implements QueueTarget {
  constructor(
    readonly queueUrl: string,
    readonly queueArn: string,
  ) {}

  /** The identity-policy half: sqs:SendMessage on that one queue. */
  grantSend(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: SEND_ACTIONS, resourceArns: [this.queueArn] });
  }
}

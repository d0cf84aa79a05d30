import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterDepthAlarm } from './alarms.js';

/** Delivery retries by EventBridge before an event goes to the dead-letter queue. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;

const FOURTEEN_DAYS = Duration.days(14);

export interface FunctionScheduleProps {
  readonly target: IFunction;
  readonly intervalMinutes: number;
  readonly description: string;
  readonly alarmAction?: IAlarmAction | undefined;
}

/**
 * An EventBridge rule that invokes a function every N minutes. A delivery EventBridge
 * cannot make (throttled, function missing, permission lost) is retried and then kept in
 * an encrypted, TLS-only dead-letter queue that alarms on its first message. An event is
 * not worth delivering after the next one is due, so that is its maximum age.
 */
export class FunctionSchedule extends Construct {
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: FunctionScheduleProps) {
    super(scope, id);
    const interval = Duration.minutes(props.intervalMinutes);
    this.deadLetterQueue = new Queue(this, 'DeadLetter', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: FOURTEEN_DAYS,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of an EventBridge target; SQS does not know it as a DLQ, and a DLQ needs none of its own.',
    });
    this.rule = new Rule(this, 'Rule', {
      description: props.description,
      schedule: Schedule.rate(interval),
      targets: [
        new LambdaFunction(props.target, {
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: interval,
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
    this.deadLetterAlarm = deadLetterDepthAlarm(
      this,
      this.deadLetterQueue,
      `${props.description}: a scheduled invocation could not be delivered`,
      props.alarmAction,
    );
  }
}

import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction, IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** One period of one minute: the pipeline's alarms page on the first bad datapoint. */
export const ALARM_PERIOD = Duration.minutes(1);

/**
 * An alarm that fires as soon as the metric is above zero: an error, a throttle or a
 * message in a dead-letter queue each means a deposit is not moving through the pipeline.
 */
export function anyAboveZeroAlarm(
  scope: Construct,
  id: string,
  metric: IMetric,
  description: string,
  action: IAlarmAction | undefined,
): Alarm {
  const alarm = new Alarm(scope, id, {
    metric,
    alarmDescription: description,
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  if (action !== undefined) alarm.addAlarmAction(action);
  return alarm;
}

/** Fires as soon as one message is visible in a dead-letter queue. */
export function deadLetterDepthAlarm(
  scope: Construct,
  deadLetterQueue: IQueue,
  description: string,
  action: IAlarmAction | undefined,
): Alarm {
  return anyAboveZeroAlarm(
    scope,
    'DeadLetterDepthAlarm',
    deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: ALARM_PERIOD,
      statistic: 'Maximum',
    }),
    description,
    action,
  );
}

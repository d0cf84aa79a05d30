import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { StorageKey } from './storage-key.js';

export interface AlarmTopicProps {
  /** Subscribe this address to a topic the stack creates. */
  readonly alarmEmail?: string | undefined;
  /** Or publish to an existing topic (e.g. the organisation's on-call topic). */
  readonly alarmTopicArn?: string | undefined;
  readonly storageKey: StorageKey;
}

/**
 * Where the alarms go: an existing topic, a new encrypted TLS-only topic with an email
 * subscription, or nowhere (the alarms still show in CloudWatch).
 */
export function alarmTopic(scope: Construct, props: AlarmTopicProps): ITopic | undefined {
  if (props.alarmTopicArn !== undefined) {
    return Topic.fromTopicArn(scope, 'AlarmTopic', props.alarmTopicArn);
  }
  if (props.alarmEmail === undefined) return undefined;
  const topic = new Topic(scope, 'AlarmTopic', {
    displayName: 'Evidence ledger alarms',
    masterKey: props.storageKey.key,
    enforceSSL: true,
  });
  // CloudWatch publishes to the encrypted topic, so it needs the key's data keys.
  props.storageKey.key.grant(
    new ServicePrincipal('cloudwatch.amazonaws.com'),
    'kms:Decrypt',
    'kms:GenerateDataKey',
  );
  topic.addSubscription(new EmailSubscription(props.alarmEmail));
  return topic;
}

export const alarmActionFor = (topic: ITopic | undefined): IAlarmAction | undefined =>
  topic === undefined ? undefined : new SnsAction(topic);

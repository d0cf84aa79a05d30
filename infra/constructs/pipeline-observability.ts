import { Duration } from 'aws-cdk-lib';
import type { IAlarm, IAlarmAction, IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  ALARMED_FAILURE_CODES,
  DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  PIPELINE_SERVICES,
  serviceName,
  type MetricName,
} from '../../definitions/observability.js';
import { ANCHOR_FUNCTION } from '../../definitions/anchor.js';
import {
  AGENCY_SIGNER_FUNCTION,
  APPENDER_FUNCTION,
  CUSTODIAN_SIGNER_FUNCTION,
  HASHER_FUNCTION,
} from '../../definitions/pipeline.js';
import { ALARM_PERIOD, anyAboveZeroAlarm } from './alarms.js';

export interface ObservabilityThresholds {
  /** Alarm when a deposit still pending was uploaded longer ago than this. */
  readonly pendingDepositAlarmMinutes: number;
  /** Alarm when the anchor published nothing for this many intervals while records waited. */
  readonly anchorStalledIntervals: number;
}

export interface PipelineObservabilityProps {
  /** The Deployment dimension of the metrics: the stack's name (infra/constructs/ledger-function.ts). */
  readonly deployment: string;
  readonly anchorIntervalMinutes: number;
  readonly thresholds: ObservabilityThresholds;
  readonly alarmAction: IAlarmAction | undefined;
  /** Alarms built elsewhere (function errors, dead-letter queues) shown on the dashboard too. */
  readonly otherAlarms: readonly IAlarm[];
}

const DASHBOARD_PERIOD = Duration.minutes(5);
const ANCHOR_SERVICE = serviceName(ANCHOR_FUNCTION.id);
const HASHER = serviceName(HASHER_FUNCTION.id);
const AGENCY_SIGNER = serviceName(AGENCY_SIGNER_FUNCTION.id);
const CUSTODIAN_SIGNER = serviceName(CUSTODIAN_SIGNER_FUNCTION.id);
const APPENDER = serviceName(APPENDER_FUNCTION.id);

/**
 * The pipeline's own alarms and its dashboard, over the metrics the handlers emit
 * (definitions/observability.ts). Every metric carries the emitting function as its `service`
 * dimension, so a metric several stages emit is watched as the sum (or maximum) of theirs.
 */
export class PipelineObservability extends Construct {
  /** One per alarmed failure code: any deposit failed with it. */
  readonly failureAlarms: Readonly<Record<(typeof ALARMED_FAILURE_CODES)[number], Alarm>>;
  readonly pendingDepositAlarm: Alarm;
  readonly anchorStalledAlarm: Alarm;
  readonly dashboard: Dashboard;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: PipelineObservabilityProps,
  ) {
    super(scope, id);
    const action = props.alarmAction;
    this.failureAlarms = Object.fromEntries(
      ALARMED_FAILURE_CODES.map((code) => [
        code,
        anyAboveZeroAlarm(
          this,
          `Failed${pascal(code)}Alarm`,
          this.acrossStages(METRIC.failedDeposits, 'Sum', ALARM_PERIOD, {
            [DIMENSION.failureCode]: code,
          }),
          `A deposit failed with ${code}`,
          action,
        ),
      ]),
    ) as PipelineObservability['failureAlarms'];
    this.pendingDepositAlarm = this.pendingAlarm(props.thresholds.pendingDepositAlarmMinutes);
    this.anchorStalledAlarm = this.stalledAlarm(
      props.anchorIntervalMinutes,
      props.thresholds.anchorStalledIntervals,
    );
    this.dashboard = this.pipelineDashboard();
  }

  /** The ledger's metric `name` as the function `service` emits it. */
  metric(
    name: MetricName,
    service: string,
    statistic: string,
    period: Duration,
    dimensions: Record<string, string> = {},
  ): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: {
        [DIMENSION.deployment]: this.props.deployment,
        [DIMENSION.service]: service,
        ...dimensions,
      },
      statistic,
      period,
    });
  }

  /** `name` over the four pipeline stages: their sum (or, for Maximum, their maximum). */
  private acrossStages(
    name: MetricName,
    statistic: 'Sum' | 'Maximum',
    period: Duration,
    dimensions: Record<string, string> = {},
  ): MathExpression {
    const usingMetrics = Object.fromEntries(
      PIPELINE_SERVICES.map((service, i) => [
        `s${String(i)}`,
        this.metric(name, service, statistic, period, dimensions),
      ]),
    );
    const series = Object.keys(usingMetrics)
      .map((key) => `FILL(${key}, 0)`)
      .join(', ');
    return new MathExpression({
      expression: statistic === 'Sum' ? `SUM([${series}])` : `MAX([${series}])`,
      usingMetrics,
      period,
      label: `${name}${Object.values(dimensions)
        .map((value) => ` ${value}`)
        .join('')}`,
    });
  }

  /** The oldest pending deposit any stage read in the last 5 minutes is older than the limit. */
  private pendingAlarm(minutes: number): Alarm {
    return this.alarm('PendingDepositAgeAlarm', {
      metric: this.acrossStages(METRIC.pendingDepositAge, 'Maximum', DASHBOARD_PERIOD),
      threshold: minutes * 60,
      evaluationPeriods: 1,
      description: `A deposit uploaded more than ${String(minutes)} minutes ago is still not appended`,
    });
  }

  /**
   * In each of `intervals` anchor intervals in a row, records waited for a checkpoint (the
   * least any run saw was above zero) and no checkpoint was published.
   */
  private stalledAlarm(intervalMinutes: number, intervals: number): Alarm {
    const period = Duration.minutes(intervalMinutes);
    return this.alarm('AnchorStalledAlarm', {
      metric: new MathExpression({
        expression: 'IF(FILL(waiting, 0) > 0 AND FILL(published, 0) == 0, 1, 0)',
        usingMetrics: {
          waiting: this.metric(METRIC.recordsAwaitingCheckpoint, ANCHOR_SERVICE, 'Minimum', period),
          published: this.metric(METRIC.checkpointsPublished, ANCHOR_SERVICE, 'Sum', period),
        },
        period,
        label: 'Anchor intervals with records waiting and no checkpoint',
      }),
      threshold: 1,
      evaluationPeriods: intervals,
      description: `The anchor published no checkpoint for ${String(intervals)} intervals of ${String(intervalMinutes)} minutes while records were waiting`,
    });
  }

  private alarm(
    id: string,
    options: { metric: IMetric; threshold: number; evaluationPeriods: number; description: string },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods,
      datapointsToAlarm: options.evaluationPeriods,
      comparisonOperator:
        options.threshold === 1
          ? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
          : ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: options.description,
      // No data means no run of a stage read a pending deposit, or no anchor run: the
      // function error, throttle and dead-letter alarms cover a stage that does not run.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (this.props.alarmAction !== undefined) alarm.addAlarmAction(this.props.alarmAction);
    return alarm;
  }

  /** Every metric `name` of this deployment, one line per value of `dimension` (dashboards only). */
  private search(name: MetricName, dimension: string, label: string): MathExpression {
    const { deployment } = this.props;
    return new MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${DIMENSION.deployment},${dimension},${DIMENSION.service}} ${DIMENSION.deployment}="${deployment}" MetricName="${name}"', 'Sum', ${String(DASHBOARD_PERIOD.toSeconds())})`,
      usingMetrics: {},
      period: DASHBOARD_PERIOD,
      label,
    });
  }

  private pipelineDashboard(): Dashboard {
    const p = DASHBOARD_PERIOD;
    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${this.props.deployment}-pipeline`,
    });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 8, height: 6 });
    const party = (role: string) => ({ [DIMENSION.party]: role });
    dashboard.addWidgets(
      graph('Deposits per stage (per 5 min)', [
        this.metric(METRIC.depositsRegistered, HASHER, 'Sum', p).with({ label: 'registered' }),
        this.metric(METRIC.depositsSigned, AGENCY_SIGNER, 'Sum', p, party('agency')).with({
          label: 'signed by the agency',
        }),
        this.metric(METRIC.depositsSigned, CUSTODIAN_SIGNER, 'Sum', p, party('custodian')).with({
          label: 'signed by the custodian',
        }),
        this.metric(METRIC.depositsAppended, APPENDER, 'Sum', p).with({ label: 'appended' }),
      ]),
      graph('Failed deposits by code', [
        this.search(METRIC.failedDeposits, DIMENSION.failureCode, 'failed'),
      ]),
      graph('Oldest pending deposit (s)', [
        this.acrossStages(METRIC.pendingDepositAge, 'Maximum', p),
      ]),
    );
    dashboard.addWidgets(
      graph('Append batch size', [
        this.metric(METRIC.appendBatchSize, APPENDER, 'Average', p).with({ label: 'average' }),
        this.metric(METRIC.appendBatchSize, APPENDER, 'Maximum', p).with({ label: 'largest' }),
      ]),
      graph('Bytes hashed', [
        this.metric(METRIC.bytesHashed, HASHER, 'Sum', p).with({ label: HASHER }),
        this.metric(METRIC.bytesHashed, CUSTODIAN_SIGNER, 'Sum', p).with({
          label: 'custodian re-hash',
        }),
      ]),
      graph(
        'Anchor',
        [
          this.metric(METRIC.anchoredRecords, ANCHOR_SERVICE, 'Sum', p).with({
            label: 'records anchored',
          }),
          this.metric(METRIC.recordsAwaitingCheckpoint, ANCHOR_SERVICE, 'Maximum', p).with({
            label: 'records waiting',
          }),
        ],
        [
          this.metric(METRIC.checkpointsPublished, ANCHOR_SERVICE, 'Sum', p).with({
            label: 'checkpoints published',
          }),
          this.metric(METRIC.checkpointAge, ANCHOR_SERVICE, 'Maximum', p).with({
            label: 'checkpoint age (s)',
          }),
        ],
      ),
    );
    dashboard.addWidgets(
      graph('Co-signer refusals by code', [
        this.search(METRIC.cosignerRefusals, DIMENSION.failureCode, 'refused'),
      ]),
      new AlarmStatusWidget({
        title: 'Alarms',
        width: 16,
        height: 6,
        alarms: [
          ...Object.values(this.failureAlarms),
          this.pendingDepositAlarm,
          this.anchorStalledAlarm,
          ...this.props.otherAlarms,
        ],
      }),
    );
    return dashboard;
  }
}

/** DIGEST_MISMATCH → DigestMismatch, for construct ids. */
function pascal(code: string): string {
  return code
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

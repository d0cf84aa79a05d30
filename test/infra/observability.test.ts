/**
 * The stack watches the metrics the handlers emit (definitions/observability.ts): alarms on
 * failed deposits by code, on old pending deposits and on a stalled anchor, a dashboard of
 * the pipeline, and every function traced and named for Powertools.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALARMED_FAILURE_CODES,
  DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  OBSERVABILITY_ENV,
  PIPELINE_SERVICES,
  serviceName,
} from '../../definitions/observability.js';
import type { LedgerFunction } from '../../infra/constructs/ledger-function.js';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack.js';
import { synthesizeLedgerStack } from './support/synth-ledger-stack.js';
import { logicalIdOf, propertiesOf, type CfnResourceJson } from './support/template-queries.js';
import type { Template } from 'aws-cdk-lib/assertions';

interface MetricStatJson {
  readonly Id: string;
  readonly Expression?: string;
  readonly MetricStat?: {
    readonly Metric: {
      readonly Namespace: string;
      readonly MetricName: string;
      readonly Dimensions: { Name: string; Value: unknown }[];
    };
    readonly Period: number;
    readonly Stat: string;
  };
}

const DEPLOYMENT = 'obs-test';
let stack: EvidenceLedgerStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthesizeLedgerStack({
    context: {
      deploymentName: DEPLOYMENT,
      alarmEmail: 'oncall@example.org',
      pendingDepositAlarmMinutes: '45',
      anchorStalledIntervals: '4',
    },
  }));
}, 120_000);

function alarmOf(construct: Parameters<typeof logicalIdOf>[1]): Record<string, unknown> {
  return propertiesOf(template, logicalIdOf(stack, construct));
}

/** The metrics an alarm's math expression reads, as dimension maps keyed by metric name. */
function metricsRead(
  alarm: Record<string, unknown>,
): { name: string; stat: string; period: number; dimensions: Record<string, unknown> }[] {
  return (alarm.Metrics as MetricStatJson[])
    .flatMap((entry) =>
      entry.MetricStat
        ? [
            {
              name: entry.MetricStat.Metric.MetricName,
              stat: entry.MetricStat.Stat,
              period: entry.MetricStat.Period,
              dimensions: Object.fromEntries(
                entry.MetricStat.Metric.Dimensions.map((d) => [d.Name, d.Value]),
              ),
              namespace: entry.MetricStat.Metric.Namespace,
            },
          ]
        : [],
    )
    .map((metric) => {
      expect(metric.namespace).toBe(METRICS_NAMESPACE);
      return metric;
    });
}

const expressionOf = (alarm: Record<string, unknown>): string =>
  (alarm.Metrics as MetricStatJson[]).find((entry) => entry.Expression !== undefined)?.Expression ??
  '';

describe('the failed-deposit alarms', () => {
  it.each(ALARMED_FAILURE_CODES)('fire on the first deposit any stage fails with %s', (code) => {
    const alarm = alarmOf(stack.observability.failureAlarms[code]);
    expect(alarm).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
    });
    expect(expressionOf(alarm)).toMatch(/^SUM\(/);
    const read = metricsRead(alarm);
    expect(read.map((m) => m.dimensions[DIMENSION.service]).sort()).toEqual(
      [...PIPELINE_SERVICES].sort(),
    );
    for (const metric of read) {
      expect(metric).toMatchObject({ name: METRIC.failedDeposits, stat: 'Sum', period: 60 });
      expect(metric.dimensions).toMatchObject({
        [DIMENSION.deployment]: DEPLOYMENT,
        [DIMENSION.failureCode]: code,
      });
    }
  });

  it('notify the alarm topic', () => {
    for (const alarm of Object.values(stack.observability.failureAlarms)) {
      expect(alarmOf(alarm).AlarmActions).toHaveLength(1);
    }
  });
});

describe('the pending-deposit alarm', () => {
  it('fires when the oldest pending deposit any stage read is older than the configured minutes', () => {
    const alarm = alarmOf(stack.observability.pendingDepositAlarm);
    expect(alarm).toMatchObject({
      Threshold: 45 * 60,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(expressionOf(alarm)).toMatch(/^MAX\(/);
    const read = metricsRead(alarm);
    expect(read).toHaveLength(PIPELINE_SERVICES.length);
    for (const metric of read)
      expect(metric).toMatchObject({ name: METRIC.pendingDepositAge, stat: 'Maximum' });
  });
});

describe('the stalled-anchor alarm', () => {
  it('fires after the configured number of anchor intervals with records waiting and no checkpoint', () => {
    const alarm = alarmOf(stack.observability.anchorStalledAlarm);
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 4,
      DatapointsToAlarm: 4,
    });
    expect(expressionOf(alarm)).toBe('IF(FILL(waiting, 0) > 0 AND FILL(published, 0) == 0, 1, 0)');
    const read = metricsRead(alarm);
    const anchor = serviceName('Anchor');
    expect(
      read
        .map(({ name, stat, period, dimensions }) => ({
          name,
          stat,
          period,
          service: dimensions[DIMENSION.service],
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual([
      { name: METRIC.checkpointsPublished, stat: 'Sum', period: 15 * 60, service: anchor },
      { name: METRIC.recordsAwaitingCheckpoint, stat: 'Minimum', period: 15 * 60, service: anchor },
    ]);
  });

  it('cannot be configured to look back more than the one day CloudWatch evaluates', () => {
    expect(() =>
      synthesizeLedgerStack({
        context: { anchorScheduleMinutes: '720', anchorStalledIntervals: '3' },
      }),
    ).toThrow(/anchorStalledIntervals/);
  });
});

describe('the pipeline dashboard', () => {
  let body: string;
  beforeAll(() => {
    const dashboards = Object.values(
      template.findResources('AWS::CloudWatch::Dashboard'),
    ) as CfnResourceJson[];
    expect(dashboards).toHaveLength(1);
    body = JSON.stringify(dashboards[0]?.Properties);
  });

  it('is named after the deployment', () => {
    expect(body).toContain(`${DEPLOYMENT}-pipeline`);
  });

  it.each(Object.values(METRIC).filter((name) => name !== METRIC.checkpointsCosigned))(
    'draws %s',
    (name) => {
      expect(body).toContain(name);
    },
  );

  it('shows every alarm of the pipeline', () => {
    const alarms = [
      ...Object.values(stack.observability.failureAlarms),
      stack.observability.pendingDepositAlarm,
      stack.observability.anchorStalledAlarm,
      ...[...stack.queues.values()].map((queue) => queue.deadLetterAlarm),
      stack.anchorFunction.errorAlarm,
    ];
    for (const alarm of alarms) expect(body).toContain(logicalIdOf(stack, alarm));
  });
});

describe('every function', () => {
  const functions = (): LedgerFunction<string>[] => [
    ...stack.functions.values(),
    ...Object.values(stack.cosigners),
    stack.anchorFunction,
    stack.auditorFunction,
  ];

  it('has active tracing', () => {
    for (const fn of functions()) {
      expect(propertiesOf(template, logicalIdOf(stack, fn.function)).TracingConfig).toEqual({
        Mode: 'Active',
      });
    }
  });

  it('names its Powertools service, the metrics namespace and the deployment', () => {
    const services = functions().map((fn) => {
      const { Variables } = propertiesOf(template, logicalIdOf(stack, fn.function)).Environment as {
        Variables: Record<string, unknown>;
      };
      expect(Variables).toMatchObject({
        [OBSERVABILITY_ENV.serviceName]: serviceName(fn.definition.id),
        [OBSERVABILITY_ENV.metricsNamespace]: METRICS_NAMESPACE,
        [OBSERVABILITY_ENV.deployment]: DEPLOYMENT,
      });
      return Variables[OBSERVABILITY_ENV.serviceName];
    });
    expect(services).toEqual(
      expect.arrayContaining([
        ...PIPELINE_SERVICES,
        'anchor',
        'auditor',
        'agency-cosigner',
        'custodian-cosigner',
      ]),
    );
  });
});

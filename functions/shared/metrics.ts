/**
 * A function's metrics, written to stdout in CloudWatch's embedded metric format (EMF) by
 * Powertools Metrics and published once per invocation. EMF gives every metric of a line
 * the same dimensions, so each dimension set (FailureCode=…, Party=…) has its own Powertools
 * instance; all are flushed together. Every metric carries the `service` dimension (the
 * function) and, when the stack names it, `Deployment`.
 *
 * Outside Lambda (the local runtime, the demo, the tests) metrics are discarded unless
 * `publish` is set, as the Powertools Tracer disables itself there: the demo's output stays
 * readable and a test that wants the EMF lines asks for them.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as Unit } from '@aws-lambda-powertools/metrics/types';
import {
  DIMENSION,
  METRICS_NAMESPACE,
  OBSERVABILITY_ENV,
  type MetricName,
} from '../../definitions/observability';

type Environment = Readonly<Record<string, string | undefined>>;
type Dimensions = Readonly<Record<string, string>>;

export interface FunctionMetricsOptions {
  readonly service: string;
  readonly namespace?: string;
  /** The Deployment dimension; none when unset. */
  readonly deployment?: string | undefined;
  /** Print the EMF lines (in Lambda) or discard them (elsewhere). */
  readonly publish: boolean;
}

export class FunctionMetrics {
  private readonly byDimensions = new Map<string, Metrics>();

  constructor(private readonly options: FunctionMetricsOptions) {}

  count(name: MetricName, value = 1, dimensions: Dimensions = {}): void {
    this.add(name, MetricUnit.Count, value, dimensions);
  }

  seconds(name: MetricName, value: number, dimensions: Dimensions = {}): void {
    this.add(name, MetricUnit.Seconds, value, dimensions);
  }

  bytes(name: MetricName, value: number, dimensions: Dimensions = {}): void {
    this.add(name, MetricUnit.Bytes, value, dimensions);
  }

  /** Publishes (or, outside Lambda, discards) what this invocation recorded. */
  publish(): void {
    for (const metrics of this.byDimensions.values()) {
      if (!metrics.hasStoredMetrics()) continue;
      if (this.options.publish) metrics.publishStoredMetrics();
      else metrics.clearMetrics();
    }
  }

  private add(name: MetricName, unit: Unit, value: number, dimensions: Dimensions): void {
    this.instance(dimensions).addMetric(name, unit, value);
  }

  private instance(dimensions: Dimensions): Metrics {
    const key = JSON.stringify(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
    const existing = this.byDimensions.get(key);
    if (existing) return existing;
    const { deployment } = this.options;
    const metrics = new Metrics({
      namespace: this.options.namespace ?? METRICS_NAMESPACE,
      serviceName: this.options.service,
      defaultDimensions: {
        ...(deployment ? { [DIMENSION.deployment]: deployment } : {}),
        ...dimensions,
      },
    });
    this.byDimensions.set(key, metrics);
    return metrics;
  }
}

/** The metrics of the function named by the stack's environment; `fallbackService` outside Lambda. */
export function functionMetrics(
  fallbackService: string,
  environment: Environment = process.env,
): FunctionMetrics {
  return new FunctionMetrics({
    service: environment[OBSERVABILITY_ENV.serviceName] || fallbackService,
    namespace: environment[OBSERVABILITY_ENV.metricsNamespace] || METRICS_NAMESPACE,
    deployment: environment[OBSERVABILITY_ENV.deployment] || undefined,
    publish: environment.AWS_LAMBDA_FUNCTION_NAME !== undefined,
  });
}

/**
 * What every handler shell reports through: Powertools Logger (with the Lambda context) and
 * the function's metrics, published at the end of each invocation, returned or thrown.
 * Handlers take it as an argument so a test can hand in its own and read what was reported.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { functionLogger } from './logger';
import { functionMetrics, type FunctionMetrics } from './metrics';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: FunctionMetrics;
}

export function functionObservability(fallbackService: string): Observability {
  return { logger: functionLogger(fallbackService), metrics: functionMetrics(fallbackService) };
}

/** Lambda's context, as opposed to the partial one a test or the local runtime may pass. */
const isLambdaContext = (context: object | undefined): context is Context =>
  context !== undefined && 'awsRequestId' in context && 'invokedFunctionArn' in context;

/**
 * One invocation of `handler`: the Lambda context on every log line (a test or the local
 * runtime may call without one), the metrics published when it ends.
 */
export function observedInvocation<E, C extends object | undefined, R>(
  { logger, metrics }: Observability,
  handler: (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  return async (event, context) => {
    if (isLambdaContext(context)) logger.addContext(context);
    try {
      return await handler(event, context);
    } finally {
      metrics.publish();
    }
  };
}

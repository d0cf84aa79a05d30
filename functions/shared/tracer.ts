/**
 * The Powertools Tracer of a function, for its AWS SDK clients (createAwsClients). The stack
 * turns on active tracing for every function (infra/constructs/ledger-function.ts); outside
 * Lambda the Tracer disables itself, and POWERTOOLS_TRACE_ENABLED=false turns it off in Lambda.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { OBSERVABILITY_ENV } from '../../definitions/observability';

export function functionTracer(
  fallbackService: string,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): Tracer {
  return new Tracer({
    serviceName: environment[OBSERVABILITY_ENV.serviceName] || fallbackService,
    // Not in Lambda (a script importing a handler): never reach for an X-Ray daemon.
    ...(environment.AWS_LAMBDA_FUNCTION_NAME === undefined ? { enabled: false } : {}),
  });
}

/** Handlers report through Powertools; in the simulator nothing is printed or published. */
import { Logger } from '@aws-lambda-powertools/logger';
import { FunctionMetrics } from '../../functions/shared/metrics';
import type { Observability } from '../../functions/shared/observability';

export function silentObservability(service: string): Observability {
  return {
    logger: new Logger({ serviceName: service, logLevel: 'SILENT' }),
    metrics: new FunctionMetrics({ service, publish: false }),
  };
}

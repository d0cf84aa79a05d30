import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per function; level from POWERTOOLS_LOG_LEVEL (INFO by default). */
export function functionLogger(serviceName: string): Logger {
  return new Logger({ serviceName: `evidence-ledger-${serviceName}` });
}

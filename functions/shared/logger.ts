import { Logger } from '@aws-lambda-powertools/logger';
import { OBSERVABILITY_ENV } from '../../definitions/observability';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * One structured logger per function; level from POWERTOOLS_LOG_LEVEL (INFO by default).
 * The service name is the stack's POWERTOOLS_SERVICE_NAME (both co-signers run one handler),
 * `fallbackService` outside Lambda.
 */
export function functionLogger(
  fallbackService: string,
  environment: Environment = process.env,
): Logger {
  return new Logger({ serviceName: environment[OBSERVABILITY_ENV.serviceName] || fallbackService });
}

/**
 * A logger for one record of a batch: the parent's Lambda context and keys, plus `keys`
 * (and whatever the record's handler appends, such as its depositId), which end with the
 * record. Records of a batch run concurrently, so keys on the shared logger would leak.
 */
export function recordLogger(logger: Logger, keys: Readonly<Record<string, string>>): Logger {
  return logger.createChild({ persistentKeys: keys });
}

/**
 * Gives each integration test suite its own deployment (fresh tables, queues, bucket and
 * keys under a random prefix) on whichever backend the run uses.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import {
  LocalDeployment,
  type LocalDeploymentOptions,
} from '../../tools/local-runtime/local-deployment';
import type { BackendDescriptor } from './backend-descriptor';

// Expected failures (disabled keys) would flood the output; set POWERTOOLS_LOG_LEVEL=WARN to see them.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const backend: BackendDescriptor = inject('backend');

/** For describe.skipIf(...): the reason this backend cannot run here, or false. */
export const skipBackend: string | false = backend.skipReason ?? false;

export function uniquePrefix(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export function createDeployment(
  label: string,
  options: Omit<LocalDeploymentOptions, 'prefix'> = {},
): Promise<LocalDeployment> {
  return LocalDeployment.create(backend.clientOptions, {
    prefix: uniquePrefix(label),
    evidenceRetention: { mode: backend.retentionMode, days: 1 },
    ...options,
  });
}

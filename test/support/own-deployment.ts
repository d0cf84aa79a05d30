/**
 * A deployment for one group of tests alone: created before its first test, closed after its
 * last. No group sees what another uploaded, so any test passes alone and in any order.
 */
import { afterAll, beforeAll } from 'vitest';
import type {
  LocalDeployment,
  LocalDeploymentOptions,
} from '../../tools/local-runtime/local-deployment';
import { createDeployment } from './deployment-fixture';

/**
 * Registers the hooks in the calling describe block; returns the deployment's accessor
 * (valid from the block's first test on). `setUp` runs once, after the deployment is created.
 */
export function deploymentOfItsOwn(
  label: string,
  options: Omit<LocalDeploymentOptions, 'prefix'> = {},
  setUp: (deployment: LocalDeployment) => Promise<void> = async () => {},
): () => LocalDeployment {
  let deployment: LocalDeployment | undefined;
  beforeAll(async () => {
    deployment = await createDeployment(label, options);
    await setUp(deployment);
  }, 180_000);
  afterAll(() => deployment?.close());
  return () => {
    if (!deployment) throw new Error(`the deployment ${label} was not created`);
    return deployment;
  };
}

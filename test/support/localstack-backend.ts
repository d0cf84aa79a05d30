/**
 * The LocalStack backend, through @testcontainers/localstack, for machines with a Docker
 * engine. The image tag is pinned to one that runs without an auth token; a token in
 * LOCALSTACK_AUTH_TOKEN is passed through for newer images.
 */
import { getContainerRuntimeClient } from 'testcontainers';
import { LocalstackContainer, type StartedLocalStackContainer } from '@testcontainers/localstack';
import type { AwsClientOptions } from '../../functions/shared/aws-clients';

export const LOCALSTACK_IMAGE = process.env.LOCALSTACK_IMAGE ?? 'localstack/localstack:4.14.0';

/** Null when a Docker engine answers, else the one-line reason the LocalStack path is skipped. */
export async function dockerUnavailableReason(): Promise<string | null> {
  try {
    await getContainerRuntimeClient();
    return null;
  } catch (error) {
    const first = ((error as Error).message ?? String(error)).split('\n')[0];
    return `no Docker engine reachable (${first})`;
  }
}

export async function startLocalStack(): Promise<{
  container: StartedLocalStackContainer;
  clientOptions: AwsClientOptions;
}> {
  const token = process.env.LOCALSTACK_AUTH_TOKEN;
  const container = await new LocalstackContainer(LOCALSTACK_IMAGE)
    .withEnvironment({
      SERVICES: 's3,sqs,dynamodb,kms',
      ...(token ? { LOCALSTACK_AUTH_TOKEN: token } : {}),
    })
    .start();
  const endpoint = container.getConnectionUri();
  return {
    container,
    clientOptions: {
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      forcePathStyle: true,
      endpoints: { s3: endpoint, dynamodb: endpoint, sqs: endpoint, kms: endpoint },
    },
  };
}

/** The WORM store contract on S3WormStore (the Object Lock anchor bucket), on the emulators. */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe } from 'vitest';
import { S3WormStore } from '../../../functions/shared/s3-worm-store';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describeWormStoreContract } from '../../contracts/worm-store.contract';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('worm-contract');
  });
  afterAll(() => deployment?.close());

  describeWormStoreContract('S3WormStore', () => {
    const bucket = deployment.resources.anchorBucket;
    return Promise.resolve({
      worm: new S3WormStore(deployment.clients.s3, bucket, 1),
      // Without a version id: allowed by Object Lock; the bucket policy refuses it on AWS.
      hide: async (key: string) => {
        await deployment.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      },
    });
  });
});

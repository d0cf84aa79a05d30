/** The tiled log contract on S3TileLogWriter, on the emulators: a fresh log prefix per test. */
import { afterAll, beforeAll, describe } from 'vitest';
import { S3TileLogWriter } from '../../../functions/shared/s3-tile-log';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describeTileLogContract } from '../../contracts/tile-log.contract';
import { uniqueName } from '../../contracts/fixtures';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('tile-log-contract');
  });
  afterAll(() => deployment?.close());

  describeTileLogContract('S3TileLogWriter', () =>
    Promise.resolve(
      new S3TileLogWriter(
        deployment.clients.s3,
        deployment.resources.anchorBucket,
        `${uniqueName('log')}/`,
      ),
    ),
  );
});

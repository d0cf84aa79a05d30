/** The anchor store contract on DynamoAnchorStore, on the emulators: a fresh table per test. */
import { afterAll, beforeAll, describe } from 'vitest';
import { ANCHORS_TABLE } from '../../../definitions/anchor';
import { DynamoAnchorStore } from '../../../functions/shared/dynamo-anchor-store';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describeAnchorStoreContract } from '../../contracts/anchor-store.contract';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';
import { freshTable } from '../../support/fresh-table';

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('anchor-contract');
  });
  afterAll(() => deployment?.close());

  describeAnchorStoreContract(
    'DynamoAnchorStore',
    async () =>
      new DynamoAnchorStore(
        deployment.clients.documents,
        await freshTable(deployment, ANCHORS_TABLE),
      ),
  );
});

/** The co-signer state store contract on DynamoCosignerStore, on the emulators: a fresh party table per test. */
import { afterAll, beforeAll, describe } from 'vitest';
import { AGENCY_PARTY_TABLE } from '../../../definitions/pipeline';
import { DynamoCosignerStore } from '../../../functions/shared/dynamo-cosigner-store';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describeCosignerStoreContract } from '../../contracts/cosigner-store.contract';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';
import { freshTable } from '../../support/fresh-table';

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('cosigner-contract');
  });
  afterAll(() => deployment?.close());

  describeCosignerStoreContract(
    'DynamoCosignerStore',
    async () =>
      new DynamoCosignerStore(
        deployment.clients.documents,
        await freshTable(deployment, AGENCY_PARTY_TABLE),
      ),
  );
});

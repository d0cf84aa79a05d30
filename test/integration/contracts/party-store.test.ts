/** The party state store contract on DynamoPartyStore (the agency's table), on the emulators. */
import { afterAll, beforeAll, describe } from 'vitest';
import { DynamoPartyStore } from '../../../functions/shared/dynamo-party-store';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describePartyStoreContract } from '../../contracts/party-store.contract';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('party-contract');
  });
  afterAll(() => deployment?.close());

  describePartyStoreContract('DynamoPartyStore', () =>
    Promise.resolve(
      new DynamoPartyStore(deployment.clients.documents, deployment.resources.partyTables.agency),
    ),
  );
});

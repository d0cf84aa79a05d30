/** The deposit store contract on DynamoDepositStore, on the emulators. */
import { afterAll, beforeAll, describe } from 'vitest';
import { DynamoDepositStore } from '../../../functions/shared/dynamo-deposit-store';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describeDepositStoreContract } from '../../contracts/deposit-store.contract';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('deposit-contract');
  });
  afterAll(() => deployment?.close());

  describeDepositStoreContract('DynamoDepositStore', () =>
    Promise.resolve(
      new DynamoDepositStore(deployment.clients.documents, deployment.resources.depositsTable),
    ),
  );
});

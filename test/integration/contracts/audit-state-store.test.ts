/** The audit state store contract on DynamoAuditStateStore, on the emulators: a fresh table per test. */
import { afterAll, beforeAll, describe } from 'vitest';
import { AUDITOR_STATE_TABLE } from '../../../definitions/auditor';
import { DynamoAuditStateStore } from '../../../functions/shared/dynamo-audit-state-store';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describeAuditStateStoreContract } from '../../contracts/audit-state-store.contract';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';
import { freshTable } from '../../support/fresh-table';

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('audit-state-contract');
  });
  afterAll(() => deployment?.close());

  describeAuditStateStoreContract(
    'DynamoAuditStateStore',
    async () =>
      new DynamoAuditStateStore(
        deployment.clients.documents,
        await freshTable(deployment, AUDITOR_STATE_TABLE),
      ),
  );
});

/** The audit state store contract on DynamoAuditStateStore, on the emulators: a fresh table per test. */
import { afterAll, beforeAll, describe } from 'vitest';
import { AUDITOR_STATE_TABLE } from '../../../definitions/auditor';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  AUDIT_STATE_KEY,
  DynamoAuditStateStore,
} from '../../../functions/shared/dynamo-audit-state-store';
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

  describeAuditStateStoreContract('DynamoAuditStateStore', async () => {
    const table = await freshTable(deployment, AUDITOR_STATE_TABLE);
    return {
      store: new DynamoAuditStateStore(deployment.clients.documents, table),
      writeRaw: async (item) => {
        await deployment.clients.documents.send(
          new PutCommand({ TableName: table, Item: { ...AUDIT_STATE_KEY, ...item } }),
        );
      },
    };
  });
});

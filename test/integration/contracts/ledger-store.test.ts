/** The ledger store contract on DynamoLedgerStore, on the emulators: a fresh pair of tables per test. */
import { afterAll, beforeAll, describe } from 'vitest';
import { DEPOSITS_TABLE, LEDGER_TABLE } from '../../../definitions/pipeline';
import { DynamoDepositStore } from '../../../functions/shared/dynamo-deposit-store';
import { DynamoLedgerStore } from '../../../functions/shared/dynamo-ledger-store';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describeLedgerStoreContract } from '../../contracts/ledger-store.contract';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';
import { freshTable } from '../../support/fresh-table';

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  let queries = 0;
  beforeAll(async () => {
    deployment = await createDeployment('ledger-contract');
    // Counts the Query pages the store reads, so the contract can see it paged.
    deployment.clients.documents.middlewareStack.add(
      (next) => (args) => {
        if (
          args.input &&
          (args.input as { KeyConditionExpression?: string }).KeyConditionExpression
        )
          queries += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countLedgerQueries' },
    );
  });
  afterAll(() => deployment?.close());

  describeLedgerStoreContract('DynamoLedgerStore', async () => {
    const [ledgerTable, depositsTable] = await Promise.all([
      freshTable(deployment, LEDGER_TABLE),
      freshTable(deployment, DEPOSITS_TABLE),
    ]);
    const { documents } = deployment.clients;
    return {
      ledger: new DynamoLedgerStore(documents, ledgerTable, depositsTable),
      deposits: new DynamoDepositStore(documents, depositsTable),
      pagesRead: () => queries,
    };
  });
});

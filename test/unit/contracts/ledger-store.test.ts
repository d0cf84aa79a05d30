/** The ledger store contract on the in-memory fakes the simulator and the unit tests use. */
import { describeLedgerStoreContract } from '../../contracts/ledger-store.contract';
import { InMemoryDepositStore, InMemoryLedgerStore } from '../../../tools/fakes/in-memory-pipeline';
import { InterleavingLedgerStore } from '../../../tools/fakes/interleaving-ledger-store';

describeLedgerStoreContract('InMemoryLedgerStore', () => {
  const deposits = new InMemoryDepositStore();
  return Promise.resolve({ deposits, ledger: new InMemoryLedgerStore(deposits) });
});

describeLedgerStoreContract('InterleavingLedgerStore', () => {
  const deposits = new InMemoryDepositStore();
  return Promise.resolve({ deposits, ledger: new InterleavingLedgerStore(deposits, { seed: 1 }) });
});

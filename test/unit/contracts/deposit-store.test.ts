/** The deposit store contract on the in-memory fake. */
import { describeDepositStoreContract } from '../../contracts/deposit-store.contract';
import { InMemoryDepositStore } from '../../../tools/fakes/in-memory-pipeline';

describeDepositStoreContract('InMemoryDepositStore', () =>
  Promise.resolve(new InMemoryDepositStore()),
);

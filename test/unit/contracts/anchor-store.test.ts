/** The anchor store contract on the in-memory fake. */
import { describeAnchorStoreContract } from '../../contracts/anchor-store.contract';
import { InMemoryAnchorStore } from '../../../tools/fakes/in-memory-anchor-store';

describeAnchorStoreContract('InMemoryAnchorStore', () =>
  Promise.resolve(new InMemoryAnchorStore()),
);

/** The co-signer state store contract on the in-memory fake. */
import { describeCosignerStoreContract } from '../../contracts/cosigner-store.contract';
import { InMemoryCosignerStore } from '../../../tools/fakes/in-memory-cosigner-store';

describeCosignerStoreContract('InMemoryCosignerStore', () =>
  Promise.resolve(new InMemoryCosignerStore()),
);

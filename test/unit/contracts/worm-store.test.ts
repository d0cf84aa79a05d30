/** The WORM store contract on the in-memory fake. */
import { describeWormStoreContract } from '../../contracts/worm-store.contract';
import { InMemoryWormStore } from '../../../tools/fakes/in-memory-worm-store';

describeWormStoreContract('InMemoryWormStore', () => {
  const worm = new InMemoryWormStore();
  return Promise.resolve({ worm, hide: (key: string) => Promise.resolve(worm.hide(key)) });
});

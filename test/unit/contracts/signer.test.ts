/** The signer contract on the in-memory keys. */
import { describeSignerContract } from '../../contracts/signer.contract';
import {
  createInMemorySigner,
  inMemoryKeyResolver,
  unknownKeySigner,
} from '../../../tools/fakes/in-memory-signer';

describeSignerContract('the in-memory signer', async () => {
  const signer = await createInMemorySigner('agency');
  return {
    signer,
    keys: inMemoryKeyResolver([signer]),
    disable: () => Promise.resolve(signer.disable()),
    enable: () => Promise.resolve(signer.enable()),
    unknown: unknownKeySigner('agency', 'arn:aws:kms:eu-west-1:000000000000:key/no-such-key'),
  };
});

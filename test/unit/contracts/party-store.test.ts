/** The party state store contract on the in-memory fake. */
import { describePartyStoreContract } from '../../contracts/party-store.contract';
import { InMemoryPartyStore } from '../../../tools/fakes/in-memory-pipeline';

describePartyStoreContract('InMemoryPartyStore', () => Promise.resolve(new InMemoryPartyStore()));

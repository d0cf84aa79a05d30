/** The tiled log contract on the in-memory fake. */
import { describeTileLogContract } from '../../contracts/tile-log.contract';
import { InMemoryTileLog } from '../../../tools/fakes/in-memory-tile-log';

describeTileLogContract('InMemoryTileLog', () => Promise.resolve(new InMemoryTileLog()));

/** The stage queue contract on RecordingQueue. */
import { describeStageQueueContract } from '../../contracts/stage-queue.contract';
import { RecordingQueue } from '../../../tools/fakes/in-memory-pipeline';

describeStageQueueContract('RecordingQueue', () => {
  const queue = new RecordingQueue();
  return Promise.resolve({ queue, received: () => Promise.resolve(queue.sent.splice(0)) });
});

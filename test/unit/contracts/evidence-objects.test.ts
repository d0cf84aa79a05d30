/** The evidence objects contract on the in-memory bucket. */
import { describeEvidenceObjectsContract } from '../../contracts/evidence-objects.contract';
import { InMemoryEvidenceObjects } from '../../../tools/fakes/in-memory-pipeline';

describeEvidenceObjectsContract('InMemoryEvidenceObjects', () => {
  const objects = new InMemoryEvidenceObjects();
  const bucket = 'evidence-bucket';
  return Promise.resolve({
    objects,
    bucket,
    put: (key: string, body: string, metadata: Record<string, string> = {}) =>
      Promise.resolve(objects.put(bucket, key, body, metadata)),
    deleteVersion: (ref) => Promise.resolve(objects.deleteVersion(ref)),
  });
});

/** The evidence objects contract on S3EvidenceObjects (the versioned evidence bucket), on the emulators. */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe } from 'vitest';
import { S3EvidenceObjects } from '../../../functions/shared/s3-evidence-objects';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describeEvidenceObjectsContract } from '../../contracts/evidence-objects.contract';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('evidence-contract');
  });
  afterAll(() => deployment?.close());

  describeEvidenceObjectsContract('S3EvidenceObjects', () => {
    const { s3 } = deployment.clients;
    const bucket = deployment.resources.evidenceBucket;
    return Promise.resolve({
      objects: new S3EvidenceObjects(s3),
      bucket,
      async put(key: string, body: string, metadata: Record<string, string> = {}) {
        const { VersionId, ETag } = await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: metadata }),
        );
        const size = Buffer.byteLength(body);
        return { bucket, key, versionId: VersionId!, eTag: (ETag ?? '').replace(/"/g, ''), size };
      },
      async deleteVersion(ref) {
        await s3.send(
          new DeleteObjectCommand({
            Bucket: ref.bucket,
            Key: ref.key,
            VersionId: ref.versionId,
            BypassGovernanceRetention: true,
          }),
        );
      },
    });
  });
});

/**
 * The WORM store's write-once writes and its reads past the current view, on the emulators:
 * a second write of a key is refused by S3 (If-None-Match), a retried write of the same
 * bytes is fine, other bytes fail CHECKPOINT_INCONSISTENT, and a delete marker, which hides
 * a key from every current-view read, is still found.
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from '../../core/encoding';
import { S3WormStore } from '../../functions/shared/s3-worm-store';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';

describe.skipIf(skipBackend)(`the WORM store on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  let worm: S3WormStore;
  beforeAll(async () => {
    deployment = await createDeployment('worm-store');
    worm = new S3WormStore(deployment.clients.s3, deployment.resources.anchorBucket, 1);
  });
  afterAll(() => deployment?.close());

  describe('when a key is written twice', () => {
    const key = 'checkpoints/twice.note';
    beforeAll(() => worm.put(key, utf8Encode('first'), 'text/plain'));

    it('is refused by S3 itself when the write carries If-None-Match', async () => {
      await expect(
        deployment.clients.s3.send(
          new PutObjectCommand({
            Bucket: deployment.resources.anchorBucket,
            Key: key,
            Body: 'second',
            IfNoneMatch: '*',
          }),
        ),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    });

    it('accepts a retried write of the same bytes', async () => {
      await expect(worm.put(key, utf8Encode('first'), 'text/plain')).resolves.toBeUndefined();
      expect(await worm.get(key)).toEqual(utf8Encode('first'));
    });

    it('fails CHECKPOINT_INCONSISTENT for other bytes, and keeps the first', async () => {
      await expect(worm.put(key, utf8Encode('forged'), 'text/plain')).rejects.toMatchObject({
        code: 'CHECKPOINT_INCONSISTENT',
      });
      expect(await worm.get(key)).toEqual(utf8Encode('first'));
    });
  });

  describe('when a delete marker hides a key', () => {
    const key = 'checkpoints/hidden.note';
    beforeAll(async () => {
      await worm.put(key, utf8Encode('hidden'), 'text/plain');
      await worm.put('checkpoints/kept.note', utf8Encode('kept'), 'text/plain');
      // Without a version id: allowed by Object Lock; the bucket policy refuses it on AWS.
      await deployment.clients.s3.send(
        new DeleteObjectCommand({ Bucket: deployment.resources.anchorBucket, Key: key }),
      );
    });

    it('is gone from the current view', async () => {
      expect(await worm.list('checkpoints/')).not.toContain(key);
      expect(await worm.exists(key)).toBe(false);
    });

    it('is named by deleteMarkers, and only it', async () => {
      expect(await worm.deleteMarkers('checkpoints/')).toEqual([key]);
    });
  });
});

import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { depositIdFor } from '../../../core/deposit-id';
import { registerDeposit } from '../../../core/pipeline/register-deposit';
import { parseS3Notification } from '../../../functions/shared/s3-notification';
import {
  BUCKET,
  createPipeline,
  noticeFor,
  registerDeps,
  failDeposit,
  s3EventBody,
  type Pipeline,
} from './fixtures';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

let p: Pipeline;
beforeEach(async () => {
  p = await createPipeline();
});

const register = (notice: Parameters<typeof registerDeposit>[0]) =>
  registerDeposit(notice, registerDeps(p));

describe('registerDeposit', () => {
  describe('when one object is uploaded', () => {
    const bytes = 'photo of exhibit 7';
    const metadata = { 'Case-Id': '2026-0042', OFFICER: 'J. Doe' };

    it('registers one deposit with the SHA-256 and size of the bytes, lower-cased metadata and the uploader', async () => {
      const uploaded = p.objects.put(BUCKET, 'cases/2026-0042/exhibit-7.jpg', bytes, metadata);
      const outcome = await register(noticeFor(uploaded));

      expect(outcome).toEqual({ kind: 'registered', depositId: depositIdFor(uploaded) });
      const state = p.deposits.fields(outcome.depositId);
      expect(state).toMatchObject({
        status: 'PENDING_AGENCY_SIGNATURE',
        signatures: {},
        seq: null,
        failure: null,
      });
      expect(state?.deposit).toEqual({
        depositId: depositIdFor(uploaded),
        bucket: BUCKET,
        key: 'cases/2026-0042/exhibit-7.jpg',
        versionId: uploaded.versionId,
        size: Buffer.byteLength(bytes),
        sha256: sha256Hex(bytes),
        // The version's Last-Modified as S3 reports it (whole seconds), not the event's time.
        uploadedAt: '2026-11-24T02:32:36.000Z',
        uploader: { principalId: 'AWS:AIDAEXAMPLEUPLOADER', sourceIp: '203.0.113.7' },
        caseMetadata: { 'case-id': '2026-0042', officer: 'J. Doe' },
      });
    });

    it('sends the deposit to the agency signer once', async () => {
      const outcome = await register(noticeFor(p.objects.put(BUCKET, 'k', bytes)));
      expect(p.queues.agency.sent).toEqual([outcome.depositId]);
    });
  });

  describe('when the moto 5.2.5 notice (no versionId, encoded key) is registered', () => {
    it('resolves the version by ETag and hashes the bytes under the decoded key', async () => {
      const uploaded = p.objects.put('t1-evidence', 'case 1/é+x.bin', 'hello');
      const parsed = parseS3Notification(s3EventBody('moto-5.2.5-object-created-put.json'));
      if (parsed.kind !== 'objects-created') throw new Error('expected a created notice');

      const outcome = await register(parsed.notices[0]!);

      expect(outcome).toEqual({ kind: 'registered', depositId: depositIdFor(uploaded) });
      expect(p.deposits.fields(outcome.depositId)?.deposit).toMatchObject({
        sha256: sha256Hex('hello'),
        size: 5,
        uploader: { principalId: null, sourceIp: null },
      });
    });
  });

  describe('when the same notice is delivered twice', () => {
    it('creates one deposit and reports the second as a duplicate', async () => {
      const notice = noticeFor(p.objects.put(BUCKET, 'k', 'bytes'));
      const first = await register(notice);
      const second = await register(notice);

      expect(first.kind).toBe('registered');
      expect(second).toEqual({ kind: 'duplicate', depositId: first.depositId });
      expect(p.deposits.all()).toHaveLength(1);
    });

    it('re-sends a duplicate still waiting for the agency, since the first send may have been lost', async () => {
      const notice = noticeFor(p.objects.put(BUCKET, 'k', 'bytes'));
      const { depositId } = await register(notice);
      await register(notice);
      expect(p.queues.agency.sent).toEqual([depositId, depositId]);
    });

    it('does not re-send a duplicate the agency has already moved on', async () => {
      const notice = noticeFor(p.objects.put(BUCKET, 'k', 'bytes'));
      const { depositId } = await register(notice);
      await failDeposit(p, depositId, 'DIGEST_MISMATCH');
      await register(notice);
      expect(p.queues.agency.sent).toEqual([depositId]);
    });
  });

  describe('when a notice without versionId names content uploaded twice under one key', () => {
    const twoIdenticalUploads = () => {
      const older = p.objects.put(BUCKET, 'k', 'same bytes');
      const newer = p.objects.put(BUCKET, 'k', 'same bytes');
      return { older, newer, notice: noticeFor(older, { versionId: null }) };
    };

    it('registers one deposit per version, oldest first', async () => {
      const { older, newer, notice } = twoIdenticalUploads();
      const first = await register(notice);
      const second = await register(notice);

      expect(first).toEqual({ kind: 'registered', depositId: depositIdFor(older) });
      expect(second).toEqual({ kind: 'registered', depositId: depositIdFor(newer) });
      // The second notice also re-sends the older deposit, still waiting: its first send may have been lost.
      expect(p.queues.agency.sent).toEqual([first.depositId, first.depositId, second.depositId]);
    });

    it('reports a third delivery as a duplicate', async () => {
      const { notice } = twoIdenticalUploads();
      await register(notice);
      await register(notice);
      expect((await register(notice)).kind).toBe('duplicate');
      expect(p.deposits.all()).toHaveLength(2);
    });
  });

  describe('when a notice without versionId is older than a different upload under the same key', () => {
    it('registers the version whose ETag the notice names, never the newer one', async () => {
      const older = p.objects.put(BUCKET, 'k', 'first upload');
      p.objects.put(BUCKET, 'k', 'second upload, racing the first notice');

      const outcome = await register(noticeFor(older, { versionId: null }));

      expect(outcome).toEqual({ kind: 'registered', depositId: depositIdFor(older) });
      expect(p.deposits.fields(outcome.depositId)?.deposit?.sha256).toBe(sha256Hex('first upload'));
    });
  });

  describe('when the version was deleted before it could be hashed', () => {
    it.each([
      ['with a versionId', (u: { versionId: string }) => u.versionId],
      ['without a versionId', () => null],
    ])(
      'writes a FAILED record with OBJECT_NOT_FOUND and sends nothing on (%s)',
      async (_case, versionOf) => {
        const uploaded = p.objects.put(BUCKET, 'k', 'short-lived');
        p.objects.deleteVersion(uploaded);

        const outcome = await register(noticeFor(uploaded, { versionId: versionOf(uploaded) }));

        expect(outcome).toMatchObject({ kind: 'failed', code: 'OBJECT_NOT_FOUND' });
        expect(p.deposits.fields(outcome.depositId)).toMatchObject({
          status: 'FAILED',
          deposit: null,
          failure: { code: 'OBJECT_NOT_FOUND' },
        });
        expect(p.deposits.failedObjects).toMatchObject([
          { bucket: BUCKET, key: 'k', eTag: uploaded.eTag },
        ]);
        expect(p.queues.agency.sent).toEqual([]);
      },
    );
  });

  describe('when the notice has neither versionId nor eTag', () => {
    it('fails with INVALID_EVENT and registers nothing', async () => {
      const notice = noticeFor(p.objects.put(BUCKET, 'k', 'bytes'), {
        versionId: null,
        eTag: null,
      });
      await expect(register(notice)).toFailWithCode('INVALID_EVENT');
      expect(p.deposits.all()).toEqual([]);
    });
  });
});

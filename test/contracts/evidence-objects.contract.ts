/**
 * The evidence objects' contract (core/ports/evidence-objects.ts), run against
 * InMemoryEvidenceObjects and S3EvidenceObjects: exact versions found by ETag and size oldest
 * first, a version's head as S3 reports it, its digest, and null (never an error) for a
 * version that is not there or no longer there. The budgeted hashing itself is one shared
 * function (functions/shared/budgeted-digest.ts); only the reads under it differ.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvidenceObjects, ObjectVersionRef } from '../../core/ports/evidence-objects';
import { UNLIMITED_BUDGET } from '../../core/ports/evidence-objects';
import { uniqueName } from './fixtures';

export interface StoredVersion extends ObjectVersionRef {
  readonly eTag: string;
  readonly size: number;
}

export interface EvidenceSubject {
  readonly objects: EvidenceObjects;
  readonly bucket: string;
  /** Uploads a new version of `key`, as an uploader would. */
  put(key: string, body: string, metadata?: Record<string, string>): Promise<StoredVersion>;
  /** Deletes one version for good (DeleteObject with its VersionId). */
  deleteVersion(ref: ObjectVersionRef): Promise<void>;
}

/** A version id of the form S3 gives, that no object has. */
const ABSENT_VERSION = '3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY';
const ISO_MILLIS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const md5 = (body: string) => createHash('md5').update(body).digest('hex');
const sha256 = (body: string) => createHash('sha256').update(body).digest('hex');

export function describeEvidenceObjectsContract(
  name: string,
  makeSubject: () => Promise<EvidenceSubject>,
): void {
  describe(`the evidence objects contract on ${name}`, () => {
    let subject: EvidenceSubject;
    let key: string;
    beforeEach(async () => {
      subject = await makeSubject();
      key = `${uniqueName('cases')}/exhibit.bin`;
    });

    describe('head', () => {
      it('reports the size, the MD5 ETag, the metadata and when the version was made', async () => {
        const version = await subject.put(key, 'evidence bytes', {
          'case-id': '2026-7',
          officer: 'J. Doe',
        });
        const info = await subject.objects.head(version);

        expect(info).toMatchObject({
          size: 14,
          eTag: md5('evidence bytes'),
          metadata: { 'case-id': '2026-7', officer: 'J. Doe' },
        });
        expect(version).toMatchObject({ eTag: md5('evidence bytes'), size: 14 });
        expect(info?.lastModified).toMatch(ISO_MILLIS);
      });

      it('answers null for a version id the key never had, and for a key it does not hold', async () => {
        await subject.put(key, 'evidence');
        expect(
          await subject.objects.head({ bucket: subject.bucket, key, versionId: ABSENT_VERSION }),
        ).toBeNull();
        expect(
          await subject.objects.head({
            bucket: subject.bucket,
            key: `${key}.missing`,
            versionId: ABSENT_VERSION,
          }),
        ).toBeNull();
      });

      it('answers null for a deleted version, and still finds the other versions', async () => {
        const first = await subject.put(key, 'first');
        const second = await subject.put(key, 'second');
        await subject.deleteVersion(first);

        expect(await subject.objects.head(first)).toBeNull();
        expect(await subject.objects.head(second)).toMatchObject({ size: 6 });
      });
    });

    describe('versionsMatching', () => {
      it('finds every version with the ETag (and size), oldest first', async () => {
        const first = await subject.put(key, 'same bytes');
        await subject.put(key, 'other bytes');
        const third = await subject.put(key, 'same bytes');
        const eTag = md5('same bytes');

        expect(await subject.objects.versionsMatching(subject.bucket, key, eTag, null)).toEqual([
          first.versionId,
          third.versionId,
        ]);
        expect(await subject.objects.versionsMatching(subject.bucket, key, eTag, 10)).toEqual([
          first.versionId,
          third.versionId,
        ]);
        expect(await subject.objects.versionsMatching(subject.bucket, key, eTag, 11)).toEqual([]);
      });

      it('finds nothing for a key it does not hold, nor versions of a longer key', async () => {
        await subject.put(`${key}.longer`, 'same bytes');
        expect(
          await subject.objects.versionsMatching(subject.bucket, key, md5('same bytes'), null),
        ).toEqual([]);
      });
    });

    describe('digest', () => {
      it('hashes the version it is asked for, not the latest', async () => {
        const first = await subject.put(key, 'first version');
        await subject.put(key, 'second version');
        const step = await subject.objects.digest({
          ref: first,
          size: first.size,
          resumeFrom: null,
          budget: UNLIMITED_BUDGET,
        });
        expect(step).toEqual({
          kind: 'done',
          digest: { sha256: sha256('first version'), size: 13 },
        });
      });

      it('hashes an empty version', async () => {
        const empty = await subject.put(key, '');
        expect(
          await subject.objects.digest({
            ref: empty,
            size: 0,
            resumeFrom: null,
            budget: UNLIMITED_BUDGET,
          }),
        ).toEqual({ kind: 'done', digest: { sha256: sha256(''), size: 0 } });
      });

      it('fails DIGEST_MISMATCH when the stored version has another size', async () => {
        const version = await subject.put(key, 'twelve bytes');
        for (const size of [0, 11, 13]) {
          await expect(
            subject.objects.digest({
              ref: version,
              size,
              resumeFrom: null,
              budget: UNLIMITED_BUDGET,
            }),
          ).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
        }
      });

      it('answers null for a deleted version and for one that never was', async () => {
        const version = await subject.put(key, 'deleted soon');
        await subject.deleteVersion(version);
        const request = { size: 12, resumeFrom: null, budget: UNLIMITED_BUDGET };
        expect(await subject.objects.digest({ ref: version, ...request })).toBeNull();
        expect(
          await subject.objects.digest({
            ref: { ...version, versionId: ABSENT_VERSION },
            ...request,
          }),
        ).toBeNull();
      });
    });
  });
}

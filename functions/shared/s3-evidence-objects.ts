/**
 * EvidenceObjects over S3: finds, inspects and hashes exact object versions. Hashing reads
 * the version with parallel ranged GETs feeding one sequential SHA-256 (budgeted-digest.ts),
 * so memory stays bounded whatever the size and a digest can span several invocations.
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type {
  DigestRequest,
  DigestStep,
  EvidenceObjects,
  ObjectVersionInfo,
  ObjectVersionRef,
} from '../../core/ports/evidence-objects';
import { LedgerError } from '../../core/errors';
import { awsCall } from './aws-errors';
import {
  DEFAULT_DIGEST_TUNING,
  digestWithinBudget,
  requireObjectSize,
  type DigestTuning,
} from './budgeted-digest';
import { objectVersionPages } from './object-version-pages';
import { PartBufferPool, type RangeSource } from './ranged-reads';

const GONE = new Set([
  'NotFound',
  'NoSuchKey',
  'NoSuchVersion',
  'MethodNotAllowed',
  'InvalidArgument',
]);

/** S3 answers 404 for a missing version and 405 for a delete marker: both mean "not there". */
function isGone(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return (e.name !== undefined && GONE.has(e.name)) || status === 404 || status === 405;
}

async function orNullIfGone<T>(operation: () => Promise<T>): Promise<T | null> {
  try {
    return await operation();
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}

const unquote = (eTag: string | undefined): string => (eTag ?? '').replace(/"/g, '');

/**
 * S3 answered a ranged GET with something other than the range: a cut stream or a broken
 * answer, not a fact about the object. DEPENDENCY_UNAVAILABLE, so the read is retried.
 */
function brokenAnswer(message: string, ref: ObjectVersionRef, range: string): LedgerError {
  return new LedgerError('DEPENDENCY_UNAVAILABLE', `S3 ${message}`, { ...ref, range });
}

/** "bytes 0-99/1000" → 1000; anything else is not a ranged answer we asked for. */
function totalOfContentRange(
  contentRange: string | undefined,
  ref: ObjectVersionRef,
  range: string,
): number {
  const match = /^bytes \d+-\d+\/(\d+)$/.exec(contentRange ?? '');
  if (!match?.[1])
    throw brokenAnswer(`answered a ranged GET with Content-Range ${contentRange}`, ref, range);
  return Number(match[1]);
}

/** Copies a response body into `into`; throws unless it is exactly `length` bytes. */
async function readBodyInto(
  body: AsyncIterable<Uint8Array>,
  into: Uint8Array,
  length: number,
  fail: (message: string) => LedgerError,
): Promise<Uint8Array> {
  let at = 0;
  for await (const chunk of body) {
    if (at + chunk.byteLength > length)
      throw fail(`returned more than the ${length} bytes of the range`);
    into.set(chunk, at);
    at += chunk.byteLength;
  }
  if (at !== length) throw fail(`returned ${at} bytes for a range of ${length}`);
  return into.subarray(0, length);
}

/** Ranged GETs of one exact version into pooled buffers; every answer must be of an object of `size` bytes. */
function s3RangeSource(
  s3: S3Client,
  ref: ObjectVersionRef,
  size: number,
  pool: PartBufferPool,
): RangeSource {
  return {
    async read(start, end) {
      const range = `bytes=${start}-${end - 1}`;
      const object = await s3.send(
        new GetObjectCommand({
          Bucket: ref.bucket,
          Key: ref.key,
          VersionId: ref.versionId,
          Range: range,
        }),
      );
      requireObjectSize(totalOfContentRange(object.ContentRange, ref, range), size);
      if (!object.Body) throw brokenAnswer('returned no body', ref, range);
      const into = end - start <= pool.partBytes ? pool.acquire() : new Uint8Array(end - start);
      return readBodyInto(object.Body as AsyncIterable<Uint8Array>, into, end - start, (message) =>
        brokenAnswer(message, ref, range),
      );
    },
    release: (part) => pool.release(part),
  };
}

export class S3EvidenceObjects implements EvidenceObjects {
  private readonly pool: PartBufferPool;

  constructor(
    private readonly s3: S3Client,
    private readonly tuning: DigestTuning = DEFAULT_DIGEST_TUNING,
  ) {
    this.pool = new PartBufferPool(tuning.partBytes);
  }

  async versionsMatching(
    bucket: string,
    key: string,
    eTag: string,
    size: number | null,
  ): Promise<string[]> {
    const matches: { versionId: string; modified: number }[] = [];
    for await (const page of objectVersionPages(this.s3, bucket, key)) {
      for (const v of page.Versions ?? []) {
        if (v.Key !== key || !v.VersionId || unquote(v.ETag) !== eTag) continue;
        if (size !== null && v.Size !== size) continue;
        matches.push({ versionId: v.VersionId, modified: v.LastModified?.getTime() ?? 0 });
      }
    }
    // S3 lists a key's versions newest first; deposits are resolved oldest first. Versions made
    // within one Last-Modified tick tie: reversing the listing first keeps them oldest first too.
    return matches
      .reverse()
      .sort((a, b) => a.modified - b.modified)
      .map((m) => m.versionId);
  }

  head(ref: ObjectVersionRef): Promise<ObjectVersionInfo | null> {
    return awsCall('S3 HeadObject', { ...ref }, () => this.headUnmapped(ref));
  }

  private headUnmapped(ref: ObjectVersionRef): Promise<ObjectVersionInfo | null> {
    return orNullIfGone(async () => {
      const head = await this.s3.send(
        new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }),
      );
      // S3 names the version it answered for: anything but the one asked for is not this version.
      if (head.VersionId !== undefined && head.VersionId !== ref.versionId) {
        throw new LedgerError(
          'OBJECT_NOT_FOUND',
          `S3 answered for version ${head.VersionId}, not ${ref.versionId}`,
          { ...ref },
        );
      }
      if (!head.LastModified)
        throw new LedgerError('OBJECT_NOT_FOUND', 'S3 reported no Last-Modified for the version', {
          ...ref,
        });
      return {
        size: head.ContentLength ?? 0,
        eTag: unquote(head.ETag),
        metadata: head.Metadata ?? {},
        lastModified: head.LastModified.toISOString(),
      };
    });
  }

  digest(request: DigestRequest): Promise<DigestStep | null> {
    // A zero-byte object has no range to GET: its existence is what needs checking.
    if (request.size === 0) return this.digestOfEmpty(request);
    const source = s3RangeSource(this.s3, request.ref, request.size, this.pool);
    return awsCall('S3 GetObject (ranged)', { ...request.ref }, () =>
      orNullIfGone(() => digestWithinBudget(source, request, this.tuning)),
    );
  }

  private async digestOfEmpty(request: DigestRequest): Promise<DigestStep | null> {
    const info = await this.head(request.ref);
    if (!info) return null;
    requireObjectSize(info.size, 0);
    return digestWithinBudget(
      { read: () => Promise.resolve(new Uint8Array(0)) },
      request,
      this.tuning,
    );
  }
}

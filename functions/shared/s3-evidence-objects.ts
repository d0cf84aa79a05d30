/**
 * EvidenceObjects over S3: finds, inspects and hashes exact object versions.
 * Hashing streams the body through SHA-256, so memory stays bounded whatever the size.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type {
  EvidenceObjects,
  ObjectDigest,
  ObjectVersionInfo,
  ObjectVersionRef,
} from '../../core/pipeline/ports';

const GONE = new Set(['NotFound', 'NoSuchKey', 'NoSuchVersion', 'MethodNotAllowed', 'InvalidArgument']);

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

async function sha256OfStream(body: Readable): Promise<ObjectDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    const bytes = chunk as Uint8Array;
    size += bytes.byteLength;
    hash.update(bytes);
  }
  return { sha256: hash.digest('hex'), size };
}

export class S3EvidenceObjects implements EvidenceObjects {
  constructor(private readonly s3: S3Client) {}

  async versionsMatching(bucket: string, key: string, eTag: string, size: number | null): Promise<string[]> {
    const matches: { versionId: string; modified: number }[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: key,
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
        }),
      );
      for (const v of page.Versions ?? []) {
        if (v.Key !== key || !v.VersionId || unquote(v.ETag) !== eTag) continue;
        if (size !== null && v.Size !== size) continue;
        matches.push({ versionId: v.VersionId, modified: v.LastModified?.getTime() ?? 0 });
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    // S3 lists a key's versions newest first; deposits are resolved oldest first.
    return matches.sort((a, b) => a.modified - b.modified).map((m) => m.versionId);
  }

  head(ref: ObjectVersionRef): Promise<ObjectVersionInfo | null> {
    return orNullIfGone(async () => {
      const head = await this.s3.send(
        new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }),
      );
      return { size: head.ContentLength ?? 0, eTag: unquote(head.ETag), metadata: head.Metadata ?? {} };
    });
  }

  digest(ref: ObjectVersionRef): Promise<ObjectDigest | null> {
    return orNullIfGone(async () => {
      const object = await this.s3.send(
        new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }),
      );
      if (!object.Body) throw new Error(`S3 returned no body for ${ref.bucket}/${ref.key}`);
      return sha256OfStream(object.Body as Readable);
    });
  }
}

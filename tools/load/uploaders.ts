/**
 * The load run's clients: `clients` uploaders working through the planned uploads
 * concurrently, each taking the next one when it is done. Objects past 8 MiB go up as
 * multipart uploads (lib-storage, as `evidence deposit` sends them), the rest with one
 * PutObject. Each upload is logged with what S3 answered and the SHA-256 of what was sent.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { MiB, uploadBody, type PlannedUpload } from './workload';

const MULTIPART_FROM = 8 * MiB;

export interface UploadedVersion {
  readonly key: string;
  readonly versionId: string;
  /** As S3 answered it, without quotes. */
  readonly eTag: string;
  readonly size: number;
  readonly sha256: string;
}

export interface UploadLog {
  readonly versions: UploadedVersion[];
  readonly errors: { readonly key: string; readonly message: string }[];
}

const unquoted = (eTag: string | undefined) => (eTag ?? '').replace(/"/g, '');

async function send(
  s3: S3Client,
  bucket: string,
  key: string,
  body: Uint8Array,
): Promise<{ versionId: string; eTag: string }> {
  if (body.byteLength < MULTIPART_FROM) {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return { versionId: put.VersionId ?? '', eTag: unquoted(put.ETag) };
  }
  const done = await new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: body },
    partSize: MULTIPART_FROM,
    queueSize: 2,
  }).done();
  return { versionId: done.VersionId ?? '', eTag: unquoted(done.ETag) };
}

async function uploadOne(
  s3: S3Client,
  bucket: string,
  planned: PlannedUpload,
  log: UploadLog,
): Promise<void> {
  const body = uploadBody(planned);
  const sha256 = createHash('sha256').update(body).digest('hex');
  try {
    const { versionId, eTag } = await send(s3, bucket, planned.key, body);
    if (!versionId) throw new Error('S3 returned no version id');
    log.versions.push({ key: planned.key, versionId, eTag, size: planned.size, sha256 });
  } catch (error) {
    log.errors.push({ key: planned.key, message: String(error) });
  }
}

/** Uploads the whole plan with `clients` concurrent uploaders; resolves when all are done. */
export async function runUploaders(
  s3: S3Client,
  bucket: string,
  plan: readonly PlannedUpload[],
  clients: number,
  log: UploadLog,
): Promise<void> {
  let next = 0;
  const client = async () => {
    for (let planned = plan[next++]; planned; planned = plan[next++])
      await uploadOne(s3, bucket, planned, log);
  };
  await Promise.all(Array.from({ length: clients }, client));
}

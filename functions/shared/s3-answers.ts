/** How S3 says "no such object" and "If-None-Match found it there", and write-once puts. */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { bytesEqual } from '../../core/encoding';
import { LedgerError } from '../../core/errors';

interface S3Failure {
  readonly name?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** 404: no object at that key (HeadObject answers NotFound, GetObject NoSuchKey). */
export function isNotFound(error: unknown): boolean {
  const e = error as S3Failure;
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

/** 412: a write with If-None-Match found the key already there. */
export function isPreconditionFailed(error: unknown): boolean {
  const e = error as S3Failure;
  return e.name === 'PreconditionFailed' || e.$metadata?.httpStatusCode === 412;
}

/** What a write-once PutObject sends besides the key and bytes. */
export interface WriteOnceObject {
  readonly Bucket: string;
  readonly Key: string;
  readonly Body: Uint8Array;
  readonly ContentType: string;
  readonly ObjectLockMode?: 'COMPLIANCE';
  readonly ObjectLockRetainUntilDate?: Date;
}

/**
 * PutObject with If-None-Match: a key that already holds exactly these bytes is a retried write
 * and succeeds; other bytes (or bytes that cannot be read back) are CHECKPOINT_INCONSISTENT:
 * what is written once is never rewritten. `readBack` reads the key as the caller reads it.
 */
export async function putWriteOnce(
  s3: S3Client,
  object: WriteOnceObject,
  readBack: () => Promise<Uint8Array | null>,
  what: string,
): Promise<void> {
  try {
    await s3.send(
      new PutObjectCommand({ ...object, IfNoneMatch: '*', ChecksumAlgorithm: 'SHA256' }),
    );
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
    const stored = await readBack();
    if (stored !== null && bytesEqual(stored, object.Body)) return;
    const problem =
      stored === null ? 'exists but cannot be read back' : 'already holds other bytes';
    throw new LedgerError(
      'CHECKPOINT_INCONSISTENT',
      `${what} ${object.Key} ${problem}`,
      { key: object.Key },
      { cause: error },
    );
  }
}

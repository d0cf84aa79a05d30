/**
 * The S3 adapter of `evidence deposit`: `@aws-sdk/lib-storage`'s Upload, with S3 additional
 * checksums (SHA-256) so that S3 itself refuses bytes that arrive corrupted.
 *
 * What lib-storage 3.1173 does with the parameters (read from its source): a file of at most
 * `partSize` bytes becomes one PutObject with the parameters as given; a larger one becomes
 * CreateMultipartUpload, UploadPart × n (each carrying the same parameters) and
 * CompleteMultipartUpload with each part's returned checksum. Hence:
 * - one part: ChecksumAlgorithm SHA256 and ChecksumSHA256 = the file's SHA-256, computed
 *   here beforehand; S3 compares it with the bytes it received.
 * - several parts: ChecksumAlgorithm SHA256 only. The SDK's checksum middleware computes each
 *   part's SHA-256 locally from the part's buffer and sends it with the part; S3 refuses a
 *   part that does not match, and the object's checksum is S3's composite of the parts. The
 *   whole-file SHA-256 must not be passed here: it would be sent with every part.
 * The bytes read are hashed again as they stream out, so a file that changed between the
 * first hash and the upload is noticed (UploadResult.sentSha256).
 */
import { LedgerError } from '../../core/errors';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { EvidenceUploader, UploadRequest, UploadResult } from './ports';

/** lib-storage's smallest part (S3's minimum for every part but the last). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

async function* hashedChunks(path: string, hash: ReturnType<typeof createHash>) {
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
}

export class LibStorageUploader implements EvidenceUploader {
  constructor(private readonly s3: S3Client) {}

  async upload(
    request: UploadRequest,
    onProgress: (loaded: number) => void,
  ): Promise<UploadResult> {
    const sent = createHash('sha256');
    // lib-storage sends a body of at most one part with PutObject (its getChunk* functions).
    const multipart = request.size > request.partSize;
    const upload = new Upload({
      client: this.s3,
      queueSize: request.concurrency,
      partSize: request.partSize,
      leavePartsOnError: false,
      params: {
        Bucket: request.bucket,
        Key: request.key,
        Body: Readable.from(hashedChunks(request.path, sent)),
        ContentLength: request.size,
        Metadata: { ...request.metadata },
        ChecksumAlgorithm: 'SHA256',
        ...(multipart
          ? {}
          : { ChecksumSHA256: Buffer.from(request.sha256, 'hex').toString('base64') }),
      },
    });
    upload.on('httpUploadProgress', (progress) => onProgress(progress.loaded ?? 0));
    const result = await upload.done();
    if (!result.VersionId) {
      throw new LedgerError(
        'CONFIG_INVALID',
        `s3://${request.bucket} returned no version id: is versioning on?`,
        { bucket: request.bucket },
      );
    }
    return { versionId: result.VersionId, multipart, sentSha256: sent.digest('hex') };
  }
}

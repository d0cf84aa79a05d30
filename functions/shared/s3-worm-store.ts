/**
 * WormStore over an S3 bucket with Object Lock: every copy is written with COMPLIANCE-mode
 * retention, so during retention no one, the account root included, can delete or overwrite
 * that version. Writes carry If-None-Match (the bucket policy refuses any other write under
 * checkpoints/), so a key is never given a second version; removals are looked for in the
 * versions and delete markers, not in the current view a delete marker hides a key from.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { WormReader, WormStore } from '../../core/anchor/ports';
import { objectVersionPages } from './object-version-pages';
import { awsCall } from './aws-errors';
import { isNotFound, putWriteOnce } from './s3-answers';

const DAY_MS = 24 * 3600 * 1000;

/** The checkpoint copies read only: what the auditor is given. */
export class S3WormReader implements WormReader {
  constructor(
    protected readonly s3: S3Client,
    protected readonly bucket: string,
  ) {}

  exists(key: string): Promise<boolean> {
    return awsCall('S3 HeadObject (WORM copy)', { bucket: this.bucket, key }, () =>
      this.existsUnmapped(key),
    );
  }

  private async existsUnmapped(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  get(key: string): Promise<Uint8Array | null> {
    return awsCall('S3 GetObject (WORM copy)', { bucket: this.bucket, key }, () =>
      this.getUnmapped(key),
    );
  }

  private async getUnmapped(key: string): Promise<Uint8Array | null> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return object.Body ? await object.Body.transformToByteArray() : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async list(prefix: string, startAfter?: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix,
        ...(startAfter ? { StartAfter: startAfter } : {}),
        ...(token ? { ContinuationToken: token } : {}),
      });
      const page = await awsCall('S3 ListObjectsV2', { bucket: this.bucket, prefix }, () =>
        this.s3.send(command),
      );
      keys.push(...(page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async deleteMarkers(prefix: string): Promise<string[]> {
    const marked = new Set<string>();
    for await (const page of objectVersionPages(this.s3, this.bucket, prefix)) {
      for (const marker of page.DeleteMarkers ?? []) if (marker.Key) marked.add(marker.Key);
    }
    return [...marked].sort();
  }
}

/** The anchor's WORM store: each copy written once, locked for `retentionDays`. */
export class S3WormStore extends S3WormReader implements WormStore {
  constructor(
    s3: S3Client,
    bucket: string,
    private readonly retentionDays: number,
  ) {
    super(s3, bucket);
  }

  put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    return awsCall('S3 PutObject (WORM copy)', { bucket: this.bucket, key }, () =>
      this.putUnmapped(key, body, contentType),
    );
  }

  private putUnmapped(key: string, body: Uint8Array, contentType: string): Promise<void> {
    const object = {
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ObjectLockMode: 'COMPLIANCE' as const,
      ObjectLockRetainUntilDate: new Date(Date.now() + this.retentionDays * DAY_MS),
    };
    return putWriteOnce(this.s3, object, () => this.get(key), 'WORM copy');
  }
}

/**
 * The tiled log (c2sp.org/tlog-tiles) in the anchor bucket, under a prefix (`log/`): hash
 * tiles, entry bundles, the canonical records beside them and the latest checkpoint. Reading
 * is the TileReader port plus plain object reads; writing is write-once (If-None-Match), so a
 * tile, a bundle or a records file is never given a second version: a retried write of the
 * same bytes is accepted, other bytes are CHECKPOINT_INCONSISTENT (the log was forked or the
 * ledger rewritten). Only `checkpoint` is replaced on every publish.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LedgerError } from '../../core/errors';
import type { TileReader } from '../../core/tlog/tile-reader';
import { hashTilePath } from '../../core/tlog/tile-path';
import { awsCall } from './aws-errors';
import { isNotFound, putWriteOnce } from './s3-answers';

/** Where the log lives in the anchor bucket. */
export const LOG_PREFIX = 'log/';
/** The log's latest checkpoint (C2SP signed note, co-signed by both parties). */
export const LOG_CHECKPOINT = 'checkpoint';

/** The log read through S3: tiles for proofs, bundles and records for exports and monitors. */
export class S3TileLogReader implements TileReader {
  constructor(
    protected readonly s3: S3Client,
    protected readonly bucket: string,
    protected readonly prefix: string = LOG_PREFIX,
  ) {}

  /** The object at `path` (relative to the log's prefix), or null when there is none. */
  get(path: string): Promise<Uint8Array | null> {
    const key = this.prefix + path;
    return awsCall('S3 GetObject (tiled log)', { bucket: this.bucket, key }, async () => {
      try {
        const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
        return object.Body ? await object.Body.transformToByteArray() : new Uint8Array(0);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    });
  }

  async readHashTile(level: number, index: number, width: number): Promise<Uint8Array> {
    const path = hashTilePath({ level, index, width });
    const bytes = await this.get(path);
    if (bytes === null) {
      throw new LedgerError('TILE_MISSING', `the log holds no ${path}`, { level, index, width });
    }
    return bytes;
  }
}

/** The anchor's side: writes each log object once; replaces only the checkpoint. */
export class S3TileLogWriter extends S3TileLogReader {
  /** Writes `path` unless it exists; an existing object must hold exactly `body`. */
  putOnce(path: string, body: Uint8Array, contentType: string): Promise<void> {
    const key = this.prefix + path;
    return awsCall('S3 PutObject (tiled log)', { bucket: this.bucket, key }, () =>
      putWriteOnce(
        this.s3,
        { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
        () => this.get(path),
        'log object',
      ),
    );
  }

  /** Replaces the log's latest checkpoint (each version stays in the versioned bucket). */
  putCheckpoint(note: string): Promise<void> {
    const key = this.prefix + LOG_CHECKPOINT;
    return awsCall('S3 PutObject (log checkpoint)', { bucket: this.bucket, key }, () =>
      this.s3
        .send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: new TextEncoder().encode(note),
            ContentType: 'text/plain; charset=utf-8',
            ChecksumAlgorithm: 'SHA256',
          }),
        )
        .then(() => undefined),
    );
  }
}

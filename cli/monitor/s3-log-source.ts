/**
 * The log root in S3 (`s3://anchor-bucket/log/`) as the monitor's LogSource: the anchor's own
 * reader (functions/shared/s3-tile-log.ts), which maps "no such key" to null and AWS
 * failures to THROTTLED, ACCESS_DENIED, DEPENDENCY_UNAVAILABLE…
 */
import { S3Client } from '@aws-sdk/client-s3';
import { LedgerError } from '../../core/errors';
import type { LogSource } from '../../core/monitor';
import { S3TileLogReader } from '../../functions/shared/s3-tile-log';

const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

export interface S3Location {
  readonly bucket: string;
  /** The key prefix of the log root, '' or ending in '/'. */
  readonly prefix: string;
}

/** Whether LOG names an S3 location rather than a directory. */
export const isS3Url = (log: string): boolean => log.startsWith('s3://');

/** s3://bucket[/prefix[/]]; throws INVALID_INPUT for anything else. */
export function parseS3Url(url: string): S3Location {
  const match = S3_URL.exec(url);
  if (!match) throw new LedgerError('INVALID_INPUT', `not an s3://bucket/prefix/ URL: ${url}`);
  const path = match[2] ?? '';
  return { bucket: match[1]!, prefix: path === '' || path.endsWith('/') ? path : `${path}/` };
}

export interface S3ClientOptions {
  readonly profile?: string | undefined;
  readonly region?: string | undefined;
  readonly endpoint?: string | undefined;
}

/** The log at `url`, read with the usual credential chain unless the options override it. */
export function s3LogSource(url: string, options: S3ClientOptions): LogSource {
  const { bucket, prefix } = parseS3Url(url);
  const s3 = new S3Client({
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
  });
  return new S3TileLogReader(s3, bucket, prefix);
}

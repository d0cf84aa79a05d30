import {
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsCall } from './aws-errors';

/** Every page of ListObjectVersions under `prefix` (versions and delete markers), in S3's order. */
export async function* objectVersionPages(
  s3: S3Client,
  bucket: string,
  prefix?: string,
): AsyncIterable<ListObjectVersionsCommandOutput> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const command = new ListObjectVersionsCommand({
      Bucket: bucket,
      ...(prefix !== undefined ? { Prefix: prefix } : {}),
      ...(keyMarker ? { KeyMarker: keyMarker } : {}),
      ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
    });
    const page = await awsCall('S3 ListObjectVersions', { bucket, prefix }, () => s3.send(command));
    yield page;
    const more = page.IsTruncated === true;
    keyMarker = more ? page.NextKeyMarker : undefined;
    versionIdMarker = more ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
}

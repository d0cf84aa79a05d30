/**
 * EvidenceVersions over the evidence bucket: every object version, paged through
 * ListObjectVersions (delete markers are not versions: Object Lock keeps what they hide).
 */
import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EvidenceVersion, EvidenceVersions } from '../../core/audit/reconcile-ports';

export class S3EvidenceVersions implements EvidenceVersions {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async *list(): AsyncIterable<EvidenceVersion> {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({
          Bucket: this.bucket,
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
        }),
      );
      for (const version of page.Versions ?? []) {
        if (!version.Key || !version.VersionId) continue;
        const lastModified = (version.LastModified ?? new Date(0)).toISOString();
        yield { bucket: this.bucket, key: version.Key, versionId: version.VersionId, lastModified };
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
  }
}

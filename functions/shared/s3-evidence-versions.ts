/**
 * EvidenceVersions over the evidence bucket: every object version, paged through
 * ListObjectVersions (delete markers are not versions: Object Lock keeps what they hide).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { EvidenceVersion, EvidenceVersions } from '../../core/audit/reconcile-ports';
import { objectVersionPages } from './object-version-pages';

export class S3EvidenceVersions implements EvidenceVersions {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async *list(): AsyncIterable<EvidenceVersion> {
    for await (const page of objectVersionPages(this.s3, this.bucket)) {
      for (const version of page.Versions ?? []) {
        if (!version.Key || !version.VersionId) continue;
        const lastModified = (version.LastModified ?? new Date(0)).toISOString();
        yield { bucket: this.bucket, key: version.Key, versionId: version.VersionId, lastModified };
      }
    }
  }
}

/**
 * Runs the hasher's digest (S3EvidenceObjects, production tuning) in a process of its own
 * and prints its peak RSS, so the figure is the hasher's and not the benchmark's.
 *   tsx hasher-rss-child.ts <endpoint> <bucket> <key> <versionId> <size> <fast|resumable>
 */
import { S3Client } from '@aws-sdk/client-s3';
import { UNLIMITED_BUDGET } from '../../core/ports/evidence-objects';
import { S3EvidenceObjects } from '../../functions/shared/s3-evidence-objects';
import { resumableSha256 } from '../../functions/shared/sha256-hashers';

const [endpoint, bucket, key, versionId, sizeText, mode] = process.argv.slice(2);
if (
  !endpoint ||
  !bucket ||
  !key ||
  !versionId ||
  !sizeText ||
  (mode !== 'fast' && mode !== 'resumable')
) {
  throw new Error(
    'usage: hasher-rss-child.ts <endpoint> <bucket> <key> <versionId> <size> <fast|resumable>',
  );
}
const s3 = new S3Client({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const resumeFrom =
  mode === 'resumable' ? { offset: 0, state: (await resumableSha256(null)).save() } : null;
const started = performance.now();
const step = await new S3EvidenceObjects(s3).digest({
  ref: { bucket, key, versionId },
  size: Number(sizeText),
  resumeFrom,
  budget: UNLIMITED_BUDGET,
});
const seconds = (performance.now() - started) / 1000;
if (step?.kind !== 'done') throw new Error('the digest did not finish');
s3.destroy();
// maxRSS is in KiB.
process.stdout.write(
  JSON.stringify({
    seconds,
    sha256: step.digest.sha256,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);

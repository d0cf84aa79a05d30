/**
 * The uploaders' actions: put a version in the evidence bucket and send the S3 notification S3
 * would, or delete a version (most often before it is hashed). Each returns or marks the
 * ground truth the invariants compare records with.
 */
import { depositIdFor } from '../../core/deposit-id';
import { shortId } from './trace';
import { s3EventBody, sha256Hex, type PlannedUpload, type TrueVersion } from './workload';
import { BUCKET, type World } from './world';

/** Puts the next planned upload and sends its S3 event; returns what was really put. */
export async function upload(world: World, planned: PlannedUpload): Promise<TrueVersion> {
  const put = world.objects.put(BUCKET, planned.key, planned.bytes, planned.metadata);
  const info = await world.objects.head(put);
  if (!info) throw new Error(`the version just put is missing: ${put.versionId}`);
  const version: TrueVersion = {
    bucket: put.bucket,
    key: put.key,
    versionId: put.versionId,
    sha256: sha256Hex(planned.bytes),
    size: put.size,
    eTag: put.eTag,
    metadata: info.metadata,
    lastModified: info.lastModified,
    deleted: false,
  };
  world.trace.step(
    `upload ${planned.kind} ${put.key}@${put.versionId} ${put.size}B ${shortId(depositIdFor(put))}`,
  );
  if (planned.versionless)
    world.trace.fault('event-without-versionId', `${put.key}@${put.versionId}`);
  world.deliver(
    world.queues.intake,
    s3EventBody(version, world.clock.now().toISOString(), planned.versionless),
  );
  return version;
}

export function deleteVersion(world: World, version: TrueVersion): void {
  world.objects.deleteVersion(version);
  version.deleted = true;
  world.trace.fault(
    'deleted-early',
    `${version.key}@${version.versionId} ${shortId(depositIdFor(version))}`,
  );
}

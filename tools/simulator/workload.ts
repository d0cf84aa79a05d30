/**
 * What the uploaders do in one run, drawn from the seed before it starts: new keys, new
 * versions of a key, identical bytes (under a new key or as a new version of the same key),
 * objects large enough to be hashed in several slices, and versions deleted soon after they
 * are put. Each upload sends the S3 notification real S3 would (test/fixtures/s3-events), or
 * one without versionId (as moto sends them). What was put is remembered as the ground truth
 * the invariants compare records with.
 *
 * Keys come in three families: `keep/` (events with versionId), `del/` (events with versionId,
 * versions may be deleted early) and `moto/` (every event without versionId, as moto sends
 * them). A versionless event is resolved to "the oldest matching version not yet deposited",
 * which is sound only if all of a key's events are versionless and none of its versions is
 * deleted: real S3 never mixes the two (docs/SIMULATION.md, what is not covered).
 */
import { createHash } from 'node:crypto';
import type { ObjectVersionRef } from '../../core/ports/evidence-objects';
import type { FaultRates } from './faults';
import type { Prng } from '../fakes/prng';

export interface PlannedUpload {
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly metadata: Readonly<Record<string, string>>;
  readonly versionless: boolean;
  readonly deleteEarly: boolean;
  readonly kind: 'new-key' | 'new-version' | 'identical-bytes' | 'large';
}

/** One object version the run put, and what it truly is. */
export interface TrueVersion extends ObjectVersionRef {
  readonly sha256: string;
  readonly size: number;
  readonly eTag: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly lastModified: string;
  deleted: boolean;
}

export const UPLOADER = { principalId: 'AWS:AIDASIMULATEDUPLOADER', sourceIp: '203.0.113.7' };

const MAX_SMALL_BYTES = 200;
const LARGE_BYTES: readonly [number, number] = [300, 900];

export function planWorkload(prng: Prng, rates: FaultRates, count: number): PlannedUpload[] {
  const plan: PlannedUpload[] = [];
  for (let i = 0; i < count; i++) {
    const kind =
      plan.length === 0
        ? 'new-key'
        : prng.weighted([
            ['new-key', 4],
            ['new-version', 2],
            ['identical-bytes', 2],
            ['large', 2],
          ] as const);
    const previous = plan.length > 0 ? prng.pick(plan) : null;
    const family = prng.chance(rates.versionless) ? 'moto' : prng.chance(0.3) ? 'del' : 'keep';
    const freshKey = `cases/${family}/item-${i}.bin`;
    const key =
      (kind === 'new-version' || (kind === 'identical-bytes' && prng.chance(0.6))) && previous
        ? previous.key
        : freshKey;
    const keyDeletable = key.startsWith('cases/del/');
    const bytes =
      kind === 'identical-bytes' && previous
        ? previous.bytes.slice()
        : prng.bytes(kind === 'large' ? prng.int(...LARGE_BYTES) : prng.int(0, MAX_SMALL_BYTES));
    plan.push({
      key,
      bytes,
      metadata: { 'case-id': `C-${prng.int(1, 5)}`, exhibit: String(i) },
      versionless: key.startsWith('cases/moto/'),
      deleteEarly: keyDeletable && prng.chance(rates.deleteEarly),
      kind,
    });
  }
  return plan;
}

export const sha256Hex = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

/** The S3 notification body for one upload, shaped as AWS sends it; no versionId if `versionless`. */
export function s3EventBody(version: TrueVersion, eventTime: string, versionless: boolean): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventTime,
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: UPLOADER.principalId },
        requestParameters: { sourceIPAddress: UPLOADER.sourceIp },
        responseElements: { 'x-amz-request-id': 'SIMULATED', 'x-amz-id-2': 'SIMULATED' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'evidence-intake',
          bucket: {
            name: version.bucket,
            ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
            arn: `arn:aws:s3:::${version.bucket}`,
          },
          object: {
            key: version.key,
            size: version.size,
            eTag: version.eTag,
            ...(versionless ? {} : { versionId: version.versionId }),
            sequencer: '0055AED6DCD90281E5',
          },
        },
      },
    ],
  });
}

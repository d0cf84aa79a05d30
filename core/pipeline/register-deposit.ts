/**
 * Stage 1 (hasher): turn an ObjectCreated notice into a deposit.
 *
 * At-least-once, out-of-order delivery: the deposit id is derived from the exact object
 * version, and the deposit is created with a conditional write, so a notice delivered twice
 * yields one deposit. When the notice lacks a versionId (moto omits it), the version is
 * resolved by ETag and size, oldest undeposited first, never "the latest version", which
 * could be a newer upload racing this one.
 */
import { depositIdFor } from '../deposit-id';
import { LedgerError } from '../errors';
import type { Clock } from '../ports';
import type { Deposit } from '../types';
import type { ObjectCreatedNotice } from './s3-notification';
import type { DepositStore, EvidenceObjects, ObjectVersionRef, StageQueue } from './ports';

export interface RegisterDepositDeps {
  readonly objects: EvidenceObjects;
  readonly deposits: DepositStore;
  /** The agency signer's queue. */
  readonly next: StageQueue;
  readonly clock: Clock;
}

export type RegisterOutcome =
  | { readonly kind: 'registered'; readonly depositId: string }
  | { readonly kind: 'duplicate'; readonly depositId: string }
  | { readonly kind: 'failed'; readonly depositId: string; readonly code: 'OBJECT_NOT_FOUND' };

async function candidateVersions(notice: ObjectCreatedNotice, objects: EvidenceObjects): Promise<string[]> {
  if (notice.versionId !== null) return [notice.versionId];
  if (notice.eTag === null) {
    throw new LedgerError('INVALID_EVENT', 'notice has neither versionId nor eTag', { key: notice.key });
  }
  return objects.versionsMatching(notice.bucket, notice.key, notice.eTag, notice.size);
}

function buildDeposit(
  notice: ObjectCreatedNotice,
  ref: ObjectVersionRef,
  digest: { sha256: string; size: number },
  metadata: Readonly<Record<string, string>>,
): Deposit {
  return {
    depositId: depositIdFor(ref),
    bucket: ref.bucket,
    key: ref.key,
    versionId: ref.versionId,
    size: digest.size,
    sha256: digest.sha256,
    uploadedAt: notice.eventTime,
    uploader: { principalId: notice.principalId, sourceIp: notice.sourceIp },
    caseMetadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v])),
  };
}

/** Hashes one version and creates its deposit; null when the version is gone. */
async function hashAndCreate(
  notice: ObjectCreatedNotice,
  ref: ObjectVersionRef,
  deps: RegisterDepositDeps,
): Promise<'created' | 'exists' | null> {
  const info = await deps.objects.head(ref);
  if (!info) return null;
  const digest = await deps.objects.digest(ref);
  if (!digest) return null;
  if (digest.size !== info.size) {
    throw new LedgerError('DIGEST_MISMATCH', 'bytes read differ from the object size', { ...ref });
  }
  return deps.deposits.create(buildDeposit(notice, ref, digest, info.metadata), deps.clock.now());
}

async function recordObjectNotFound(notice: ObjectCreatedNotice, deps: RegisterDepositDeps): Promise<RegisterOutcome> {
  const versionId = notice.versionId;
  // Without a version id, the failure is keyed by the ETag the notice named.
  const depositId = depositIdFor({ bucket: notice.bucket, key: notice.key, versionId: versionId ?? `etag:${notice.eTag}` });
  await deps.deposits.fail(
    { depositId, bucket: notice.bucket, key: notice.key, versionId, eTag: notice.eTag },
    { code: 'OBJECT_NOT_FOUND', message: 'the object version was deleted before it could be hashed' },
    deps.clock.now(),
  );
  return { kind: 'failed', depositId, code: 'OBJECT_NOT_FOUND' };
}

/** Re-sends a duplicate that is still waiting for the agency: its first send may have been lost. */
async function forwardIfWaiting(depositId: string, deps: RegisterDepositDeps): Promise<RegisterOutcome> {
  const state = await deps.deposits.get(depositId);
  if (state?.status === 'PENDING_AGENCY_SIGNATURE') await deps.next.send(depositId);
  return { kind: 'duplicate', depositId };
}

export async function registerDeposit(
  notice: ObjectCreatedNotice,
  deps: RegisterDepositDeps,
): Promise<RegisterOutcome> {
  const exact = notice.versionId !== null;
  let lastExisting: string | null = null;
  for (const versionId of await candidateVersions(notice, deps.objects)) {
    const ref = { bucket: notice.bucket, key: notice.key, versionId };
    const depositId = depositIdFor(ref);
    const outcome = (await deps.deposits.get(depositId)) ? 'exists' : await hashAndCreate(notice, ref, deps);
    if (outcome === 'created') {
      await deps.next.send(depositId);
      return { kind: 'registered', depositId };
    }
    if (outcome === 'exists') {
      // With an exact version this notice is a redelivery; by ETag, try the next candidate.
      if (exact) return forwardIfWaiting(depositId, deps);
      lastExisting = depositId;
    }
  }
  if (lastExisting !== null) return forwardIfWaiting(lastExisting, deps);
  return recordObjectNotFound(notice, deps);
}

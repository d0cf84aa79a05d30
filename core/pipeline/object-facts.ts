/**
 * The facts a party reads itself from S3 about one object version, and how they are compared
 * with facts someone else proposes. Every party builds the deposit it signs from these, never
 * from another stage's storage: the version's size, user metadata and Last-Modified from a
 * HEAD of the exact version, the deposit id recomputed from (bucket, key, versionId).
 */
import { canonicalJson } from '../canonical-json';
import { depositIdFor } from '../deposit-id';
import { LedgerError } from '../errors';
import type { DepositDraft, Uploader } from '../types';
import type { ObjectVersionInfo, ObjectVersionRef } from '../ports/evidence-objects';

/** The facts of `ref` as S3 reports them, with the uploader S3 reported in the event. */
export function draftFromObject(
  ref: ObjectVersionRef,
  info: ObjectVersionInfo,
  uploader: Uploader,
): DepositDraft {
  return {
    depositId: depositIdFor(ref),
    bucket: ref.bucket,
    key: ref.key,
    versionId: ref.versionId,
    size: info.size,
    // Last-Modified of a version is when S3 created it: a fact every party can read for itself.
    uploadedAt: info.lastModified,
    uploader: { principalId: uploader.principalId, sourceIp: uploader.sourceIp },
    caseMetadata: Object.fromEntries(
      Object.entries(info.metadata).map(([k, v]) => [k.toLowerCase(), v]),
    ),
  };
}

const DRAFT_FIELDS: readonly (keyof DepositDraft)[] = [
  'depositId',
  'bucket',
  'key',
  'versionId',
  'size',
  'uploadedAt',
  'uploader',
  'caseMetadata',
];

/** Names of the facts in which `proposed` differs from `established`, in a fixed order. */
export function differingFacts(established: DepositDraft, proposed: DepositDraft): string[] {
  return DRAFT_FIELDS.filter(
    (field) => canonicalJson(established[field]) !== canonicalJson(proposed[field]),
  );
}

/**
 * Throws DEPOSIT_ID_MISMATCH unless `depositId` is the id of the version the facts name and
 * that version is in the bucket this party serves: a message or a mailbox item naming another
 * object (or another bucket the role happens to be able to read) is never signed.
 */
export function requireOwnDeposit(
  depositId: string,
  ref: ObjectVersionRef,
  evidenceBucket: string,
): void {
  const derived = depositIdFor(ref);
  if (derived !== depositId) {
    throw new LedgerError(
      'DEPOSIT_ID_MISMATCH',
      `deposit ${depositId} does not name the version it claims`,
      { depositId, derived },
    );
  }
  if (ref.bucket !== evidenceBucket) {
    throw new LedgerError(
      'DEPOSIT_ID_MISMATCH',
      `deposit ${depositId} is in bucket ${ref.bucket}, not the evidence bucket`,
      {
        depositId,
        bucket: ref.bucket,
      },
    );
  }
}

/**
 * Stage 1 (hasher): turn an ObjectCreated notice into a deposit.
 *
 * At-least-once, out-of-order delivery: the deposit id is derived from the exact object
 * version, and the deposit is created with a conditional write, so a notice delivered twice
 * yields one deposit. When the notice lacks a versionId (moto omits it), the version is
 * resolved by ETag and size, oldest undeposited first, never "the latest version", which
 * could be a newer upload racing this one.
 *
 * An object too large to hash within one invocation is hashed in slices: the deposit is a
 * HASHING item holding its facts and a checkpoint (offset, SHA-256 state), and a
 * continuation message naming the deposit goes back to the hasher's own queue. Each slice
 * advances the checkpoint conditionally on the one it started from, and only the invocation
 * whose write succeeded sends the next continuation, so a redelivered message or a notice
 * racing a continuation never double-counts bytes or forks the chain of slices; a crash
 * resumes from the last saved checkpoint.
 */
import { depositIdFor } from '../deposit-id';
import { LedgerError } from '../errors';
import type { Clock } from '../ports';
import type { DepositDraft } from '../types';
import type { ObjectCreatedNotice } from './s3-notification';
import {
  UNLIMITED_BUDGET,
  type DepositState,
  type DepositStore,
  type EvidenceObjects,
  type HashCheckpoint,
  type ObjectVersionRef,
  type StageQueue,
  type WorkBudget,
} from './ports';

export interface RegisterDepositDeps {
  readonly objects: EvidenceObjects;
  readonly deposits: DepositStore;
  /** The agency signer's queue. */
  readonly next: StageQueue;
  /** The hasher's own queue: continuations of objects hashed in slices. */
  readonly continueOn: StageQueue;
  readonly clock: Clock;
}

export type RegisterOutcome =
  | { readonly kind: 'registered'; readonly depositId: string }
  | { readonly kind: 'duplicate'; readonly depositId: string }
  /** Not finished in this invocation: hashed up to `offset` (when this invocation's slice was saved). */
  | { readonly kind: 'hashing'; readonly depositId: string; readonly offset: number }
  | { readonly kind: 'failed'; readonly depositId: string; readonly code: 'OBJECT_NOT_FOUND' }
  /** A continuation for a deposit that does not exist: nothing to do. */
  | { readonly kind: 'ignored'; readonly depositId: string };

async function candidateVersions(notice: ObjectCreatedNotice, objects: EvidenceObjects): Promise<string[]> {
  if (notice.versionId !== null) return [notice.versionId];
  if (notice.eTag === null) {
    throw new LedgerError('INVALID_EVENT', 'notice has neither versionId nor eTag', { key: notice.key });
  }
  return objects.versionsMatching(notice.bucket, notice.key, notice.eTag, notice.size);
}

function buildDraft(
  notice: ObjectCreatedNotice,
  ref: ObjectVersionRef,
  size: number,
  metadata: Readonly<Record<string, string>>,
): DepositDraft {
  return {
    depositId: depositIdFor(ref),
    bucket: ref.bucket,
    key: ref.key,
    versionId: ref.versionId,
    size,
    uploadedAt: notice.eventTime,
    uploader: { principalId: notice.principalId, sourceIp: notice.sourceIp },
    caseMetadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v])),
  };
}

type SliceOutcome = 'created' | 'exists' | { readonly offset: number } | null;

/**
 * Hashes the next slice of a draft's object. Done: creates the deposit. Not done: saves the
 * checkpoint (creating the HASHING item on the first slice) and, if this invocation's write
 * won, sends the continuation. Null when the version is gone.
 */
async function hashSlice(
  draft: DepositDraft,
  resumeFrom: HashCheckpoint | null,
  started: boolean,
  deps: RegisterDepositDeps,
  budget: WorkBudget,
): Promise<SliceOutcome> {
  const step = await deps.objects.digest({ ref: draft, size: draft.size, resumeFrom, budget });
  if (!step) return null;
  const now = deps.clock.now();
  if (step.kind === 'partial') {
    const saved = started
      ? await deps.deposits.saveHashProgress(draft.depositId, 'hasher', resumeFrom, step.checkpoint, now)
      : await deps.deposits.startHashing(draft, step.checkpoint, now);
    if (saved === 'saved') await deps.continueOn.send(draft.depositId);
    // Another notice created this HASHING item first: it is an existing deposit, not ours.
    else if (!started) return 'exists';
    return { offset: step.checkpoint.offset };
  }
  if (step.digest.size !== draft.size) {
    throw new LedgerError('DIGEST_MISMATCH', 'bytes read differ from the object size', { depositId: draft.depositId });
  }
  return deps.deposits.create({ ...draft, sha256: step.digest.sha256 }, now);
}

/** Hashes one version from its first byte; null when the version is gone. */
async function hashFresh(
  notice: ObjectCreatedNotice,
  ref: ObjectVersionRef,
  deps: RegisterDepositDeps,
  budget: WorkBudget,
): Promise<SliceOutcome> {
  const info = await deps.objects.head(ref);
  if (!info) return null;
  return hashSlice(buildDraft(notice, ref, info.size, info.metadata), null, false, deps, budget);
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

/** Continues a HASHING item from its checkpoint. */
async function continueHashing(
  state: DepositState,
  deps: RegisterDepositDeps,
  budget: WorkBudget,
): Promise<RegisterOutcome> {
  const { depositId, draft } = state;
  const checkpoint = state.checkpoints.hasher;
  if (!draft || !checkpoint) throw new LedgerError('INVALID_INPUT', `HASHING deposit ${depositId} has no draft or checkpoint`, { depositId });
  const outcome = await hashSlice(draft, checkpoint, true, deps, budget);
  if (outcome === null) {
    const failure = { code: 'OBJECT_NOT_FOUND', message: 'the object version was deleted while it was being hashed' };
    await deps.deposits.fail(depositId, failure, deps.clock.now());
    return { kind: 'failed', depositId, code: 'OBJECT_NOT_FOUND' };
  }
  return settle(depositId, outcome, deps, budget);
}

/**
 * An existing item: re-sends one still waiting for the agency (its first send may have been
 * lost) and continues one still being hashed.
 */
async function forwardIfWaiting(depositId: string, deps: RegisterDepositDeps, budget: WorkBudget): Promise<RegisterOutcome> {
  const state = await deps.deposits.get(depositId);
  if (state?.status === 'HASHING') return continueHashing(state, deps, budget);
  if (state?.status === 'PENDING_AGENCY_SIGNATURE') await deps.next.send(depositId);
  return { kind: 'duplicate', depositId };
}

async function settle(
  depositId: string,
  outcome: Exclude<SliceOutcome, null>,
  deps: RegisterDepositDeps,
  budget: WorkBudget,
): Promise<RegisterOutcome> {
  if (outcome === 'created') {
    await deps.next.send(depositId);
    return { kind: 'registered', depositId };
  }
  if (outcome === 'exists') return forwardIfWaiting(depositId, deps, budget);
  return { kind: 'hashing', depositId, offset: outcome.offset };
}

export async function registerDeposit(
  notice: ObjectCreatedNotice,
  deps: RegisterDepositDeps,
  budget: WorkBudget = UNLIMITED_BUDGET,
): Promise<RegisterOutcome> {
  const exact = notice.versionId !== null;
  let lastExisting: string | null = null;
  for (const versionId of await candidateVersions(notice, deps.objects)) {
    const ref = { bucket: notice.bucket, key: notice.key, versionId };
    const depositId = depositIdFor(ref);
    const outcome = (await deps.deposits.get(depositId)) ? 'exists' : await hashFresh(notice, ref, deps, budget);
    if (outcome === null) continue;
    // With an exact version an existing item is a redelivery; by ETag, try the next candidate.
    if (outcome !== 'exists' || exact) return settle(depositId, outcome, deps, budget);
    // But first nudge the existing one along: its own first send may have been lost.
    await forwardIfWaiting(depositId, deps, budget);
    lastExisting = depositId;
  }
  if (lastExisting !== null) return { kind: 'duplicate', depositId: lastExisting };
  return recordObjectNotFound(notice, deps);
}

/** A continuation message from the hasher's own queue: the next slice of a HASHING deposit. */
export async function continueDeposit(
  depositId: string,
  deps: RegisterDepositDeps,
  budget: WorkBudget = UNLIMITED_BUDGET,
): Promise<RegisterOutcome> {
  const state = await deps.deposits.get(depositId);
  if (!state) return { kind: 'ignored', depositId };
  return forwardIfWaiting(depositId, deps, budget);
}

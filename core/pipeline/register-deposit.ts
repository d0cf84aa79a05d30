/**
 * Stage 1 (hasher, one of the agency's roles): turn an ObjectCreated notice into a deposit.
 *
 * The hasher establishes the agency's facts from primary sources only: the exact version's
 * size, metadata and Last-Modified from S3, its own SHA-256 of the bytes, and the uploader S3
 * reported in the event (the intake queue receives only from S3 and from the hasher itself).
 * It keeps them, and any unfinished digest, in the agency's own state (PartyStateStore),
 * which no other stage can write; the shared Deposits mailbox only carries a copy onwards.
 *
 * At-least-once, out-of-order delivery: the deposit id is derived from the exact object
 * version, and every write is conditional, so a notice delivered twice yields one deposit.
 * When the notice lacks a versionId (moto omits it), the version is resolved by ETag and
 * size, oldest undeposited first, never "the latest version", which could be a newer upload
 * racing this one.
 *
 * An object too large to hash within one invocation is hashed in slices: the agency's state
 * holds the draft and a checkpoint (offset, SHA-256 state), and a continuation naming the
 * deposit goes back to the hasher's own queue. Each slice advances the checkpoint
 * conditionally on the one it started from, and only the invocation whose write succeeded
 * sends the next continuation, so a redelivered message or a notice racing a continuation
 * never double-counts bytes or forks the chain of slices; a crash resumes from the last
 * saved checkpoint.
 */
import { depositIdFor } from '../deposit-id';
import { LedgerError, isLedgerError } from '../errors';
import type { Clock } from '../ports';
import { depositDraftSchema, parseWith } from '../schemas';
import type { Deposit, DepositDraft } from '../types';
import { draftFromObject } from './object-facts';
import type { NoticedVersion, ObjectCreatedNotice, RejectedNotice } from './object-notice';
import {
  UNLIMITED_BUDGET,
  type DepositFailure,
  type DepositStore,
  type EvidenceObjects,
  type HashCheckpoint,
  type ObjectVersionRef,
  type PartyDepositState,
  type PartyStateStore,
  type StageQueue,
  type WorkBudget,
} from './ports';

export interface RegisterDepositDeps {
  readonly objects: EvidenceObjects;
  /** The shared mailbox the signers and the appender read. */
  readonly deposits: DepositStore;
  /** The agency's own state: its drafts, checkpoints and established facts. */
  readonly party: PartyStateStore;
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
  | { readonly kind: 'failed'; readonly depositId: string; readonly code: string }
  /** A continuation for a deposit that does not exist: nothing to do. */
  | { readonly kind: 'ignored'; readonly depositId: string };

async function candidateVersions(notice: ObjectCreatedNotice, objects: EvidenceObjects): Promise<string[]> {
  if (notice.versionId !== null) return [notice.versionId];
  if (notice.eTag === null) {
    throw new LedgerError('INVALID_EVENT', 'notice has neither versionId nor eTag', { key: notice.key });
  }
  return objects.versionsMatching(notice.bucket, notice.key, notice.eTag, notice.size);
}

/**
 * The draft, validated with the schema it is read back with: a value the store would refuse
 * later (an uploader field out of bounds, metadata past S3's limits) fails the deposit now,
 * with a code, instead of wedging every later read of it.
 */
function validDraft(draft: DepositDraft): DepositDraft | DepositFailure {
  try {
    return parseWith(depositDraftSchema, draft, 'deposit facts');
  } catch (error) {
    if (!isLedgerError(error, 'INVALID_INPUT')) throw error;
    const path = typeof error.details.path === 'string' ? error.details.path : '';
    return { code: path.startsWith('uploader') ? 'INVALID_EVENT' : 'INVALID_INPUT', message: error.message };
  }
}

type SliceOutcome = 'created' | 'exists' | { readonly offset: number } | null;

/** Records the agency's facts once, then puts them in the mailbox. */
async function establish(facts: Deposit, deps: RegisterDepositDeps): Promise<'created' | 'exists'> {
  const now = deps.clock.now();
  if ((await deps.party.recordFacts(facts, now)) === 'exists') {
    // Another invocation of ours got there first; its facts are the ones we stand by.
    const stored = (await deps.party.get(facts.depositId))?.facts;
    if (!stored) throw new LedgerError('PARTY_STATE_CORRUPT', `recorded facts of ${facts.depositId} are gone`, { depositId: facts.depositId });
    return deps.deposits.create(stored, now);
  }
  return deps.deposits.create(facts, now);
}

/**
 * Hashes the next slice of a draft's object. Done: establishes the deposit. Not done: saves
 * the checkpoint in the agency's state and, if this invocation's write won, sends the
 * continuation. Null when the version is gone.
 */
async function hashSlice(
  draft: DepositDraft,
  resumeFrom: HashCheckpoint | null,
  deps: RegisterDepositDeps,
  budget: WorkBudget,
): Promise<SliceOutcome> {
  const step = await deps.objects.digest({ ref: draft, size: draft.size, resumeFrom, budget });
  if (!step) return null;
  if (step.kind === 'partial') {
    const saved = await deps.party.saveHashProgress(draft, resumeFrom, step.checkpoint, deps.clock.now());
    if (saved === 'saved') await deps.continueOn.send(draft.depositId);
    // Another notice started this deposit first: it is an existing deposit, not ours.
    else if (resumeFrom === null) return 'exists';
    return { offset: step.checkpoint.offset };
  }
  if (step.digest.size !== draft.size) {
    throw new LedgerError('DIGEST_MISMATCH', 'bytes read differ from the object size', { depositId: draft.depositId });
  }
  return establish({ ...draft, sha256: step.digest.sha256 }, deps);
}

/** Writes a failure record for an object version that never became a deposit. */
async function failObject(
  ref: { readonly depositId: string; readonly bucket: string; readonly key: string; readonly versionId: string | null },
  eTag: string | null,
  failure: DepositFailure,
  deps: RegisterDepositDeps,
): Promise<RegisterOutcome> {
  await deps.deposits.fail({ ...ref, eTag }, failure, deps.clock.now());
  return { kind: 'failed', depositId: ref.depositId, code: failure.code };
}

/** Hashes one version from its first byte; null when the version is gone. */
async function hashFresh(
  notice: ObjectCreatedNotice,
  ref: ObjectVersionRef,
  deps: RegisterDepositDeps,
  budget: WorkBudget,
): Promise<SliceOutcome | RegisterOutcome> {
  const info = await deps.objects.head(ref);
  if (!info) return null;
  const draft = validDraft(draftFromObject(ref, info, { principalId: notice.principalId, sourceIp: notice.sourceIp }));
  if ('code' in draft) return failObject({ ...ref, depositId: depositIdFor(ref) }, notice.eTag, draft, deps);
  return hashSlice(draft, null, deps, budget);
}

/** Fails the version a notice names; without a version id, the failure is keyed by the notice's ETag. */
function failNoticed(notice: NoticedVersion, failure: DepositFailure, deps: RegisterDepositDeps): Promise<RegisterOutcome> {
  const { versionId } = notice;
  const depositId = depositIdFor({ bucket: notice.bucket, key: notice.key, versionId: versionId ?? `etag:${notice.eTag}` });
  return failObject({ depositId, bucket: notice.bucket, key: notice.key, versionId }, notice.eTag, failure, deps);
}

function recordObjectNotFound(notice: ObjectCreatedNotice, deps: RegisterDepositDeps): Promise<RegisterOutcome> {
  return failNoticed(notice, { code: 'OBJECT_NOT_FOUND', message: 'the object version was deleted before it could be hashed' }, deps);
}

/**
 * A notice whose values the deposit could not be stored with ends FAILED with INVALID_EVENT
 * instead of being retried into the dead-letter queue. The write is conditional: a deposit
 * that already exists (its genuine notice came first) is left as it is.
 */
export function rejectNotice(notice: RejectedNotice, deps: RegisterDepositDeps): Promise<RegisterOutcome> {
  return failNoticed(notice, { code: 'INVALID_EVENT', message: notice.message }, deps);
}

/** Continues the agency's unfinished digest of a deposit from its own checkpoint. */
async function continueHashing(
  own: PartyDepositState & { readonly draft: DepositDraft; readonly checkpoint: HashCheckpoint },
  deps: RegisterDepositDeps,
  budget: WorkBudget,
): Promise<RegisterOutcome> {
  const outcome = await hashSlice(own.draft, own.checkpoint, deps, budget);
  if (outcome === null) {
    const failure = { code: 'OBJECT_NOT_FOUND', message: 'the object version was deleted while it was being hashed' };
    return failObject(own.draft, null, failure, deps);
  }
  return settle(own.depositId, outcome, deps, budget);
}

/**
 * An existing deposit: re-sends one still waiting for the agency (its first send may have
 * been lost), puts established facts into the mailbox if a crash left them out, and
 * continues one still being hashed.
 */
async function forwardIfWaiting(depositId: string, deps: RegisterDepositDeps, budget: WorkBudget): Promise<RegisterOutcome> {
  const mailbox = await deps.deposits.get(depositId);
  if (mailbox) {
    if (mailbox.status === 'PENDING_AGENCY_SIGNATURE') await deps.next.send(depositId);
    return { kind: 'duplicate', depositId };
  }
  const own = await deps.party.get(depositId);
  if (own?.facts) return settle(depositId, await deps.deposits.create(own.facts, deps.clock.now()), deps, budget);
  if (own?.draft && own.checkpoint) return continueHashing({ ...own, draft: own.draft, checkpoint: own.checkpoint }, deps, budget);
  return { kind: 'ignored', depositId };
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

async function isKnown(depositId: string, deps: RegisterDepositDeps): Promise<boolean> {
  return (await deps.deposits.get(depositId)) !== null || (await deps.party.get(depositId)) !== null;
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
    const outcome = (await isKnown(depositId, deps)) ? 'exists' : await hashFresh(notice, ref, deps, budget);
    if (outcome === null) continue;
    if (typeof outcome === 'object' && 'kind' in outcome) return outcome;
    // With an exact version an existing item is a redelivery; by ETag, try the next candidate.
    if (outcome !== 'exists' || exact) return settle(depositId, outcome, deps, budget);
    // But first nudge the existing one along: its own first send may have been lost.
    await forwardIfWaiting(depositId, deps, budget);
    lastExisting = depositId;
  }
  if (lastExisting !== null) return { kind: 'duplicate', depositId: lastExisting };
  return recordObjectNotFound(notice, deps);
}

/** A continuation message from the hasher's own queue: the next slice of a deposit being hashed. */
export async function continueDeposit(
  depositId: string,
  deps: RegisterDepositDeps,
  budget: WorkBudget = UNLIMITED_BUDGET,
): Promise<RegisterOutcome> {
  return forwardIfWaiting(depositId, deps, budget);
}

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
import type { Clock } from '../ports/clock';
import { depositDraftSchema, parseWith } from '../schemas';
import type { Deposit, DepositDraft } from '../types';
import { draftFromObject } from './object-facts';
import { hashSlice } from './hash-slice';
import type { NoticedVersion, ObjectCreatedNotice, RejectedNotice } from './object-notice';
import {
  UNLIMITED_BUDGET,
  type EvidenceObjects,
  type HashCheckpoint,
  type ObjectVersionRef,
  type WorkBudget,
} from '../ports/evidence-objects';
import {
  failedObject,
  registered,
  type DepositFailure,
  type DepositFailureCode,
  type DepositState,
} from './deposit-state';
import type { DepositWriter } from '../ports/deposits';
import type { PartyStateStore } from '../ports/party-state';
import type { StageQueue } from './stage-queue';

export interface RegisterDepositDeps {
  readonly objects: EvidenceObjects;
  /** The shared mailbox the signers and the appender read. */
  readonly deposits: DepositWriter;
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
  | { readonly kind: 'failed'; readonly depositId: string; readonly code: DepositFailureCode }
  /** A continuation for a deposit that does not exist: nothing to do. */
  | { readonly kind: 'ignored'; readonly depositId: string };

/**
 * What one step did when it did not settle the deposit: the version is gone, or another
 * invocation got there first (its checkpoint or its mailbox item won the conditional write),
 * so the deposit is an existing one now.
 */
type Gone = { readonly kind: 'gone' };
type Raced = { readonly kind: 'raced' };

/** Where one deposit stands, read from the mailbox and from the agency's own state. */
type Standing =
  | { readonly kind: 'in-mailbox'; readonly state: DepositState }
  | { readonly kind: 'established'; readonly facts: Deposit }
  | { readonly kind: 'hashing'; readonly draft: DepositDraft; readonly checkpoint: HashCheckpoint }
  /** Neither store holds it. */
  | { readonly kind: 'unknown' }
  /** The agency holds something for it, but nothing to go on from. */
  | { readonly kind: 'stranded' };

/**
 * Each race means another invocation moved the deposit further along (a checkpoint, then its
 * facts, then the mailbox item), so re-reading ends in the mailbox after at most two; a third
 * would be storage misbehaving.
 */
const MAX_RACES = 3;

async function candidateVersions(
  notice: ObjectCreatedNotice,
  objects: EvidenceObjects,
): Promise<string[]> {
  if (notice.versionId !== null) return [notice.versionId];
  if (notice.eTag === null) {
    throw new LedgerError('INVALID_EVENT', 'notice has neither versionId nor eTag', {
      key: notice.key,
    });
  }
  return objects.versionsMatching(notice.bucket, notice.key, notice.eTag, notice.size);
}

async function standingOf(depositId: string, deps: RegisterDepositDeps): Promise<Standing> {
  const state = await deps.deposits.get(depositId);
  if (state) return { kind: 'in-mailbox', state };
  const own = await deps.party.get(depositId);
  if (!own) return { kind: 'unknown' };
  if (own.facts) return { kind: 'established', facts: own.facts };
  if (own.draft && own.checkpoint)
    return { kind: 'hashing', draft: own.draft, checkpoint: own.checkpoint };
  return { kind: 'stranded' };
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
    return {
      code: path.startsWith('uploader') ? 'INVALID_EVENT' : 'INVALID_INPUT',
      message: error.message,
    };
  }
}

/** Writes a failure record for an object version that never became a deposit. */
async function failObject(
  depositId: string,
  object: {
    readonly bucket: string;
    readonly key: string;
    readonly versionId: string | null;
    readonly eTag: string | null;
  },
  failure: DepositFailure,
  deps: RegisterDepositDeps,
): Promise<RegisterOutcome> {
  await deps.deposits.fail(failedObject(depositId, object, failure), deps.clock.now());
  return { kind: 'failed', depositId, code: failure.code };
}

/** Fails the version a notice names; without a version id, the failure is keyed by the notice's ETag. */
function failNoticed(
  notice: NoticedVersion,
  failure: DepositFailure,
  deps: RegisterDepositDeps,
): Promise<RegisterOutcome> {
  const { bucket, key, versionId, eTag } = notice;
  const depositId = depositIdFor({ bucket, key, versionId: versionId ?? `etag:${eTag}` });
  return failObject(depositId, { bucket, key, versionId, eTag }, failure, deps);
}

/**
 * A notice whose values the deposit could not be stored with ends FAILED with INVALID_EVENT
 * instead of being retried into the dead-letter queue. The write is conditional: a deposit
 * that already exists (its genuine notice came first) is left as it is.
 */
export function rejectNotice(
  notice: RejectedNotice,
  deps: RegisterDepositDeps,
): Promise<RegisterOutcome> {
  return failNoticed(notice, { code: 'INVALID_EVENT', message: notice.message }, deps);
}

/** Records the agency's facts once, then puts the ones it stands by into the mailbox. */
async function createDeposit(
  facts: Deposit,
  deps: RegisterDepositDeps,
): Promise<RegisterOutcome | Raced> {
  const { depositId } = facts;
  let own = facts;
  if ((await deps.party.recordFacts(facts, deps.clock.now())) === 'exists') {
    // Another invocation of ours got there first; its facts are the ones we stand by.
    const stored = (await deps.party.get(depositId))?.facts;
    if (!stored)
      throw new LedgerError('PARTY_STATE_CORRUPT', `recorded facts of ${depositId} are gone`, {
        depositId,
      });
    own = stored;
  }
  return createFromFacts(own, deps);
}

async function createFromFacts(
  facts: Deposit,
  deps: RegisterDepositDeps,
): Promise<RegisterOutcome | Raced> {
  if ((await deps.deposits.create(registered(facts), deps.clock.now())) === 'exists')
    return { kind: 'raced' };
  await deps.next.send(facts.depositId);
  return { kind: 'registered', depositId: facts.depositId };
}

/**
 * Hashes the next slice of a draft's object. Done: creates the deposit. Not done: saves the
 * checkpoint in the agency's state and, if this invocation's write won, sends the continuation.
 */
async function hashStep(
  draft: DepositDraft,
  resumeFrom: HashCheckpoint | null,
  deps: RegisterDepositDeps,
  budget: WorkBudget,
): Promise<RegisterOutcome | Raced | Gone> {
  const step = await hashSlice(draft, resumeFrom, deps, budget);
  if (step.kind === 'gone') return step;
  if (step.kind === 'partial') {
    // Another notice started this deposit first: it is an existing deposit, not ours.
    if (!step.continued && resumeFrom === null) return { kind: 'raced' };
    return { kind: 'hashing', depositId: draft.depositId, offset: step.checkpoint.offset };
  }
  if (step.digest.size !== draft.size) {
    throw new LedgerError('DIGEST_MISMATCH', 'bytes read differ from the object size', {
      depositId: draft.depositId,
    });
  }
  return createDeposit({ ...draft, sha256: step.digest.sha256 }, deps);
}

/** One step from where an existing deposit stands. */
async function stepFrom(
  standing: Standing,
  depositId: string,
  deps: RegisterDepositDeps,
  budget: WorkBudget,
): Promise<RegisterOutcome | Raced> {
  switch (standing.kind) {
    case 'in-mailbox':
      // Re-sent while it waits for the agency: its first send may have been lost.
      if (standing.state.status === 'PENDING_AGENCY_SIGNATURE') await deps.next.send(depositId);
      return { kind: 'duplicate', depositId };
    case 'established':
      // A crash between the agency's facts and the mailbox item: put them in now.
      return createFromFacts(standing.facts, deps);
    case 'hashing': {
      const outcome = await hashStep(standing.draft, standing.checkpoint, deps, budget);
      if (outcome.kind !== 'gone') return outcome;
      const failure = {
        code: 'OBJECT_NOT_FOUND',
        message: 'the object version was deleted while it was being hashed',
      } as const;
      return failObject(depositId, { ...standing.draft, eTag: null }, failure, deps);
    }
    case 'unknown':
    case 'stranded':
      return { kind: 'ignored', depositId };
  }
}

/** Takes an existing deposit as far as this invocation can, re-reading it after each race. */
async function advanceExisting(
  depositId: string,
  deps: RegisterDepositDeps,
  budget: WorkBudget,
  read?: Standing,
): Promise<RegisterOutcome> {
  let standing = read ?? (await standingOf(depositId, deps));
  for (let races = 0; races < MAX_RACES; races++) {
    const outcome = await stepFrom(standing, depositId, deps, budget);
    if (outcome.kind !== 'raced') return outcome;
    standing = await standingOf(depositId, deps);
  }
  throw new LedgerError(
    'DEPOSIT_NOT_READY',
    `deposit ${depositId} kept moving under this invocation`,
    { depositId },
  );
}

/** Starts a version no one has seen yet: its facts from S3, then the first slice of its digest. */
async function startVersion(
  notice: ObjectCreatedNotice,
  ref: ObjectVersionRef,
  depositId: string,
  deps: RegisterDepositDeps,
  budget: WorkBudget,
): Promise<RegisterOutcome | Raced | Gone> {
  const info = await deps.objects.head(ref);
  if (!info) return { kind: 'gone' };
  const draft = validDraft(
    draftFromObject(ref, info, { principalId: notice.principalId, sourceIp: notice.sourceIp }),
  );
  if ('code' in draft) return failObject(depositId, { ...ref, eTag: notice.eTag }, draft, deps);
  return hashStep(draft, null, deps, budget);
}

/**
 * An ObjectCreated notice: resolve the version(s) it may name, then for each one either start
 * it or take the existing deposit along. With an exact version an existing deposit is a
 * redelivery; by ETag it is nudged along and the next candidate tried.
 *
 * By ETag, a notice takes the oldest version not yet deposited, so the notices of later
 * identical uploads may take this notice's own version first. When every version it listed
 * is taken, it lists again: a listing made before those uploads cannot see the versions they
 * left, and without looking again the newest would never be deposited.
 */
export async function registerDeposit(
  notice: ObjectCreatedNotice,
  deps: RegisterDepositDeps,
  budget: WorkBudget = UNLIMITED_BUDGET,
): Promise<RegisterOutcome> {
  const exact = notice.versionId !== null;
  let lastExisting: string | null = null;
  const tried = new Set<string>();
  const untried = async () =>
    (await candidateVersions(notice, deps.objects)).filter((v) => !tried.has(v));
  for (let listing = await untried(); listing.length > 0; listing = exact ? [] : await untried()) {
    for (const versionId of listing) {
      tried.add(versionId);
      const ref = { bucket: notice.bucket, key: notice.key, versionId };
      const depositId = depositIdFor(ref);
      const standing = await standingOf(depositId, deps);
      if (standing.kind === 'unknown') {
        const outcome = await startVersion(notice, ref, depositId, deps, budget);
        if (outcome.kind === 'gone') continue;
        if (outcome.kind !== 'raced') return outcome;
      }
      // Known already, or another invocation started it meanwhile (then read it afresh).
      const existing = await advanceExisting(
        depositId,
        deps,
        budget,
        standing.kind === 'unknown' ? undefined : standing,
      );
      if (exact) return existing;
      lastExisting = depositId;
    }
  }
  if (lastExisting !== null) return { kind: 'duplicate', depositId: lastExisting };
  return failNoticed(
    notice,
    {
      code: 'OBJECT_NOT_FOUND',
      message: 'the object version was deleted before it could be hashed',
    },
    deps,
  );
}

/** A continuation message from the hasher's own queue: the next slice of a deposit being hashed. */
export function continueDeposit(
  depositId: string,
  deps: RegisterDepositDeps,
  budget: WorkBudget = UNLIMITED_BUDGET,
): Promise<RegisterOutcome> {
  return advanceExisting(depositId, deps, budget);
}

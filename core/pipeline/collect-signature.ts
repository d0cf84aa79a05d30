/**
 * Stages 2 and 3 (signers): one party approves a deposit by signing its statement, over facts
 * it established itself, never over what another stage wrote into the shared mailbox.
 *
 * - The agency signs the facts its own hasher established (kept in the agency's own state),
 *   after checking them once more against a HEAD of the exact version.
 * - The custodian takes the mailbox's proposal only as a claim: it checks the agency's
 *   signature on it, recomputes the deposit id, reads the version's size, metadata and
 *   Last-Modified from S3, re-hashes the bytes itself (its unfinished digest in its own
 *   state, bound to the facts it belongs to) and signs only if every fact agrees. The one
 *   fact S3 cannot tell it again, the uploader from the event, it takes from the proposal
 *   the agency signed.
 *
 * Each party remembers the signature it gave (recordSignature) before the mailbox hears of
 * it, so a retry reuses it and a party never signs two versions of one deposit.
 *
 * An object too large to re-hash in one invocation is re-hashed in slices, exactly as the
 * hasher does (see register-deposit.ts), with a continuation on the custodian's own queue.
 * A key that cannot sign (disabled, throttled) throws KEY_UNAVAILABLE: the message is
 * retried by SQS and the deposit stays pending, never half-approved.
 */
import { LedgerError, isLedgerError, type LedgerErrorCode } from '../errors';
import { signAttestation, verifyApproval, type TrustedParties } from '../party-signatures';
import type { Clock, Signer } from '../ports';
import type { Deposit, DepositDraft, PartySignature } from '../types';
import { differingFacts, draftFromObject, requireOwnDeposit } from './object-facts';
import {
  UNLIMITED_BUDGET,
  type DepositFailure,
  type DepositState,
  type DepositStatus,
  type DepositStore,
  type EvidenceObjects,
  type PartyDepositState,
  type PartyStateStore,
  type StageQueue,
  type WorkBudget,
} from './ports';

export interface SignatureStage {
  readonly from: DepositStatus;
  readonly to: DepositStatus;
}

export const AGENCY_STAGE: SignatureStage = { from: 'PENDING_AGENCY_SIGNATURE', to: 'PENDING_CUSTODIAN_SIGNATURE' };
export const CUSTODIAN_STAGE: SignatureStage = { from: 'PENDING_CUSTODIAN_SIGNATURE', to: 'PENDING_APPEND' };

export interface CollectSignatureDeps {
  readonly signer: Signer;
  /** The shared mailbox: read as a claim, written only with this party's signature. */
  readonly deposits: DepositStore;
  /** This party's own state, which no other stage can write. */
  readonly party: PartyStateStore;
  readonly objects: EvidenceObjects;
  /** The only bucket whose versions this party approves. */
  readonly evidenceBucket: string;
  readonly next: StageQueue;
  readonly clock: Clock;
  /** Given for the custodian: it re-hashes the object itself and checks the agency's signature. */
  readonly rehash?: {
    /** The custodian's own queue: continuations of re-hashes done in slices. */
    readonly continueOn: StageQueue;
    /** The agency's trusted key, to check the proposal the custodian is asked to co-sign. */
    readonly trusted: TrustedParties;
  };
}

export type CollectOutcome = 'signed' | 'already-signed' | 'failed' | 'hashing';

const STATUS_ORDER: readonly DepositStatus[] = [
  'PENDING_AGENCY_SIGNATURE',
  'PENDING_CUSTODIAN_SIGNATURE',
  'PENDING_APPEND',
  'APPENDED',
];

const isPast = (status: DepositStatus, stage: SignatureStage): boolean =>
  STATUS_ORDER.indexOf(status) > STATUS_ORDER.indexOf(stage.from);

/** A refusal: the deposit is failed with this code (not retried), and the outcome is 'failed'. */
class Refusal extends LedgerError {
  get failure(): DepositFailure {
    return { code: this.code, message: this.message };
  }
}

const refuse = (code: LedgerErrorCode, message: string): Refusal => new Refusal(code, message);

/** The mailbox item, if it is waiting for this stage; otherwise what a redelivery should answer. */
async function waitingDeposit(depositId: string, stage: SignatureStage, deps: CollectSignatureDeps): Promise<DepositState | CollectOutcome> {
  const state = await deps.deposits.get(depositId);
  if (!state) throw new LedgerError('DEPOSIT_NOT_READY', `deposit ${depositId} does not exist yet`, { depositId });
  if (state.status === 'FAILED') return 'failed';
  if (state.status === stage.from) return state;
  // A redelivery after this stage already ran: make sure the next stage heard of it.
  if (state.status === stage.to) await deps.next.send(depositId);
  if (isPast(state.status, stage)) return 'already-signed';
  throw new LedgerError('DEPOSIT_NOT_READY', `deposit ${depositId} is ${state.status}`, { depositId });
}

/** Reads the version's facts from S3 and refuses unless they are `claimed`'s. */
async function requireFactsFromS3(depositId: string, claimed: DepositDraft, deps: CollectSignatureDeps): Promise<DepositDraft> {
  try {
    requireOwnDeposit(depositId, claimed, deps.evidenceBucket);
  } catch (error) {
    if (isLedgerError(error, 'DEPOSIT_ID_MISMATCH')) throw refuse(error.code, error.message);
    throw error;
  }
  const info = await deps.objects.head(claimed);
  if (!info) throw refuse('OBJECT_NOT_FOUND', `the object version disappeared before the ${deps.signer.role} signed`);
  const established = draftFromObject(claimed, info, claimed.uploader);
  const differing = differingFacts(established, claimed);
  if (differing.length > 0) {
    throw refuse('FACTS_MISMATCH', `S3 reports other ${differing.join(', ')} than the deposit the ${deps.signer.role} was asked to sign`);
  }
  return established;
}

/** Signs `facts` once (a retry reuses the remembered signature) and hands it to the mailbox. */
async function signAndForward(
  own: PartyDepositState | null,
  facts: Deposit,
  stage: SignatureStage,
  deps: CollectSignatureDeps,
): Promise<CollectOutcome> {
  const { depositId } = facts;
  let signature: PartySignature | null = own?.signature ?? null;
  if (!signature) {
    signature = await signAttestation(deps.signer, facts);
    if ((await deps.party.recordSignature(depositId, signature, deps.clock.now())) === 'exists') {
      signature = (await deps.party.get(depositId))?.signature ?? null;
      if (!signature) throw new LedgerError('PARTY_STATE_CORRUPT', `remembered signature of ${depositId} is gone`, { depositId });
    }
  }
  // The agency puts the facts it signed beside its signature; the custodian adds only its own.
  const withFacts = stage === AGENCY_STAGE ? facts : undefined;
  const result = await deps.deposits.addSignature(depositId, signature, stage.from, stage.to, deps.clock.now(), withFacts);
  if (result === 'conflict') return 'already-signed';
  await deps.next.send(depositId);
  return 'signed';
}

async function agencyApproval(state: DepositState, deps: CollectSignatureDeps): Promise<CollectOutcome> {
  const own = await deps.party.get(state.depositId);
  const facts = own?.facts;
  // The hasher records the facts before it creates the mailbox item: an item without them was not ours.
  if (!facts) throw refuse('FACTS_NOT_ESTABLISHED', `the agency never established deposit ${state.depositId}`);
  await requireFactsFromS3(state.depositId, facts, deps);
  return signAndForward(own, facts, AGENCY_STAGE, deps);
}

/** The agency's signature on the proposal, with the key trusted for the agency. */
async function requireAgencyApproved(proposed: Deposit, signature: PartySignature | undefined, trusted: TrustedParties): Promise<void> {
  if (!signature) throw refuse('SIGNATURE_MISSING', 'the proposal carries no agency signature');
  try {
    await verifyApproval(proposed, signature, 'agency', trusted);
  } catch (error) {
    // UNTRUSTED_KEY may be a rotated key rather than a forgery: it waits (retried, then the
    // DLQ) instead of failing the deposit for good.
    if (isLedgerError(error, 'SIGNATURE_INVALID') || isLedgerError(error, 'SIGNATURE_MISSING')) {
      throw refuse(error.code, `the agency's signature on the proposal: ${error.message}`);
    }
    throw error;
  }
}

/** The custodian's own digest of the version, continued from its own checkpoint; null while unfinished. */
async function custodianDigest(
  own: PartyDepositState | null,
  draft: DepositDraft,
  deps: CollectSignatureDeps & { readonly rehash: NonNullable<CollectSignatureDeps['rehash']> },
  budget: WorkBudget,
): Promise<Deposit | null> {
  if (own?.facts) return own.facts;
  if (own?.draft && differingFacts(own.draft, draft).length > 0) {
    // A proposal rewritten mid-hash, or a planted checkpoint: either way not this deposit's.
    throw refuse('PARTY_STATE_CORRUPT', `the custodian's checkpoint of ${draft.depositId} belongs to other facts`);
  }
  const resumeFrom = own?.checkpoint ?? null;
  let step;
  try {
    step = await deps.objects.digest({ ref: draft, size: draft.size, resumeFrom, budget });
  } catch (error) {
    if (isLedgerError(error, 'DIGEST_MISMATCH')) throw refuse(error.code, `the stored object is not the ${draft.size} bytes S3 reports`);
    throw error;
  }
  if (!step) throw refuse('OBJECT_NOT_FOUND', 'the object version disappeared before the custodian re-hashed it');
  if (step.kind === 'partial') {
    const saved = await deps.party.saveHashProgress(draft, resumeFrom, step.checkpoint, deps.clock.now());
    // Only the invocation whose slice was saved continues: no double-hashing, no fork.
    if (saved === 'saved') await deps.rehash.continueOn.send(draft.depositId);
    return null;
  }
  const facts = { ...draft, sha256: step.digest.sha256 };
  if ((await deps.party.recordFacts(facts, deps.clock.now())) === 'exists') {
    return (await deps.party.get(draft.depositId))?.facts ?? facts;
  }
  return facts;
}

async function custodianApproval(
  state: DepositState,
  deps: CollectSignatureDeps & { readonly rehash: NonNullable<CollectSignatureDeps['rehash']> },
  budget: WorkBudget,
): Promise<CollectOutcome> {
  const proposed = state.deposit;
  if (!proposed) throw refuse('FACTS_NOT_ESTABLISHED', `deposit ${state.depositId} carries no facts`);
  await requireAgencyApproved(proposed, state.signatures.agency, deps.rehash.trusted);
  const own = await deps.party.get(state.depositId);
  const draft = own?.signature && own.facts ? own.facts : await requireFactsFromS3(state.depositId, proposed, deps);
  const facts = await custodianDigest(own, draft, deps, budget);
  if (!facts) return 'hashing';
  if (facts.sha256 !== proposed.sha256 || differingFacts(facts, proposed).length > 0) {
    throw refuse('DIGEST_MISMATCH', `custodian computed ${facts.sha256}, the agency signed ${proposed.sha256}`);
  }
  return signAndForward(own, facts, CUSTODIAN_STAGE, deps);
}

export async function collectSignature(
  depositId: string,
  stage: SignatureStage,
  deps: CollectSignatureDeps,
  budget: WorkBudget = UNLIMITED_BUDGET,
): Promise<CollectOutcome> {
  const state = await waitingDeposit(depositId, stage, deps);
  if (typeof state === 'string') return state;
  try {
    if (stage === AGENCY_STAGE) return await agencyApproval(state, deps);
    const { rehash } = deps;
    if (!rehash) throw new LedgerError('INVALID_INPUT', 'the custodian stage needs its re-hash dependencies');
    return await custodianApproval(state, { ...deps, rehash }, budget);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    await deps.deposits.fail(depositId, error.failure, deps.clock.now());
    return 'failed';
  }
}

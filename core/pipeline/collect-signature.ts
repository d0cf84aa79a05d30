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
import { LedgerError, isLedgerError } from '../errors';
import { signAttestation, verifyApproval, type TrustedParties } from '../party-signatures';
import type { Clock } from '../ports/clock';
import type { Signer } from '../ports/signing';
import type { Deposit, DepositDraft, PartySignature } from '../types';
import { differingFacts, draftFromObject, requireOwnDeposit } from './object-facts';
import { UNLIMITED_BUDGET, type EvidenceObjects, type WorkBudget } from '../ports/evidence-objects';
import {
  failed,
  withAgencySignature,
  withCustodianSignature,
  type DepositFailure,
  type DepositFailureCode,
  type DepositState,
  type DepositStatus,
  type PendingAgencySignature,
  type PendingAppend,
  type PendingCustodianSignature,
  type SignatureStep,
} from './deposit-state';
import type { DepositWriter } from '../ports/deposits';
import type { PartyDepositState, PartyStateStore } from '../ports/party-state';
import type { StageQueue } from './stage-queue';
import { hashSlice } from './hash-slice';

/** A signature stage: the status it signs from and the one its signature moves the deposit to. */
export const AGENCY_STAGE = {
  from: 'PENDING_AGENCY_SIGNATURE',
  to: 'PENDING_CUSTODIAN_SIGNATURE',
} as const satisfies {
  readonly from: PendingAgencySignature['status'];
  readonly to: PendingCustodianSignature['status'];
};
export const CUSTODIAN_STAGE = {
  from: 'PENDING_CUSTODIAN_SIGNATURE',
  to: 'PENDING_APPEND',
} as const satisfies {
  readonly from: PendingCustodianSignature['status'];
  readonly to: PendingAppend['status'];
};
export type SignatureStage = typeof AGENCY_STAGE | typeof CUSTODIAN_STAGE;

export interface CollectSignatureDeps {
  readonly signer: Signer;
  /** The shared mailbox: read as a claim, written only with this party's signature. */
  readonly deposits: DepositWriter;
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
  constructor(
    readonly failureCode: DepositFailureCode,
    message: string,
  ) {
    super(failureCode, message);
  }

  get failure(): DepositFailure {
    return { code: this.failureCode, message: this.message };
  }
}

const refuse = (code: DepositFailureCode, message: string): Refusal => new Refusal(code, message);

/** What a delivery for a deposit that is not waiting for this stage answers. */
async function notWaiting(
  state: DepositState,
  stage: SignatureStage,
  deps: CollectSignatureDeps,
): Promise<CollectOutcome> {
  if (state.status === 'FAILED') return 'failed';
  // A redelivery after this stage already ran: make sure the next stage heard of it.
  if (state.status === stage.to) await deps.next.send(state.depositId);
  if (isPast(state.status, stage)) return 'already-signed';
  throw new LedgerError('DEPOSIT_NOT_READY', `deposit ${state.depositId} is ${state.status}`, {
    depositId: state.depositId,
  });
}

/** Reads the version's facts from S3 and refuses unless they are `claimed`'s. */
async function requireFactsFromS3(
  depositId: string,
  claimed: DepositDraft,
  deps: CollectSignatureDeps,
): Promise<DepositDraft> {
  try {
    requireOwnDeposit(depositId, claimed, deps.evidenceBucket);
  } catch (error) {
    if (isLedgerError(error, 'DEPOSIT_ID_MISMATCH'))
      throw refuse('DEPOSIT_ID_MISMATCH', error.message);
    throw error;
  }
  const info = await deps.objects.head(claimed);
  if (!info)
    throw refuse(
      'OBJECT_NOT_FOUND',
      `the object version disappeared before the ${deps.signer.role} signed`,
    );
  const established = draftFromObject(claimed, info, claimed.uploader);
  const differing = differingFacts(established, claimed);
  if (differing.length > 0) {
    throw refuse(
      'FACTS_MISMATCH',
      `S3 reports other ${differing.join(', ')} than the deposit the ${deps.signer.role} was asked to sign`,
    );
  }
  return established;
}

/** The party's signature over `facts`: made once, remembered, and reused by every retry. */
async function rememberedSignature(
  own: PartyDepositState | null,
  facts: Deposit,
  deps: CollectSignatureDeps,
): Promise<PartySignature> {
  const { depositId } = facts;
  if (own?.signature) return own.signature;
  const signature = await signAttestation(deps.signer, facts);
  if ((await deps.party.recordSignature(depositId, signature, deps.clock.now())) === 'saved')
    return signature;
  const remembered = (await deps.party.get(depositId))?.signature;
  if (!remembered)
    throw new LedgerError('PARTY_STATE_CORRUPT', `remembered signature of ${depositId} is gone`, {
      depositId,
    });
  return remembered;
}

/** Hands the signature step to the mailbox and, if it was this delivery's, tells the next stage. */
async function forward(step: SignatureStep, deps: CollectSignatureDeps): Promise<CollectOutcome> {
  if ((await deps.deposits.addSignature(step, deps.clock.now())) === 'conflict')
    return 'already-signed';
  await deps.next.send(step.to.depositId);
  return 'signed';
}

async function agencyApproval(
  state: PendingAgencySignature,
  deps: CollectSignatureDeps,
): Promise<CollectOutcome> {
  const own = await deps.party.get(state.depositId);
  const facts = own?.facts;
  // The hasher records the facts before it creates the mailbox item: an item without them was not ours.
  if (!facts)
    throw refuse(
      'FACTS_NOT_ESTABLISHED',
      `the agency never established deposit ${state.depositId}`,
    );
  await requireFactsFromS3(state.depositId, facts, deps);
  // The agency puts the facts it signed beside its signature, whatever the mailbox held.
  const signature = await rememberedSignature(own, facts, deps);
  return forward({ from: state, to: withAgencySignature(state, facts, signature) }, deps);
}

/** The agency's signature on the proposal, with the key trusted for the agency. */
async function requireAgencyApproved(
  proposed: Deposit,
  signature: PartySignature,
  trusted: TrustedParties,
): Promise<void> {
  try {
    await verifyApproval(proposed, signature, 'agency', trusted);
  } catch (error) {
    // UNTRUSTED_KEY may be a rotated key rather than a forgery: it waits (retried, then the
    // DLQ) instead of failing the deposit for good.
    if (
      isLedgerError(error) &&
      (error.code === 'SIGNATURE_INVALID' || error.code === 'SIGNATURE_MISSING')
    ) {
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
    throw refuse(
      'PARTY_STATE_CORRUPT',
      `the custodian's checkpoint of ${draft.depositId} belongs to other facts`,
    );
  }
  const resumeFrom = own?.checkpoint ?? null;
  let step;
  try {
    step = await hashSlice(
      draft,
      resumeFrom,
      { ...deps, continueOn: deps.rehash.continueOn },
      budget,
    );
  } catch (error) {
    if (isLedgerError(error, 'DIGEST_MISMATCH'))
      throw refuse(
        'DIGEST_MISMATCH',
        `the stored object is not the ${draft.size} bytes S3 reports`,
      );
    throw error;
  }
  if (step.kind === 'gone')
    throw refuse(
      'OBJECT_NOT_FOUND',
      'the object version disappeared before the custodian re-hashed it',
    );
  if (step.kind === 'partial') return null;
  const facts = { ...draft, sha256: step.digest.sha256 };
  if ((await deps.party.recordFacts(facts, deps.clock.now())) === 'exists') {
    return (await deps.party.get(draft.depositId))?.facts ?? facts;
  }
  return facts;
}

async function custodianApproval(
  state: PendingCustodianSignature,
  deps: CollectSignatureDeps & { readonly rehash: NonNullable<CollectSignatureDeps['rehash']> },
  budget: WorkBudget,
): Promise<CollectOutcome> {
  const proposed = state.deposit;
  await requireAgencyApproved(proposed, state.signatures.agency, deps.rehash.trusted);
  const own = await deps.party.get(state.depositId);
  const draft =
    own?.signature && own.facts
      ? own.facts
      : await requireFactsFromS3(state.depositId, proposed, deps);
  const facts = await custodianDigest(own, draft, deps, budget);
  if (!facts) return 'hashing';
  if (facts.sha256 !== proposed.sha256 || differingFacts(facts, proposed).length > 0) {
    throw refuse(
      'DIGEST_MISMATCH',
      `custodian computed ${facts.sha256}, the agency signed ${proposed.sha256}`,
    );
  }
  const signature = await rememberedSignature(own, facts, deps);
  return forward({ from: state, to: withCustodianSignature(state, signature) }, deps);
}

/** Runs one party's approval; a refusal fails the deposit with its code instead of being retried. */
async function approveOrFail(
  state: PendingAgencySignature | PendingCustodianSignature,
  approve: () => Promise<CollectOutcome>,
  deps: CollectSignatureDeps,
): Promise<CollectOutcome> {
  try {
    return await approve();
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    await deps.deposits.fail(failed(state, error.failure), deps.clock.now());
    return 'failed';
  }
}

export async function collectSignature(
  depositId: string,
  stage: SignatureStage,
  deps: CollectSignatureDeps,
  budget: WorkBudget = UNLIMITED_BUDGET,
): Promise<CollectOutcome> {
  const state = await deps.deposits.get(depositId);
  if (!state)
    throw new LedgerError('DEPOSIT_NOT_READY', `deposit ${depositId} does not exist yet`, {
      depositId,
    });
  if (stage === AGENCY_STAGE && state.status === stage.from) {
    return approveOrFail(state, () => agencyApproval(state, deps), deps);
  }
  if (stage === CUSTODIAN_STAGE && state.status === stage.from) {
    const { rehash } = deps;
    if (!rehash)
      throw new LedgerError('INVALID_INPUT', 'the custodian stage needs its re-hash dependencies');
    return approveOrFail(state, () => custodianApproval(state, { ...deps, rehash }, budget), deps);
  }
  return notWaiting(state, stage, deps);
}

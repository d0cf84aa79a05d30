/**
 * Stages 2 and 3 (signers): one party approves a deposit by signing its statement.
 * The agency signs what the hasher recorded; the custodian first re-reads and re-hashes the
 * object itself, so two independent hash computations stand behind every record.
 *
 * An object too large to re-hash in one invocation is re-hashed in slices, exactly as the
 * hasher does (see register-deposit.ts): the custodian's checkpoint is kept on the deposit
 * item, advanced conditionally, and a continuation goes back to the custodian's own queue.
 *
 * A key that cannot sign (disabled, throttled) throws KEY_UNAVAILABLE: the message is
 * retried by SQS and the deposit stays pending, never half-approved.
 */
import { LedgerError, isLedgerError } from '../errors';
import { signAttestation } from '../party-signatures';
import type { Clock, Signer } from '../ports';
import type { Deposit } from '../types';
import {
  UNLIMITED_BUDGET,
  type DepositFailure,
  type DepositState,
  type DepositStatus,
  type DepositStore,
  type DigestStep,
  type EvidenceObjects,
  type ObjectDigest,
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
  readonly deposits: DepositStore;
  readonly next: StageQueue;
  readonly clock: Clock;
  /** Given for the custodian: the object is re-hashed before it signs. */
  readonly rehash?: {
    readonly objects: EvidenceObjects;
    /** The custodian's own queue: continuations of re-hashes done in slices. */
    readonly continueOn: StageQueue;
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

/** Reads the next slice; a stored object of another size than recorded is a mismatch, not an error. */
async function nextDigestStep(
  state: DepositState,
  deposit: Deposit,
  objects: EvidenceObjects,
  budget: WorkBudget,
): Promise<DigestStep | 'size-mismatch' | null> {
  try {
    const resumeFrom = state.checkpoints.custodian ?? null;
    return await objects.digest({ ref: deposit, size: deposit.size, resumeFrom, budget });
  } catch (error) {
    if (isLedgerError(error) && error.code === 'DIGEST_MISMATCH') return 'size-mismatch';
    throw error;
  }
}

function rehashFailure(digest: ObjectDigest | 'size-mismatch' | null, deposit: Deposit): DepositFailure | null {
  if (digest === null) {
    return { code: 'OBJECT_NOT_FOUND', message: 'the object version disappeared before the custodian re-hashed it' };
  }
  if (digest === 'size-mismatch') {
    return { code: 'DIGEST_MISMATCH', message: `the stored object is not the ${deposit.size} bytes the hasher recorded` };
  }
  if (digest.sha256 !== deposit.sha256 || digest.size !== deposit.size) {
    return { code: 'DIGEST_MISMATCH', message: `custodian computed ${digest.sha256}, hasher recorded ${deposit.sha256}` };
  }
  return null;
}

/** The custodian's own reading of the object must match what the hasher recorded. */
async function rehashMatches(
  state: DepositState,
  deposit: Deposit,
  deps: CollectSignatureDeps,
  budget: WorkBudget,
): Promise<'match' | 'hashing' | 'failed'> {
  if (!deps.rehash) return 'match';
  const step = await nextDigestStep(state, deposit, deps.rehash.objects, budget);
  if (step !== null && step !== 'size-mismatch' && step.kind === 'partial') {
    const from = state.checkpoints.custodian ?? null;
    const saved = await deps.deposits.saveHashProgress(deposit.depositId, 'custodian', from, step.checkpoint, deps.clock.now());
    // Only the invocation whose slice was saved continues: no double-hashing, no fork.
    if (saved === 'saved') await deps.rehash.continueOn.send(deposit.depositId);
    return 'hashing';
  }
  const failure = rehashFailure(step === null || step === 'size-mismatch' ? step : step.digest, deposit);
  if (failure) await deps.deposits.fail(deposit.depositId, failure, deps.clock.now());
  return failure === null ? 'match' : 'failed';
}

export async function collectSignature(
  depositId: string,
  stage: SignatureStage,
  deps: CollectSignatureDeps,
  budget: WorkBudget = UNLIMITED_BUDGET,
): Promise<CollectOutcome> {
  const state = await deps.deposits.get(depositId);
  if (!state) throw new LedgerError('DEPOSIT_NOT_READY', `deposit ${depositId} does not exist yet`, { depositId });
  if (state.status === 'FAILED') return 'failed';
  if (state.status !== stage.from) {
    // A redelivery after this stage already ran: make sure the next stage heard of it.
    if (state.status === stage.to) await deps.next.send(depositId);
    if (isPast(state.status, stage)) return 'already-signed';
    throw new LedgerError('DEPOSIT_NOT_READY', `deposit ${depositId} is ${state.status}`, { depositId });
  }
  const deposit = state.deposit;
  if (!deposit) throw new LedgerError('INVALID_INPUT', `deposit ${depositId} has no facts`, { depositId });
  const rehash = await rehashMatches(state, deposit, deps, budget);
  if (rehash !== 'match') return rehash;
  const signature = await signAttestation(deps.signer, deposit);
  const result = await deps.deposits.addSignature(depositId, signature, stage.from, stage.to, deps.clock.now());
  if (result === 'conflict') return 'already-signed';
  await deps.next.send(depositId);
  return 'signed';
}

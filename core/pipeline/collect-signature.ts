/**
 * Stages 2 and 3 (signers): one party approves a deposit by signing its statement.
 * The agency signs what the hasher recorded; the custodian first re-reads and re-hashes the
 * object itself, so two independent hash computations stand behind every record.
 *
 * A key that cannot sign (disabled, throttled) throws KEY_UNAVAILABLE: the message is
 * retried by SQS and the deposit stays pending, never half-approved.
 */
import { LedgerError } from '../errors';
import { signAttestation } from '../party-signatures';
import type { Clock, Signer } from '../ports';
import type { Deposit } from '../types';
import type { DepositStatus, DepositStore, EvidenceObjects, StageQueue } from './ports';

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
  readonly rehash?: EvidenceObjects;
}

export type CollectOutcome = 'signed' | 'already-signed' | 'failed';

const STATUS_ORDER: readonly DepositStatus[] = [
  'PENDING_AGENCY_SIGNATURE',
  'PENDING_CUSTODIAN_SIGNATURE',
  'PENDING_APPEND',
  'APPENDED',
];

const isPast = (status: DepositStatus, stage: SignatureStage): boolean =>
  STATUS_ORDER.indexOf(status) > STATUS_ORDER.indexOf(stage.from);

/** The custodian's own reading of the object must match what the hasher recorded. */
async function rehashMatches(deposit: Deposit, deps: CollectSignatureDeps): Promise<boolean> {
  if (!deps.rehash) return true;
  const digest = await deps.rehash.digest(deposit);
  const failure = !digest
    ? { code: 'OBJECT_NOT_FOUND', message: 'the object version disappeared before the custodian re-hashed it' }
    : digest.sha256 !== deposit.sha256 || digest.size !== deposit.size
      ? { code: 'DIGEST_MISMATCH', message: `custodian computed ${digest.sha256}, hasher recorded ${deposit.sha256}` }
      : null;
  if (failure) await deps.deposits.fail(deposit.depositId, failure, deps.clock.now());
  return failure === null;
}

export async function collectSignature(
  depositId: string,
  stage: SignatureStage,
  deps: CollectSignatureDeps,
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
  if (!(await rehashMatches(deposit, deps))) return 'failed';
  const signature = await signAttestation(deps.signer, deposit);
  const result = await deps.deposits.addSignature(depositId, signature, stage.from, stage.to, deps.clock.now());
  if (result === 'conflict') return 'already-signed';
  await deps.next.send(depositId);
  return 'signed';
}

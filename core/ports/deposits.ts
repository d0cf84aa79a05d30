/**
 * The shared mailbox of deposits (the Deposits table). Several roles write it, so nothing in
 * it is trusted: each party signs only facts it established itself (PartyStateStore) and the
 * appender verifies both signatures over the facts here. The auditor and the anchor only read
 * it, through a DepositReader.
 */
import type {
  DepositState,
  FailedDeposit,
  FailedObject,
  PendingAgencySignature,
  SignatureStep,
} from '../pipeline/deposit-state';

export interface DepositReader {
  /** The deposit's state; a stored item that contradicts its status throws (INVALID_INPUT, with the depositId). */
  get(depositId: string): Promise<DepositState | null>;
}

export interface DepositWriter extends DepositReader {
  /** Creates the deposit unless an item with its id exists. */
  create(state: PendingAgencySignature, at: Date): Promise<'created' | 'exists'>;
  /**
   * Writes one signature step: the signature it adds, and the status moved `from` → `to`;
   * 'conflict' if the status was not `from` or that party had signed. The agency's step also
   * (re)writes the facts it signed, so the mailbox always carries what was signed.
   */
  addSignature(step: SignatureStep, at: Date): Promise<'updated' | 'conflict'>;
  /**
   * Marks a deposit FAILED (never one that is APPENDED), or writes a failure record for an
   * object version that never became a deposit (only if its id is free).
   */
  fail(state: FailedDeposit | FailedObject, at: Date): Promise<void>;
}

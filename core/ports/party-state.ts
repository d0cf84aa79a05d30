/**
 * What one party keeps about one deposit, in storage that only that party's roles can write
 * (its own table, in its own account when deployed in two accounts). The pipeline's parties
 * write it; the auditor reads whether a party remembers signing a deposit.
 */
import type { Deposit, DepositDraft, PartySignature } from '../types';
import type { HashCheckpoint } from './evidence-objects';

/**
 * A party's own record of one deposit: its unfinished digest, the facts it established from
 * primary sources, and the signature it gave. Nothing another stage wrote is ever read back
 * from here, and the party remembers what it approved.
 */
export interface PartyDepositState {
  readonly depositId: string;
  /** The facts established so far (all but the digest); a checkpoint belongs to exactly these. */
  readonly draft: DepositDraft | null;
  /** Where this party's unfinished SHA-256 of the version stopped. */
  readonly checkpoint: HashCheckpoint | null;
  /** The facts, once its own digest is done. */
  readonly facts: Deposit | null;
  /** The signature it gave over `facts`. */
  readonly signature: PartySignature | null;
}

export interface PartyStateStore {
  get(depositId: string): Promise<PartyDepositState | null>;
  /**
   * Saves a hash checkpoint of `draft`'s version: the first one (from null) only if the party
   * holds nothing for that deposit yet, a later one only if the stored checkpoint is still
   * `from` and its draft is `draft`. Of two invocations racing on one object, one advances it
   * and the other gets 'conflict'.
   */
  saveHashProgress(
    draft: DepositDraft,
    from: HashCheckpoint | null,
    to: HashCheckpoint,
    at: Date,
  ): Promise<'saved' | 'conflict'>;
  /** Records the facts established, once; 'exists' if facts were recorded before. */
  recordFacts(facts: Deposit, at: Date): Promise<'saved' | 'exists'>;
  /** Remembers the signature given over the recorded facts, once; 'exists' if it signed before. */
  recordSignature(
    depositId: string,
    signature: PartySignature,
    at: Date,
  ): Promise<'saved' | 'exists'>;
}

/**
 * Ports of a party's checkpoint co-signer (its witness, in the sense of c2sp.org/tlog-witness):
 * the state only this party can write, the ledger it reads records from, and what the party
 * itself remembers having signed.
 */
import type { CompactRange } from '../merkle/compact-range';
import type { Deposit, LedgerRecord } from '../types';

/**
 * The latest checkpoint this party co-signed, and what it needs to extend it with new records
 * alone. One per party and log; only the party's own co-signer role may write it.
 */
export interface CosignerState {
  readonly treeSize: number;
  /** Lower-case hex root hash at treeSize (the empty tree's root at size 0). */
  readonly rootHash: string;
  /** The frontier of the tree at treeSize; it reproduces rootHash. */
  readonly compactRange: CompactRange;
  /** recordHash of seq treeSize-1 (64 zeros at size 0): where the next records must link. */
  readonly lastRecordHash: string;
  /** The checkpoint note text (formatCheckpoint) this party last co-signed; null at size 0. */
  readonly cosignedNote: string | null;
  /** When the state was advanced (ISO 8601 UTC). */
  readonly updatedAt: string;
}

export interface CosignerStateStore {
  /** The stored state, or null before the first co-signature. */
  load(): Promise<CosignerState | null>;
  /**
   * Replaces the state with `to` only if the stored state is still `from` (null: nothing
   * stored yet). 'conflict' when another co-signer invocation advanced it first.
   */
  advance(from: CosignerState | null, to: CosignerState): Promise<'saved' | 'conflict'>;
}

/** The ledger's records, as the operator stores them: their content is untrusted. */
export interface RecordSource {
  /** Records with seq in [fromSeq, toSeq), in seq order. */
  read(fromSeq: number, toSeq: number): Promise<LedgerRecord[]>;
}

/**
 * What this party remembers having signed, from its own state (not the operator's database):
 * the deposit facts it signed for `depositId`, or null if it never signed that deposit.
 */
export interface AttestationMemory {
  signedFacts(depositId: string): Promise<Deposit | null>;
  /**
   * Remembers, in the party's own state, the seq at which it co-signed `depositId`: 'other-seq'
   * when it already co-signed that deposit at another seq (a copy of an anchored record
   * appended again, in another request than the original). Optional: without it only
   * duplicates within one request are caught.
   */
  markCosigned?(depositId: string, seq: number): Promise<'marked' | 'other-seq'>;
}

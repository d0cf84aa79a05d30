/**
 * The ledger's ports. Only the appender writes the chain; the anchor, the auditor and the
 * co-signers read it, so they are given a LedgerReader and cannot append.
 */
import type { ChainHead, LedgerRecord } from '../types';

/** Read access to the chain: its head and its records. */
export interface LedgerReader {
  head(): Promise<ChainHead>;
  /** Records with fromSeq <= seq < toSeq, in order. */
  read(fromSeq: number, toSeq: number): Promise<LedgerRecord[]>;
}

export type AppendOutcome =
  | { readonly kind: 'appended' }
  /** Another appender moved the head first: re-read it and rebuild the records. */
  | { readonly kind: 'head-moved' }
  /** These deposits were appended by someone else meanwhile: drop them and retry. */
  | { readonly kind: 'already-appended'; readonly depositIds: readonly string[] };

export interface LedgerAppender extends LedgerReader {
  /**
   * Atomically: advance the head from `expected`, put the records, and move each record's
   * deposit PENDING_APPEND -> APPENDED (core/pipeline/deposit-state.ts, APPEND_STEP).
   */
  append(
    expected: ChainHead,
    records: readonly LedgerRecord[],
    next: ChainHead,
    at: Date,
  ): Promise<AppendOutcome>;
}

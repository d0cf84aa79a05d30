/**
 * Verifies a run of ledger records completely: the chain (hashes, sequence, links), the
 * facts anyone can recompute (deposit ids, seq 0's zero link; record.ts) and both parties'
 * approvals on every record. Shared by the demo, the tests, the auditor and the anchor; the
 * offline bundle verifier runs the same record.ts check item by item.
 */
import { verifyChain, type ChainFailure, type VerifyChainOptions } from './chain';
import { isLedgerError } from './errors';
import { verifyApprovals, type TrustedParties } from './party-signatures';
import type { ChainHead, LedgerRecord } from './types';

export interface LedgerVerification {
  readonly ok: boolean;
  readonly recordsChecked: number;
  /** In record order; the first is the first failed check. */
  readonly failures: ChainFailure[];
  readonly head: ChainHead;
}

export async function verifyLedgerRecords(
  records: readonly LedgerRecord[],
  trusted: TrustedParties,
  options: VerifyChainOptions = {},
): Promise<LedgerVerification> {
  const chain = verifyChain(records, options);
  const failures = [...chain.failures];
  for (const record of records) {
    if (!options.allFailures && failures.length > 0) break;
    try {
      await verifyApprovals(record.deposit, record.signatures, trusted);
    } catch (error) {
      if (!isLedgerError(error)) throw error;
      failures.push({ code: error.code, seq: record.seq, message: error.message });
    }
  }
  failures.sort((a, b) => a.seq - b.seq);
  return { ok: failures.length === 0, recordsChecked: records.length, failures, head: chain.head };
}

/**
 * Verifies a run of ledger records completely: the chain (hashes, sequence, links), the
 * facts anyone can recompute (deposit ids, seq 0's zero link; record.ts) and both parties'
 * approvals on every record. Shared by the demo, the tests, the auditor and the anchor; the
 * offline bundle verifier runs the same record.ts check item by item.
 */
import { boundedAll } from './bounded-all';
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

/**
 * How many records' approvals are checked at once: enough to keep libuv's thread pool (where
 * WebCrypto and node:crypto's async verify run) busy on every core, few enough that a ledger
 * page does not queue thousands of jobs.
 */
export const VERIFY_CONCURRENCY = 32;

/**
 * `trusted` with its key resolver asked once per key id for one verification (per record it
 * would be asked twice, for the same two trusted keys). A failed lookup is not kept, so a
 * later record asks again, as before.
 */
function resolvingKeysOnce(trusted: TrustedParties): TrustedParties {
  const resolved = new Map<string, Promise<Uint8Array>>();
  const publicKey = (keyId: string): Promise<Uint8Array> => {
    let key = resolved.get(keyId);
    if (key === undefined) {
      key = Promise.resolve(trusted.keys.publicKey(keyId));
      resolved.set(keyId, key);
      key.catch(() => resolved.delete(keyId));
    }
    return key;
  };
  return { ...trusted, keys: { publicKey } };
}

export async function verifyLedgerRecords(
  records: readonly LedgerRecord[],
  trusted: TrustedParties,
  options: VerifyChainOptions = {},
): Promise<LedgerVerification> {
  const sha256 = options.sha256 ?? trusted.sha256;
  const chain = verifyChain(records, sha256 ? { ...options, sha256 } : options);
  const approvers = resolvingKeysOnce(trusted);
  const failures = [...chain.failures];
  let stop = !options.allFailures && failures.length > 0;
  // Records are taken in order, so when one fails every record before it has been started
  // and its failure, if any, is kept: the first failure reported is the same as one by one.
  const approvals = await boundedAll(records, VERIFY_CONCURRENCY, async (record) => {
    if (stop) return undefined;
    try {
      await verifyApprovals(record.deposit, record.signatures, approvers);
      return undefined;
    } catch (error) {
      if (!isLedgerError(error)) throw error;
      stop = !options.allFailures;
      return { code: error.code, seq: record.seq, message: error.message };
    }
  });
  const signatureFailures = approvals.filter((failure) => failure !== undefined);
  failures.push(...(options.allFailures ? signatureFailures : signatureFailures.slice(0, 1)));
  failures.sort((a, b) => a.seq - b.seq);
  return { ok: failures.length === 0, recordsChecked: records.length, failures, head: chain.head };
}

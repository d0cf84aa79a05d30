import type { LedgerReader } from '../ports/ledger';
import { recordLeafHash } from '../merkle/hasher';
import { LedgerError } from '../errors';
import type { LedgerRecord } from '../types';

/**
 * The Merkle leaves of records [0, treeSize), read page by page. O(N): proofs are generated
 * from the records themselves, which is what lets an auditor trust them without trusting a
 * stored tree (a node store would make this O(log N); see the closing notes of issue #3).
 */
export async function ledgerLeaves(
  ledger: LedgerReader,
  treeSize: number,
  pageSize = 1000,
): Promise<Uint8Array[]> {
  const leaves: Uint8Array[] = [];
  for (let from = 0; from < treeSize; from += pageSize) {
    const records = await ledger.read(from, Math.min(treeSize, from + pageSize));
    records.forEach((record, i) => {
      if (record.seq !== from + i)
        throw new LedgerError('CHAIN_GAP', `record ${from + i} is missing`, { seq: from + i });
      leaves.push(recordLeafHash(record.recordHash));
    });
    if (records.length !== Math.min(treeSize, from + pageSize) - from) {
      throw new LedgerError('CHAIN_GAP', `records missing after seq ${from + records.length - 1}`, {
        seq: from + records.length,
      });
    }
  }
  return leaves;
}

export async function readRecord(ledger: LedgerReader, seq: number): Promise<LedgerRecord> {
  const [record] = await ledger.read(seq, seq + 1);
  if (!record || record.seq !== seq)
    throw new LedgerError('CHAIN_GAP', `record ${seq} is missing`, { seq });
  return record;
}

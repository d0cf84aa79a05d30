/**
 * The ledger as an audit reads it: records in order, and in place of an item that does not
 * parse, a marker with its seq. One corrupt item must not hide every record after it from
 * the auditor, nor stop the audit without saying where.
 */
import { isLedgerError } from '../errors';
import type { LedgerReader } from '../ports/ledger';
import type { LedgerRecord } from '../types';

/** A stored record that does not parse (the store threw RECORD_CORRUPT for its seq). */
export interface CorruptRecord {
  readonly corrupt: true;
  readonly seq: number;
  readonly reason: string;
}

export type LedgerSlot = LedgerRecord | CorruptRecord;

export const isCorrupt = (slot: LedgerSlot): slot is CorruptRecord => 'corrupt' in slot;

/** The seq of a RECORD_CORRUPT error inside [from, to), else null (the error is not ours to handle). */
function corruptSeq(error: unknown, from: number, to: number): number | null {
  if (!isLedgerError(error, 'RECORD_CORRUPT')) return null;
  const { seq } = error.details;
  return Number.isSafeInteger(seq) && seq !== undefined && seq >= from && seq < to ? seq : null;
}

/**
 * Records with fromSeq <= seq < toSeq, in order, with a CorruptRecord for each item the
 * store refuses. The store stops at the first such item, so the read is repeated before and
 * after it: one extra read per corrupt item, none when the ledger is sound.
 */
export async function readLedgerPage(
  ledger: Pick<LedgerReader, 'read'>,
  fromSeq: number,
  toSeq: number,
): Promise<LedgerSlot[]> {
  try {
    return await ledger.read(fromSeq, toSeq);
  } catch (error) {
    const seq = corruptSeq(error, fromSeq, toSeq);
    if (seq === null) throw error;
    const corrupt: CorruptRecord = { corrupt: true, seq, reason: (error as Error).message };
    return [
      ...(await readLedgerPage(ledger, fromSeq, seq)),
      corrupt,
      ...(await readLedgerPage(ledger, seq + 1, toSeq)),
    ];
  }
}

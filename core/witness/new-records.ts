/**
 * The co-signer's check of the records a proposed checkpoint adds: it reads them itself, page
 * by page, from the operator's ledger (untrusted) and accepts them only if each is a genuine
 * next record: its schema, the expected seq, its hash, its link, a deposit id that recomputes,
 * a deposit not seen earlier in the request, both parties' valid approvals and, when the party
 * keeps a memory of what it signed, exactly the facts this party signed.
 */
import { boundedAll } from '../bounded-all';
import { canonicalJson } from '../canonical-json';
import { depositIdFor } from '../deposit-id';
import { LedgerError, isLedgerError, type LedgerErrorCode } from '../errors';
import { pickDeposit } from '../known-fields';
import { verifyLedgerRecords } from '../ledger-verification';
import { recordLeafHash } from '../merkle/hasher';
import type { TrustedParties } from '../party-signatures';
import { parseLedgerRecord } from '../schemas';
import type { ChainHead, LedgerRecord } from '../types';
import type { AttestationMemory, RecordSource } from './ports';

export interface NewRecordChecks {
  readonly records: RecordSource;
  readonly trusted: TrustedParties;
  readonly memory: AttestationMemory | null;
  readonly pageSize: number;
}

export interface VerifiedRecords {
  /** RFC 9162 leaf hashes of the new records, in seq order. */
  readonly leaves: Uint8Array[];
  /** recordHash of the last new record: where the next request's records must link. */
  readonly lastRecordHash: string;
}

function refused(
  seq: number,
  reason: LedgerErrorCode,
  message: string,
  cause?: unknown,
): LedgerError {
  return new LedgerError(
    'COSIGN_RECORD_REFUSED',
    `record ${seq} refused: ${message}`,
    { seq, reason },
    { cause },
  );
}

/** The page [from, to) as records that parse, in seq order, none missing and none extra. */
function parsePage(page: readonly unknown[], from: number, to: number): LedgerRecord[] {
  const records = page.slice(0, to - from).map((input, i) => {
    try {
      return parseLedgerRecord(input);
    } catch (cause) {
      if (!isLedgerError(cause)) throw cause;
      throw refused(from + i, cause.code, cause.message, cause);
    }
  });
  records.forEach((record, i) => {
    if (record.seq !== from + i)
      throw refused(from + i, 'CHAIN_GAP', `the ledger returned seq ${record.seq}`);
  });
  if (page.length !== to - from) {
    throw refused(
      from + Math.min(page.length, to - from),
      'CHAIN_GAP',
      `the ledger returned ${page.length} of ${to - from} records`,
    );
  }
  return records;
}

/** Checks the chain cannot: the id names the object version, and the deposit is new here. */
function requireGenuineDeposit(record: LedgerRecord, seen: Set<string>): void {
  const { depositId, bucket, key, versionId } = record.deposit;
  if (depositIdFor({ bucket, key, versionId }) !== depositId) {
    throw refused(
      record.seq,
      'DEPOSIT_ID_MISMATCH',
      'depositId is not the id of its object version',
    );
  }
  if (seen.has(depositId)) throw refused(record.seq, 'CHAIN_DUPLICATE', 'deposit appears twice');
  seen.add(depositId);
}

/** The party's own memory must hold exactly these facts as signed by it. */
async function requireRemembered(record: LedgerRecord, memory: AttestationMemory): Promise<void> {
  const facts = await memory.signedFacts(record.deposit.depositId);
  const same =
    facts !== null &&
    canonicalJson(pickDeposit(facts)) === canonicalJson(pickDeposit(record.deposit));
  if (!same) {
    throw new LedgerError(
      'COSIGN_UNKNOWN_ATTESTATION',
      `record ${record.seq}: this party never signed these facts`,
      {
        seq: record.seq,
        depositId: record.deposit.depositId,
        signedOtherFacts: facts !== null,
      },
    );
  }
}

/**
 * The party's own memory of where each deposit was co-signed: a deposit at a second seq, in
 * whichever request, is a record appended twice (CHAIN_DUPLICATE). Marked only for records
 * that passed every other check, so a mark always names a genuine record's seq.
 */
async function markCosigned(
  records: readonly LedgerRecord[],
  mark: (depositId: string, seq: number) => Promise<'marked' | 'other-seq'>,
): Promise<void> {
  await boundedAll(records, MEMORY_CONCURRENCY, async (record) => {
    if ((await mark(record.deposit.depositId, record.seq)) === 'other-seq') {
      throw refused(
        record.seq,
        'CHAIN_DUPLICATE',
        `deposit ${record.deposit.depositId} was co-signed at another seq`,
      );
    }
  });
}

/** Memory reads and marks in flight at once, per page of records. */
const MEMORY_CONCURRENCY = 32;

/**
 * Reads and verifies records [start.nextSeq, toSize), linking from start.lastHash.
 * Throws COSIGN_RECORD_REFUSED (details: seq, reason = the failed check's code) or
 * COSIGN_UNKNOWN_ATTESTATION (details: seq, depositId).
 */
export async function verifiedNewRecords(
  start: ChainHead,
  toSize: number,
  checks: NewRecordChecks,
): Promise<VerifiedRecords> {
  const leaves: Uint8Array[] = [];
  const seen = new Set<string>();
  let head = start;
  for (let from = start.nextSeq; from < toSize; from += checks.pageSize) {
    const to = Math.min(toSize, from + checks.pageSize);
    const records = parsePage(await checks.records.read(from, to), from, to);
    const verification = await verifyLedgerRecords(records, checks.trusted, { start: head });
    const failure = verification.failures[0];
    if (failure) throw refused(failure.seq, failure.code, failure.message);
    for (const record of records) {
      requireGenuineDeposit(record, seen);
      leaves.push(recordLeafHash(record.recordHash));
    }
    const { memory } = checks;
    if (memory) {
      // One memory read per record: overlapped, the first refusal in seq order is reported.
      await boundedAll(records, MEMORY_CONCURRENCY, (record) => requireRemembered(record, memory));
      if (memory.markCosigned) await markCosigned(records, memory.markCosigned.bind(memory));
    }
    head = verification.head;
  }
  return { leaves, lastRecordHash: head.lastHash };
}

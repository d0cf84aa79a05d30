/**
 * The hash chain: records numbered 0, 1, 2, … each carrying the hash of the one before.
 * buildRecords extends the chain; verifyChain recomputes and checks it. Signature checks
 * are separate (async, see party-signatures.ts); truncation of the tail is invisible to the
 * records alone and is detected against a signed checkpoint or head.
 */
import { LedgerError, type LedgerErrorCode } from './errors';
import type { Sha256 } from './ports/sha256';
import { recomputableFactFailures, recordHash, sealRecord, type FactFailure } from './record';
import {
  GENESIS_HEAD,
  type ChainHead,
  type Deposit,
  type LedgerRecord,
  type PartySignature,
} from './types';

export interface ApprovedDeposit {
  readonly deposit: Deposit;
  readonly signatures: readonly PartySignature[];
}

export interface ChainFailure {
  readonly code: LedgerErrorCode;
  /** seq of the record, as it appears in the list, at which the failure was found. */
  readonly seq: number;
  readonly message: string;
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly failures: ChainFailure[];
  /** The head after the last record accepted: where the next record must link. */
  readonly head: ChainHead;
}

export interface VerifyChainOptions {
  /** The head the first record must extend; GENESIS_HEAD by default. */
  readonly start?: ChainHead;
  /** Report every failure instead of stopping at the first. */
  readonly allFailures?: boolean;
  /** The SHA-256 that recomputes record hashes and deposit ids (noble by default). */
  readonly sha256?: Sha256;
}

/**
 * Records for `approved`, in order, extending `head`: consecutive seq from head.nextSeq,
 * each linked to the previous hash, all stamped with `sequencedAt` (ISO 8601 UTC with
 * milliseconds). Throws INVALID_INPUT for an invalid date and CHAIN_DUPLICATE if the batch
 * holds one deposit twice (duplicates against earlier records are the store's to refuse).
 */
export function buildRecords(
  head: ChainHead,
  approved: readonly ApprovedDeposit[],
  sequencedAt: Date,
): { records: LedgerRecord[]; head: ChainHead } {
  if (Number.isNaN(sequencedAt.getTime())) {
    throw new LedgerError('INVALID_INPUT', 'sequencedAt is not a valid date');
  }
  const stamp = sequencedAt.toISOString();
  const seen = new Set<string>();
  const records: LedgerRecord[] = [];
  let { nextSeq: seq, lastHash: prevHash } = head;
  for (const { deposit, signatures } of approved) {
    if (seen.has(deposit.depositId)) {
      throw new LedgerError('CHAIN_DUPLICATE', 'deposit appears twice in the batch', {
        depositId: deposit.depositId,
      });
    }
    seen.add(deposit.depositId);
    const body = {
      type: 'evidence-ledger/record/v1',
      seq,
      prevHash,
      sequencedAt: stamp,
      deposit,
      signatures,
    } as const;
    const record = sealRecord(body);
    records.push(record);
    seq += 1;
    prevHash = record.recordHash;
  }
  return { records, head: { nextSeq: seq, lastHash: prevHash } };
}

/** A check's failures at one record (most checks find at most one). */
type Findings = readonly FactFailure[];

/** What the walk knows when it reaches a record. */
interface WalkState {
  readonly head: ChainHead;
  readonly seqOfDeposit: ReadonlyMap<string, number>;
  /** The hash the record's body really has. */
  readonly computedHash: string;
  readonly sha256: Sha256 | undefined;
}

function checkRecordHash(record: LedgerRecord, { computedHash }: WalkState): Findings {
  if (record.recordHash === computedHash) return [];
  const message = `recordHash is ${record.recordHash}, body hashes to ${computedHash}`;
  return [{ code: 'RECORD_HASH_MISMATCH', message }];
}

function checkSeq({ seq }: LedgerRecord, { head }: WalkState): Findings {
  if (seq > head.nextSeq) {
    return [{ code: 'CHAIN_GAP', message: `expected seq ${head.nextSeq}, found ${seq}` }];
  }
  if (seq < head.nextSeq) {
    return [{ code: 'CHAIN_DUPLICATE', message: `seq ${seq} repeats (expected ${head.nextSeq})` }];
  }
  return [];
}

function checkNewDeposit({ seq, deposit }: LedgerRecord, state: WalkState): Findings {
  const earlier = state.seqOfDeposit.get(deposit.depositId);
  // A repeated seq has already been reported as CHAIN_DUPLICATE by checkSeq.
  if (earlier === undefined || seq < state.head.nextSeq) return [];
  return [{ code: 'CHAIN_DUPLICATE', message: `deposit already recorded at seq ${earlier}` }];
}

/** The shared recomputation (record.ts): deposit id, seq 0's zero link, link to the head. */
function checkRecomputableFacts(record: LedgerRecord, { head, sha256 }: WalkState): Findings {
  return recomputableFactFailures(record, head, sha256);
}

/** A record's checks, in the order they run. */
const CHECKS = [checkRecordHash, checkSeq, checkNewDeposit, checkRecomputableFacts] as const;

/**
 * The chain walk one record at a time, for a caller that checks each record otherwise too
 * (ledger-verification.ts writes a record's texts once for its hash and its signatures).
 * verifyChain is this walk over a list.
 */
export class ChainWalk {
  private current: ChainHead;
  private readonly seqOfDeposit = new Map<string, number>();

  constructor(
    start: ChainHead,
    private readonly sha256: Sha256 | undefined,
  ) {
    this.current = start;
  }

  /** The head after the last record accepted. */
  get head(): ChainHead {
    return this.current;
  }

  /**
   * The failures of `record` in the order the checks run, given the hash its body really has
   * (recordHash(record)); then the walk moves past it (see verifyChain).
   */
  step(record: LedgerRecord, computedHash: string): ChainFailure[] {
    const state = {
      head: this.current,
      seqOfDeposit: this.seqOfDeposit,
      computedHash,
      sha256: this.sha256,
    };
    const failures: ChainFailure[] = [];
    for (const check of CHECKS) {
      for (const failure of check(record, state)) failures.push({ ...failure, seq: record.seq });
    }
    if (record.seq >= this.current.nextSeq) {
      this.current = { nextSeq: record.seq + 1, lastHash: computedHash };
      if (!this.seqOfDeposit.has(record.deposit.depositId))
        this.seqOfDeposit.set(record.deposit.depositId, record.seq);
    }
    return failures;
  }
}

/**
 * Walks `records` (parsed with parseLedgerRecord: this function trusts their shape, not
 * their content) from `options.start`. Per record, in order: recordHash recomputes
 * (RECORD_HASH_MISMATCH), seq is the next one (CHAIN_GAP if higher, CHAIN_DUPLICATE if
 * lower), the deposit is new (CHAIN_DUPLICATE), then the facts anyone can recompute
 * (record.ts recomputableFactFailures): the depositId is H(bucket, key, versionId)
 * (DEPOSIT_ID_MISMATCH), seq 0 links to 64 zeros whatever `start` says, and prevHash links
 * to the previous record (CHAIN_LINK_MISMATCH). Stops at the first failure unless
 * `allFailures`, with the head before the record that failed.
 *
 * To keep later reports meaningful, the walk resynchronises after a failure: a record with
 * a repeated seq is skipped; any other record becomes the new tip, under the hash its body
 * really has, so one flipped recordHash is reported once, not again at the next record.
 */
export function verifyChain(
  records: readonly LedgerRecord[],
  options: VerifyChainOptions = {},
): ChainVerification {
  const walk = new ChainWalk(options.start ?? GENESIS_HEAD, options.sha256);
  const failures: ChainFailure[] = [];
  for (const record of records) {
    const head = walk.head;
    const found = walk.step(record, recordHash(record, options.sha256));
    if (found.length > 0 && !options.allFailures) {
      return { ok: false, failures: [found[0]!], head };
    }
    failures.push(...found);
  }
  return { ok: failures.length === 0, failures, head: walk.head };
}

/**
 * A ledger store whose append transactions really interleave, the way DynamoDB runs
 * TransactWriteItems: each transaction first checks every condition and takes a lock on each
 * item it writes (prepare), then gives a seeded number of event-loop turns to everything else
 * (other transactions, head reads), then writes and releases (commit). A transaction that
 * touches an item another in-flight transaction holds is cancelled with the reason
 * TransactionConflict, a failed condition with ConditionalCheckFailed, and the outcome is read
 * from those reasons by the adapter's own code (appendOutcomeOfCancellation).
 *
 * The emulator's DynamoDB runs one request at a time (tools/emulators/
 * moto_server_serialized_dynamodb.py), so racing appenders never meet this there. Reads see
 * committed state only, as DynamoDB's GetItem/Query do next to a transaction in flight.
 * With `detectConflicts: false` the locks are ignored: conditions are checked at prepare and
 * the writes land at commit regardless, a check-then-act race that does fork the chain (what
 * the race test shows it would catch). Writes to the deposits outside an append are not
 * locked: only the ledger's own transaction is modelled.
 *
 *   const store = new InterleavingLedgerStore(deposits, { seed: 7 });
 */
import type { AppendOutcome, LedgerAppender } from '../../core/ports/ledger';
import { GENESIS_HEAD, type ChainHead, type LedgerRecord } from '../../core/types';
import { appendOutcomeOfCancellation } from '../../functions/shared/dynamo-ledger-store';
import { headIs, requireAppendFits, type InMemoryDepositStore } from './in-memory-pipeline';
import { seededRandom, seededTurns, type SeededRandom } from './seeded-random';

export interface InterleavingOptions {
  readonly seed: number;
  /** Most event-loop turns before a request reaches the store, and between prepare and commit. */
  readonly maxTurns?: number;
  /** false: in-flight transactions do not see each other's locks (a store that forks). */
  readonly detectConflicts?: boolean;
}

type Reason = 'None' | 'ConditionalCheckFailed' | 'TransactionConflict';

/** One record write that committed: two for the same seq is a fork. */
export interface RecordWrite {
  readonly seq: number;
  readonly recordHash: string;
  readonly depositId: string;
}

export class InterleavingLedgerStore implements LedgerAppender {
  private committedHead: ChainHead | null = null;
  private readonly records = new Map<number, LedgerRecord>();
  /** The ledger's own marker per appended deposit id. */
  private readonly markers = new Set<string>();
  /** Item → the transaction holding it between its prepare and its commit. */
  private readonly locks = new Map<string, number>();
  private readonly random: SeededRandom;
  private readonly maxTurns: number;
  private readonly detectConflicts: boolean;
  private transactions = 0;
  readonly recordWrites: RecordWrite[] = [];
  /** Cancelled transactions by reason: a lock held by another, or a failed condition. */
  readonly cancelled = { conflict: 0, condition: 0 };
  commits = 0;

  constructor(
    private readonly deposits: InMemoryDepositStore,
    options: InterleavingOptions,
  ) {
    this.random = seededRandom(options.seed);
    this.maxTurns = options.maxTurns ?? 6;
    this.detectConflicts = options.detectConflicts ?? true;
  }

  async head(): Promise<ChainHead> {
    await seededTurns(this.random, this.maxTurns);
    return this.committedHead ?? GENESIS_HEAD;
  }

  async read(fromSeq: number, toSeq: number): Promise<LedgerRecord[]> {
    await seededTurns(this.random, this.maxTurns);
    const inRange = [...this.records.values()].filter((r) => r.seq >= fromSeq && r.seq < toSeq);
    return inRange.sort((a, b) => a.seq - b.seq).map((r) => structuredClone(r));
  }

  async append(
    expected: ChainHead,
    records: readonly LedgerRecord[],
    next: ChainHead,
    _at: Date,
  ): Promise<AppendOutcome> {
    requireAppendFits(records);
    const items = this.itemsOf(expected, records);
    await seededTurns(this.random, this.maxTurns);
    const transaction = ++this.transactions;
    const reasons = items.map(({ key, holds }) => this.reasonFor(key, holds()));
    if (reasons.some((r) => r !== 'None')) {
      if (reasons.includes('TransactionConflict')) this.cancelled.conflict += 1;
      else this.cancelled.condition += 1;
      return appendOutcomeOfCancellation(
        reasons.map((Code) => ({ Code })),
        records,
      );
    }
    for (const { key } of items) this.locks.set(key, transaction);
    await seededTurns(this.random, this.maxTurns);
    this.commit(records, next);
    for (const { key } of items) if (this.locks.get(key) === transaction) this.locks.delete(key);
    return { kind: 'appended' };
  }

  /** Every record, in seq order (for assertions). */
  all(): Promise<LedgerRecord[]> {
    return this.read(0, Number.MAX_SAFE_INTEGER);
  }

  /** The transaction's items in TransactItems order, each with its condition. */
  private itemsOf(expected: ChainHead, records: readonly LedgerRecord[]) {
    const ids = records.map((r) => r.deposit.depositId);
    return [
      { key: 'head', holds: () => headIs(this.committedHead, expected) },
      ...records.map((r) => ({ key: `record#${r.seq}`, holds: () => !this.records.has(r.seq) })),
      ...ids.map((id) => ({ key: `deposit#${id}`, holds: () => this.deposits.isAppendable(id) })),
      ...ids.map((id) => ({ key: `marker#${id}`, holds: () => !this.markers.has(id) })),
    ];
  }

  private reasonFor(key: string, conditionHolds: boolean): Reason {
    if (this.detectConflicts && this.locks.has(key)) return 'TransactionConflict';
    return conditionHolds ? 'None' : 'ConditionalCheckFailed';
  }

  private commit(records: readonly LedgerRecord[], next: ChainHead): void {
    for (const record of records) {
      const depositId = record.deposit.depositId;
      this.records.set(record.seq, structuredClone(record));
      this.markers.add(depositId);
      this.deposits.markAppended(depositId, record.seq, record.recordHash);
      this.recordWrites.push({ seq: record.seq, recordHash: record.recordHash, depositId });
    }
    this.committedHead = { ...next };
    this.commits += 1;
  }
}

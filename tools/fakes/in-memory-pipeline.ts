/**
 * In-memory stand-ins for the ingest pipeline's ports (core/ports/, core/pipeline/), for the
 * core's unit tests. They keep the conditional semantics of the DynamoDB adapters in
 * functions/shared (dynamo-deposit-store.ts, dynamo-ledger-store.ts), because those
 * conditions, not the use cases, are what make the pipeline idempotent and the chain linear.
 *
 *   const objects = new InMemoryEvidenceObjects();
 *   const deposits = new InMemoryDepositStore();
 *   const ledger = new InMemoryLedgerStore(deposits);
 *
 * Every method returns a copy: a caller can never change the store's state behind its back.
 */
import { createHash } from 'node:crypto';
import {
  DEFAULT_DIGEST_TUNING,
  digestWithinBudget,
  memoryRangeSource,
  requireObjectSize,
  type DigestTuning,
} from '../../functions/shared/budgeted-digest';
import type { AppendOutcome, LedgerAppender } from '../../core/ports/ledger';
import {
  addedSignature,
  APPEND_STEP,
  depositStateFrom,
  type DepositFields,
  type DepositState,
  type FailedDeposit,
  type FailedObject,
  type FailedObjectRef,
  type PendingAgencySignature,
  type SignatureStep,
} from '../../core/pipeline/deposit-state';
import type { DepositWriter } from '../../core/ports/deposits';
import type {
  EvidenceObjects,
  DigestRequest,
  DigestStep,
  HashCheckpoint,
  ObjectVersionInfo,
  ObjectVersionRef,
} from '../../core/ports/evidence-objects';
import type { PartyDepositState, PartyStateStore } from '../../core/ports/party-state';
import type { StageQueue } from '../../core/pipeline/stage-queue';
import { canonicalJson } from '../../core/canonical-json';
import { LedgerError } from '../../core/errors';
import {
  hashCheckpointSchema,
  parseDeposit,
  parseDepositDraft,
  parsePartySignature,
  parseWith,
} from '../../core/schemas';
import { fieldsOf } from './deposit-fields';
import type { Clock } from '../../core/ports/clock';
import {
  GENESIS_HEAD,
  type ChainHead,
  type Deposit,
  type DepositDraft,
  type LedgerRecord,
  type PartySignature,
} from '../../core/types';

/** A clock that stands still until the test moves it. */
export class SteppableClock implements Clock {
  private current: number;

  constructor(start: string | Date = '2026-11-24T02:32:35.678Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}

/** Gives every other pending promise chain a turn, so that interleavings really happen. */
export const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => setImmediate(resolve));

interface StoredVersion {
  readonly versionId: string;
  bytes: Uint8Array;
  readonly eTag: string;
  metadata: Readonly<Record<string, string>>;
  /** Whole seconds, as S3's Last-Modified header has them. */
  readonly lastModified: string;
}

/** Versions are created one second apart from this time on. */
const FIRST_VERSION_TIME = Date.parse('2026-11-24T02:32:35.000Z');

/**
 * A versioned bucket. Version ids are sequential (`v000001`, …) across the store, so the
 * order of `put` calls is the age order. The ETag is the MD5 hex of the bytes, as S3 gives
 * for single-part uploads. Metadata is returned as it was put, so a test can hand the core
 * mixed-case names. Digests go through the real budgeted digest (functions/shared), with
 * `tuning` settable so a test can force an object to be hashed in slices; `digestCalls`
 * counts the bytes each call read.
 */
export class InMemoryEvidenceObjects implements EvidenceObjects {
  private readonly versions = new Map<string, StoredVersion[]>();
  private lastVersion = 0;
  tuning: DigestTuning = DEFAULT_DIGEST_TUNING;
  readonly digestCalls: { readonly from: number; readonly to: number | 'done' }[] = [];

  put(
    bucket: string,
    key: string,
    bytes: Uint8Array | string,
    metadata: Readonly<Record<string, string>> = {},
  ): ObjectVersionRef & { readonly eTag: string; readonly size: number } {
    const body = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes.slice();
    this.lastVersion += 1;
    const versionId = `v${String(this.lastVersion).padStart(6, '0')}`;
    const eTag = createHash('md5').update(body).digest('hex');
    const lastModified = new Date(FIRST_VERSION_TIME + this.lastVersion * 1000).toISOString();
    const stored = { versionId, bytes: body, eTag, metadata: { ...metadata }, lastModified };
    this.versions.set(slot(bucket, key), [...this.versionsOf(bucket, key), stored]);
    return { bucket, key, versionId, eTag, size: body.length };
  }

  /** Permanently deletes one version (DeleteObject with a VersionId). */
  deleteVersion(ref: ObjectVersionRef): void {
    const remaining = this.versionsOf(ref.bucket, ref.key).filter(
      (v) => v.versionId !== ref.versionId,
    );
    this.versions.set(slot(ref.bucket, ref.key), remaining);
  }

  /** Replaces a version's bytes in place, keeping its ETag: storage that lies. */
  corrupt(ref: ObjectVersionRef, bytes: Uint8Array | string): void {
    const stored = this.find(ref);
    if (!stored) throw new Error(`no version ${ref.versionId} of ${ref.key}`);
    stored.bytes = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes.slice();
  }

  /** Replaces a version's metadata in place: storage that lies about the facts. */
  rewriteMetadata(ref: ObjectVersionRef, metadata: Readonly<Record<string, string>>): void {
    const stored = this.find(ref);
    if (!stored) throw new Error(`no version ${ref.versionId} of ${ref.key}`);
    stored.metadata = { ...metadata };
  }

  versionsMatching(
    bucket: string,
    key: string,
    eTag: string,
    size: number | null,
  ): Promise<string[]> {
    const matching = this.versionsOf(bucket, key).filter(
      (v) => v.eTag === eTag && (size === null || v.bytes.length === size),
    );
    return Promise.resolve(matching.map((v) => v.versionId));
  }

  head(ref: ObjectVersionRef): Promise<ObjectVersionInfo | null> {
    const stored = this.find(ref);
    return Promise.resolve(
      stored
        ? {
            size: stored.bytes.length,
            eTag: stored.eTag,
            metadata: { ...stored.metadata },
            lastModified: stored.lastModified,
          }
        : null,
    );
  }

  async digest(request: DigestRequest): Promise<DigestStep | null> {
    const stored = this.find(request.ref);
    if (!stored) return null;
    // As the S3 adapter: with no range to read, a zero-byte request checks the size it found.
    if (request.size === 0) requireObjectSize(stored.bytes.length, 0);
    const step = await digestWithinBudget(
      memoryRangeSource(stored.bytes, request.size),
      request,
      this.tuning,
    );
    const from = request.resumeFrom?.offset ?? 0;
    this.digestCalls.push({ from, to: step.kind === 'done' ? 'done' : step.checkpoint.offset });
    return step;
  }

  private versionsOf(bucket: string, key: string): StoredVersion[] {
    return this.versions.get(slot(bucket, key)) ?? [];
  }

  private find(ref: ObjectVersionRef): StoredVersion | undefined {
    return this.versionsOf(ref.bucket, ref.key).find((v) => v.versionId === ref.versionId);
  }
}

const slot = (bucket: string, key: string) => JSON.stringify([bucket, key]);

type MutableFields = { -readonly [K in keyof DepositFields]: DepositFields[K] };

/**
 * DepositWriter with the conditions of DynamoDepositStore: create only if absent;
 * addSignature only from the expected status and only if that role has not signed;
 * fail never overrides APPENDED; a failure record is written only if the id is free.
 * It keeps items as their fields and reads them through depositStateFrom, as the adapter
 * does, so a tampered item that contradicts its status fails the same way.
 */
export class InMemoryDepositStore implements DepositWriter {
  private readonly items = new Map<string, MutableFields>();
  /** The failure records written for object versions that never became deposits. */
  readonly failedObjects: (FailedObjectRef & { readonly depositId: string })[] = [];

  get(depositId: string): Promise<DepositState | null> {
    const item = this.items.get(depositId);
    return item
      ? Promise.resolve().then(() => depositStateFrom(structuredClone(item)))
      : Promise.resolve(null);
  }

  /** The stored fields of one item, whatever its status (for assertions). */
  fields(depositId: string): DepositFields | null {
    const item = this.items.get(depositId);
    return item ? structuredClone(item) : null;
  }

  /** Every item's fields, in creation order (for assertions). */
  all(): DepositFields[] {
    return [...this.items.values()].map((item) => structuredClone(item));
  }

  create(state: PendingAgencySignature, _at: Date): Promise<'created' | 'exists'> {
    return Promise.resolve().then(() => {
      // As the adapter: written with the schema it is read back with (INVALID_INPUT otherwise).
      parseDeposit(state.deposit);
      if (this.items.has(state.depositId)) return 'exists';
      this.items.set(state.depositId, structuredClone(fieldsOf(state)));
      return 'created';
    });
  }

  /** Overwrites an item as a role with write access to the table could: an attacker's edit. */
  tamper(depositId: string, edit: (item: MutableFields) => void): void {
    const item = this.items.get(depositId);
    if (!item) throw new Error(`no deposit ${depositId}`);
    edit(item);
  }

  addSignature(step: SignatureStep, _at: Date): Promise<'updated' | 'conflict'> {
    const item = this.items.get(step.from.depositId);
    const signature = addedSignature(step);
    if (!item || item.status !== step.from.status || item.signatures[signature.role])
      return Promise.resolve('conflict');
    item.signatures = { ...item.signatures, [signature.role]: structuredClone(signature) };
    // The agency's step writes the facts it signed; the custodian's adds only its signature.
    if (step.to.status === 'PENDING_CUSTODIAN_SIGNATURE')
      item.deposit = structuredClone(step.to.deposit);
    item.status = step.to.status;
    return Promise.resolve('updated');
  }

  fail(state: FailedDeposit | FailedObject, _at: Date): Promise<void> {
    const item = this.items.get(state.depositId);
    if ('deposit' in state) {
      if (item && item.status !== 'APPENDED') {
        item.status = state.status;
        item.failure = { ...state.failure };
      }
    } else if (!item) {
      this.failedObjects.push({ depositId: state.depositId, ...state.object });
      this.items.set(state.depositId, structuredClone(fieldsOf(state)));
    }
    return Promise.resolve();
  }

  /** The ledger's side of an append transaction: true if the deposit may be appended. */
  isAppendable(depositId: string): boolean {
    return this.items.get(depositId)?.status === APPEND_STEP.from;
  }

  /** The ledger's side of an append transaction; call only after isAppendable. */
  markAppended(depositId: string, seq: number, recordHash: string): void {
    const item = this.items.get(depositId);
    if (!item) throw new Error(`no deposit ${depositId}`);
    item.status = APPEND_STEP.to;
    item.seq = seq;
    item.recordHash = recordHash;
  }
}

/** The append's head condition: absent for nextSeq 0, else exactly `expected`. */
export function headIs(current: ChainHead | null, expected: ChainHead): boolean {
  if (expected.nextSeq === 0) return current === null;
  return current?.nextSeq === expected.nextSeq && current.lastHash === expected.lastHash;
}

/** DynamoDB's limit on the items of one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * An append is one transaction of 1 + 3 items per record (head; record, deposit, marker each):
 * DynamoDB refuses one of more than 100 items as a whole (a ValidationException).
 */
export function requireAppendFits(records: readonly LedgerRecord[]): void {
  const items = 1 + 3 * records.length;
  if (items > MAX_TRANSACTION_ITEMS)
    throw new LedgerError('INVALID_INPUT', `an append of ${items} items is over 100`, { items });
}

/**
 * LedgerAppender with the transaction of DynamoLedgerStore: the head must equal `expected`
 * (absent, for nextSeq 0), every record's seq must be free, and every deposit must be
 * PENDING_APPEND; then all of it happens at once, or none of it. Deposits that were not
 * PENDING_APPEND are reported as 'already-appended', anything else as 'head-moved',
 * exactly as DynamoLedgerStore reads DynamoDB's cancellation reasons.
 *
 * head() and append() yield to the event loop before they look at the state, so that
 * concurrent appenders in one test really interleave; the check-and-write after that is
 * synchronous, which is what makes it atomic.
 */
export class InMemoryLedgerStore implements LedgerAppender {
  private current: ChainHead | null = null;
  private readonly records = new Map<number, LedgerRecord>();
  /** Every append call, whether it committed or not. */
  appendCalls = 0;
  /** The append calls that committed. */
  commits = 0;

  /**
   * A test-only switch (the simulator's planted bug `append-without-head-condition`): false
   * drops the head and seq conditions of the append, as a regression in DynamoLedgerStore's
   * transaction would. The per-deposit marker is still checked.
   */
  checksHead = true;

  /**
   * @param latencyMs how long an append takes to reach the store; a few milliseconds make
   *   concurrent appenders collide even when they finish their other work at different times.
   */
  constructor(
    private readonly deposits: InMemoryDepositStore,
    private readonly latencyMs = 0,
  ) {}

  async head(): Promise<ChainHead> {
    await yieldToEventLoop();
    return this.current ?? GENESIS_HEAD;
  }

  async append(
    expected: ChainHead,
    records: readonly LedgerRecord[],
    next: ChainHead,
    _at: Date,
  ): Promise<AppendOutcome> {
    this.appendCalls += 1;
    requireAppendFits(records);
    await (this.latencyMs > 0
      ? new Promise((resolve) => setTimeout(resolve, this.latencyMs))
      : yieldToEventLoop());
    // The deposit marker: a deposit id is in the ledger at most once, whatever its mailbox says.
    const taken = records
      .map((r) => r.deposit.depositId)
      .filter(
        (id) =>
          !this.deposits.isAppendable(id) ||
          [...this.records.values()].some((r) => r.deposit.depositId === id),
      );
    if (taken.length > 0) return { kind: 'already-appended', depositIds: taken };
    if (this.checksHead && (!this.headIs(expected) || records.some((r) => this.records.has(r.seq))))
      return { kind: 'head-moved' };
    for (const record of records) {
      this.records.set(record.seq, structuredClone(record));
      this.deposits.markAppended(record.deposit.depositId, record.seq, record.recordHash);
    }
    this.current = { ...next };
    this.commits += 1;
    return { kind: 'appended' };
  }

  read(fromSeq: number, toSeq: number): Promise<LedgerRecord[]> {
    const inRange = [...this.records.values()].filter((r) => r.seq >= fromSeq && r.seq < toSeq);
    return Promise.resolve(inRange.sort((a, b) => a.seq - b.seq).map((r) => structuredClone(r)));
  }

  /** Every record, in seq order (for assertions). */
  all(): Promise<LedgerRecord[]> {
    return this.read(0, Number.MAX_SAFE_INTEGER);
  }

  private headIs(expected: ChainHead): boolean {
    return headIs(this.current, expected);
  }
}

type MutablePartyState = { -readonly [K in keyof PartyDepositState]: PartyDepositState[K] };

/** What the `deposit#` item holds: the party's draft, unfinished digest and facts. */
type FactsItem = Omit<MutablePartyState, 'depositId' | 'signature'>;

/**
 * One party's own state with the conditions of DynamoPartyStore: a first checkpoint only for
 * a deposit with no facts item yet, a later one only from the stored offset and for the same
 * draft and before the facts; facts and signature each recorded once. As in the adapter, the
 * signature is an item of its own (`signed#`), written whether or not facts were recorded,
 * and every input is parsed with the schema the adapter writes it with.
 */
export class InMemoryPartyStore implements PartyStateStore {
  private readonly items = new Map<string, FactsItem>();
  private readonly signatures = new Map<string, PartySignature>();

  get(depositId: string): Promise<PartyDepositState | null> {
    const item = this.items.get(depositId);
    const signature = this.signatures.get(depositId);
    if (!item && !signature) return Promise.resolve(null);
    return Promise.resolve(
      structuredClone({
        depositId,
        draft: item?.draft ?? null,
        checkpoint: item?.checkpoint ?? null,
        facts: item?.facts ?? null,
        signature: signature ?? null,
      }),
    );
  }

  saveHashProgress(
    draft: DepositDraft,
    from: HashCheckpoint | null,
    to: HashCheckpoint,
    _at: Date,
  ): Promise<'saved' | 'conflict'> {
    return Promise.resolve().then(() => {
      parseDepositDraft(draft);
      parseWith(hashCheckpointSchema, to, 'hash checkpoint');
      const item = this.items.get(draft.depositId);
      if (from === null) {
        if (item) return 'conflict';
        this.items.set(draft.depositId, {
          draft: structuredClone(draft),
          checkpoint: { ...to },
          facts: null,
        });
        return 'saved';
      }
      const sameDraft = item?.draft != null && canonicalJson(item.draft) === canonicalJson(draft);
      if (!item || !sameDraft || item.facts || item.checkpoint?.offset !== from.offset)
        return 'conflict';
      item.checkpoint = { ...to };
      return 'saved';
    });
  }

  recordFacts(facts: Deposit, _at: Date): Promise<'saved' | 'exists'> {
    return Promise.resolve().then(() => {
      parseDeposit(facts);
      const item = this.items.get(facts.depositId);
      if (item?.facts) return 'exists';
      const next = item ?? { draft: null, checkpoint: null, facts: null };
      next.facts = structuredClone(facts);
      this.items.set(facts.depositId, next);
      return 'saved';
    });
  }

  recordSignature(
    depositId: string,
    signature: PartySignature,
    _at: Date,
  ): Promise<'saved' | 'exists'> {
    return Promise.resolve().then(() => {
      parsePartySignature(signature);
      if (this.signatures.has(depositId)) return 'exists';
      this.signatures.set(depositId, structuredClone(signature));
      return 'saved';
    });
  }

  /** Overwrites an item as a principal with write access to this party's table could. */
  tamper(depositId: string, edit: (item: MutablePartyState) => void): void {
    const item: MutablePartyState = {
      depositId,
      draft: null,
      checkpoint: null,
      facts: null,
      signature: null,
      ...this.items.get(depositId),
      ...(this.signatures.has(depositId) ? { signature: this.signatures.get(depositId)! } : {}),
    };
    edit(item);
    this.items.set(depositId, {
      draft: item.draft,
      checkpoint: item.checkpoint,
      facts: item.facts,
    });
    if (item.signature) this.signatures.set(depositId, item.signature);
    else this.signatures.delete(depositId);
  }
}

/** A StageQueue that only remembers what was sent, in order. */
export class RecordingQueue implements StageQueue {
  readonly sent: string[] = [];

  send(depositId: string): Promise<void> {
    this.sent.push(depositId);
    return Promise.resolve();
  }
}

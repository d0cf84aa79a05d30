/**
 * Ports of the ingest pipeline. The AWS adapters in functions/shared implement them;
 * the core's tests use in-memory fakes.
 */
import type { ChainHead, Deposit, DepositDraft, LedgerRecord, PartyRole, PartySignature } from '../types';

export interface ObjectVersionRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
}

export interface ObjectVersionInfo {
  readonly size: number;
  readonly eTag: string;
  /** User metadata (x-amz-meta-*), names lower-cased, as S3 returns them. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The version's Last-Modified (its creation time), ISO 8601 UTC with milliseconds. */
  readonly lastModified: string;
}

export interface ObjectDigest {
  readonly sha256: string;
  readonly size: number;
}

/**
 * Where an unfinished SHA-256 stopped: the bytes hashed so far and the hash function's
 * exported state after them. Lets a digest that does not fit one invocation continue in
 * the next one.
 */
export interface HashCheckpoint {
  readonly offset: number;
  /** Opaque to the core: the adapter's serialised SHA-256 state. */
  readonly state: string;
}

/** How much longer the current invocation may keep working. */
export interface WorkBudget {
  remainingMs(): number;
}

export const UNLIMITED_BUDGET: WorkBudget = { remainingMs: () => Number.POSITIVE_INFINITY };

export interface DigestRequest {
  readonly ref: ObjectVersionRef;
  /** The version's size; a stored object of another size is DIGEST_MISMATCH. */
  readonly size: number;
  /** Where an earlier invocation stopped; null to start at byte 0. */
  readonly resumeFrom: HashCheckpoint | null;
  readonly budget: WorkBudget;
}

export type DigestStep =
  | { readonly kind: 'done'; readonly digest: ObjectDigest }
  /** The budget ran out first: continue from `checkpoint`. */
  | { readonly kind: 'partial'; readonly checkpoint: HashCheckpoint };

/** Read access to the evidence objects. `null` means the version does not exist (any more). */
export interface EvidenceObjects {
  /** Version ids of `key` whose ETag (and size, when given) match, oldest first. */
  versionsMatching(bucket: string, key: string, eTag: string, size: number | null): Promise<string[]>;
  head(ref: ObjectVersionRef): Promise<ObjectVersionInfo | null>;
  /** Hashes the version with bounded memory, as far as the budget allows. */
  digest(request: DigestRequest): Promise<DigestStep | null>;
}

export type DepositStatus =
  | 'PENDING_AGENCY_SIGNATURE'
  | 'PENDING_CUSTODIAN_SIGNATURE'
  | 'PENDING_APPEND'
  | 'APPENDED'
  | 'FAILED';

export interface DepositFailure {
  readonly code: string;
  readonly message: string;
}

/**
 * A deposit as the pipeline's shared mailbox (the Deposits table) holds it. Several roles
 * write this item, so nothing in it is trusted: each party signs only facts it established
 * itself (PartyStateStore) and the appender verifies both signatures over the facts here.
 */
export interface DepositState {
  readonly depositId: string;
  readonly status: DepositStatus;
  /** Null only for failure records of object versions that could not be read. */
  readonly deposit: Deposit | null;
  readonly signatures: Readonly<Partial<Record<PartyRole, PartySignature>>>;
  readonly seq: number | null;
  readonly failure: DepositFailure | null;
}

/** A failure record for an object version that never became a deposit. */
export interface FailedObject {
  readonly depositId: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly eTag: string | null;
}

export interface DepositStore {
  get(depositId: string): Promise<DepositState | null>;
  /** Creates the deposit in PENDING_AGENCY_SIGNATURE unless an item with its id exists. */
  create(deposit: Deposit, at: Date): Promise<'created' | 'exists'>;
  /**
   * Adds one party's signature and moves `from` → `to`; 'conflict' if the status was not `from`.
   * With `facts`, the deposit's facts are (re)written with it: the agency puts the facts it
   * signed beside its signature, so the mailbox always carries what was signed.
   */
  addSignature(
    depositId: string,
    signature: PartySignature,
    from: DepositStatus,
    to: DepositStatus,
    at: Date,
    facts?: Deposit,
  ): Promise<'updated' | 'conflict'>;
  /** Marks a pending deposit FAILED, or writes a failure record for an unreadable object. */
  fail(target: string | FailedObject, failure: DepositFailure, at: Date): Promise<void>;
}

export type AppendOutcome =
  | { readonly kind: 'appended' }
  /** Another appender moved the head first: re-read it and rebuild the records. */
  | { readonly kind: 'head-moved' }
  /** These deposits were appended by someone else meanwhile: drop them and retry. */
  | { readonly kind: 'already-appended'; readonly depositIds: readonly string[] };

export interface LedgerStore {
  head(): Promise<ChainHead>;
  /** Atomically: advance the head from `expected`, put the records, mark their deposits APPENDED. */
  append(expected: ChainHead, records: readonly LedgerRecord[], next: ChainHead, at: Date): Promise<AppendOutcome>;
  /** Records with fromSeq <= seq < toSeq, in order. */
  read(fromSeq: number, toSeq: number): Promise<LedgerRecord[]>;
}

/** The queue that feeds the next stage of the pipeline. */
export interface StageQueue {
  send(depositId: string): Promise<void>;
}

/**
 * What one party keeps about one deposit, in storage that only that party's roles can write
 * (its own table, in its own account when deployed in two accounts): its unfinished digest,
 * the facts it established from primary sources, and the signature it gave. Nothing another
 * stage wrote is ever read back from here, and the party remembers what it approved.
 */
export interface PartyDepositState {
  readonly depositId: string;
  /** The facts established so far (all but the digest); a checkpoint belongs to exactly these. */
  readonly draft: DepositDraft | null;
  /** Where this party's unfinished SHA-256 of the version stopped. */
  readonly checkpoint: HashCheckpoint | null;
  /** The facts, once its own digest is done. */
  readonly facts: Deposit | null;
  /** The signature it gave over `facts`. */
  readonly signature: PartySignature | null;
}

export interface PartyStateStore {
  get(depositId: string): Promise<PartyDepositState | null>;
  /**
   * Saves a hash checkpoint of `draft`'s version: the first one (from null) only if the party
   * holds nothing for that deposit yet, a later one only if the stored checkpoint is still
   * `from` and its draft is `draft`. Of two invocations racing on one object, one advances it
   * and the other gets 'conflict'.
   */
  saveHashProgress(draft: DepositDraft, from: HashCheckpoint | null, to: HashCheckpoint, at: Date): Promise<'saved' | 'conflict'>;
  /** Records the facts established, once; 'exists' if facts were recorded before. */
  recordFacts(facts: Deposit, at: Date): Promise<'saved' | 'exists'>;
  /** Remembers the signature given over the recorded facts, once; 'exists' if it signed before. */
  recordSignature(depositId: string, signature: PartySignature, at: Date): Promise<'saved' | 'exists'>;
}

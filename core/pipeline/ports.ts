/**
 * Ports of the ingest pipeline. The AWS adapters in functions/shared implement them;
 * the core's tests use in-memory fakes.
 */
import type { ChainHead, Deposit, LedgerRecord, PartyRole, PartySignature } from '../types';

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
}

export interface ObjectDigest {
  readonly sha256: string;
  readonly size: number;
}

/** Read access to the evidence objects. `null` means the version does not exist (any more). */
export interface EvidenceObjects {
  /** Version ids of `key` whose ETag (and size, when given) match, oldest first. */
  versionsMatching(bucket: string, key: string, eTag: string, size: number | null): Promise<string[]>;
  head(ref: ObjectVersionRef): Promise<ObjectVersionInfo | null>;
  /** Streams the version through SHA-256 with bounded memory. */
  digest(ref: ObjectVersionRef): Promise<ObjectDigest | null>;
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
  /** Adds one party's signature and moves `from` → `to`; 'conflict' if the status was not `from`. */
  addSignature(
    depositId: string,
    signature: PartySignature,
    from: DepositStatus,
    to: DepositStatus,
    at: Date,
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

/**
 * A deposit's state in the shared mailbox (the Deposits table): one type per status, each
 * with exactly the fields that status has, and the transitions between them as functions from
 * one state type to the next. A stored item is turned into one of these at the store boundary
 * (depositStateFrom); an item whose fields contradict its status is a storage-integrity error
 * naming the deposit, never a state with a silently missing field.
 *
 *   PENDING_AGENCY_SIGNATURE --withAgencySignature--> PENDING_CUSTODIAN_SIGNATURE
 *     --withCustodianSignature--> PENDING_APPEND --appended--> APPENDED
 *   any pending state --failed--> FAILED;  an unreadable object version --failedObject--> FAILED
 */
import { LedgerError } from '../errors';
import type { Deposit, PartyRole, PartySignature } from '../types';

/** The codes a deposit is ever FAILED with (the `failureCode` attribute). */
export type DepositFailureCode =
  // the hasher: the notice or the version's facts cannot be stored, or the version is gone
  | 'INVALID_EVENT'
  | 'INVALID_INPUT'
  | 'OBJECT_NOT_FOUND'
  // a party's own checks before it signs (collect-signature.ts)
  | 'DEPOSIT_ID_MISMATCH'
  | 'FACTS_MISMATCH'
  | 'FACTS_NOT_ESTABLISHED'
  | 'PARTY_STATE_CORRUPT'
  | 'DIGEST_MISMATCH'
  // the signatures, checked by the custodian and again by the appender
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID';

const DEPOSIT_FAILURE_CODES: ReadonlySet<string> = new Set<DepositFailureCode>([
  'INVALID_EVENT',
  'INVALID_INPUT',
  'OBJECT_NOT_FOUND',
  'DEPOSIT_ID_MISMATCH',
  'FACTS_MISMATCH',
  'FACTS_NOT_ESTABLISHED',
  'PARTY_STATE_CORRUPT',
  'DIGEST_MISMATCH',
  'SIGNATURE_MISSING',
  'SIGNATURE_INVALID',
]);

export const isDepositFailureCode = (code: string): code is DepositFailureCode =>
  DEPOSIT_FAILURE_CODES.has(code);

export interface DepositFailure {
  readonly code: DepositFailureCode;
  readonly message: string;
}

/** Waiting for the agency: the facts its hasher established. */
export interface PendingAgencySignature {
  readonly status: 'PENDING_AGENCY_SIGNATURE';
  readonly depositId: string;
  readonly deposit: Deposit;
}

/** Waiting for the custodian: the facts the agency signed, and its signature. */
export interface PendingCustodianSignature {
  readonly status: 'PENDING_CUSTODIAN_SIGNATURE';
  readonly depositId: string;
  readonly deposit: Deposit;
  readonly signatures: { readonly agency: PartySignature };
}

export interface BothSignatures {
  readonly agency: PartySignature;
  readonly custodian: PartySignature;
}

/** Approved by both parties, waiting for the appender. */
export interface PendingAppend {
  readonly status: 'PENDING_APPEND';
  readonly depositId: string;
  readonly deposit: Deposit;
  readonly signatures: BothSignatures;
}

/** In the ledger at `seq`. */
export interface Appended {
  readonly status: 'APPENDED';
  readonly depositId: string;
  readonly deposit: Deposit;
  readonly signatures: BothSignatures;
  readonly seq: number;
  readonly recordHash?: string;
}

/** A deposit refused on its way: its facts and whatever signatures it had gathered. */
export interface FailedDeposit {
  readonly status: 'FAILED';
  readonly depositId: string;
  readonly failure: DepositFailure;
  readonly deposit: Deposit;
  readonly signatures: Readonly<Partial<Record<PartyRole, PartySignature>>>;
}

/** The object version a failure record names; no version id when the notice had none. */
export interface FailedObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly eTag: string | null;
}

/** A failure record for an object version that never became a deposit. */
export interface FailedObject {
  readonly status: 'FAILED';
  readonly depositId: string;
  readonly failure: DepositFailure;
  readonly object: FailedObjectRef;
}

export type PendingDeposit = PendingAgencySignature | PendingCustodianSignature | PendingAppend;
export type DepositState = PendingDeposit | Appended | FailedDeposit | FailedObject;
export type DepositStatus = DepositState['status'];

/** One signature step: `to` is `from` with exactly one more signature. */
export type SignatureStep =
  | { readonly from: PendingAgencySignature; readonly to: PendingCustodianSignature }
  | { readonly from: PendingCustodianSignature; readonly to: PendingAppend };

/** The statuses of the appender's step, for the ledger's append transaction. */
export const APPEND_STEP = { from: 'PENDING_APPEND', to: 'APPENDED' } as const satisfies {
  readonly from: PendingAppend['status'];
  readonly to: Appended['status'];
};

// Transitions.

/** A deposit the hasher established: waiting for the agency's signature. */
export const registered = (deposit: Deposit): PendingAgencySignature => ({
  status: 'PENDING_AGENCY_SIGNATURE',
  depositId: deposit.depositId,
  deposit,
});

/** The agency signs the facts it established itself, which replace whatever the mailbox held. */
export const withAgencySignature = (
  pending: PendingAgencySignature,
  facts: Deposit,
  agency: PartySignature,
): PendingCustodianSignature => ({
  status: 'PENDING_CUSTODIAN_SIGNATURE',
  depositId: pending.depositId,
  deposit: facts,
  signatures: { agency },
});

export const withCustodianSignature = (
  pending: PendingCustodianSignature,
  custodian: PartySignature,
): PendingAppend => ({
  status: 'PENDING_APPEND',
  depositId: pending.depositId,
  deposit: pending.deposit,
  signatures: { agency: pending.signatures.agency, custodian },
});

export const appended = (pending: PendingAppend, seq: number, recordHash: string): Appended => ({
  ...pending,
  status: 'APPENDED',
  seq,
  recordHash,
});

export const failed = (pending: PendingDeposit, failure: DepositFailure): FailedDeposit => ({
  status: 'FAILED',
  depositId: pending.depositId,
  failure,
  deposit: pending.deposit,
  signatures: pending.status === 'PENDING_AGENCY_SIGNATURE' ? {} : pending.signatures,
});

export const failedObject = (
  depositId: string,
  object: FailedObjectRef,
  failure: DepositFailure,
): FailedObject => ({
  status: 'FAILED',
  depositId,
  failure,
  object: {
    bucket: object.bucket,
    key: object.key,
    versionId: object.versionId,
    eTag: object.eTag,
  },
});

/** The signature a step adds, and whose it is. */
export function addedSignature(step: SignatureStep): PartySignature {
  return step.to.status === 'PENDING_CUSTODIAN_SIGNATURE'
    ? step.to.signatures.agency
    : step.to.signatures.custodian;
}

// The store boundary.

/**
 * A mailbox item as storage holds it: a status and whichever fields were written, each
 * already parsed with its schema by the adapter, none of them yet known to fit the status.
 */
export interface DepositFields {
  readonly depositId: string;
  readonly status: string;
  readonly deposit: Deposit | null;
  readonly signatures: Readonly<Partial<Record<PartyRole, PartySignature>>>;
  readonly seq: number | null;
  readonly recordHash: string | null;
  readonly failure: { readonly code: string; readonly message: string } | null;
  /** The object a failure record names (bucket, key, versionId, eTag attributes). */
  readonly object: FailedObjectRef | null;
}

/**
 * A mailbox item that cannot be what it says it is: written by a role misbehaving or by
 * hand: a storage-integrity error (STORAGE_ITEM_CORRUPT) naming the deposit, which the
 * appender reports as an unreadable item and every other stage leaves to retry and the DLQ.
 */
export function corruptDeposit(
  depositId: string,
  problem: string,
  details: Record<string, unknown> = {},
): LedgerError {
  return new LedgerError('STORAGE_ITEM_CORRUPT', `deposit ${depositId} in the mailbox ${problem}`, {
    depositId,
    ...details,
  });
}

function required<T>(value: T | null | undefined, fields: DepositFields, name: string): T {
  if (value === null || value === undefined)
    throw corruptDeposit(fields.depositId, `is ${fields.status} but has no ${name}`, {
      status: fields.status,
      field: name,
    });
  return value;
}

function bothSignatures(fields: DepositFields): BothSignatures {
  return {
    agency: required(fields.signatures.agency, fields, 'agency signature'),
    custodian: required(fields.signatures.custodian, fields, 'custodian signature'),
  };
}

function failureOf(fields: DepositFields): DepositFailure {
  const { code, message } = required(fields.failure, fields, 'failure code');
  if (!isDepositFailureCode(code))
    throw corruptDeposit(fields.depositId, `has an unknown failure code ${code}`, {
      failureCode: code,
    });
  return { code, message };
}

/** The deposit state an item's fields describe; throws corruptDeposit if they contradict its status. */
export function depositStateFrom(fields: DepositFields): DepositState {
  const { depositId } = fields;
  switch (fields.status) {
    case 'PENDING_AGENCY_SIGNATURE':
      return {
        status: fields.status,
        depositId,
        deposit: required(fields.deposit, fields, 'facts'),
      };
    case 'PENDING_CUSTODIAN_SIGNATURE':
      return {
        status: fields.status,
        depositId,
        deposit: required(fields.deposit, fields, 'facts'),
        signatures: { agency: required(fields.signatures.agency, fields, 'agency signature') },
      };
    case 'PENDING_APPEND':
      return {
        status: fields.status,
        depositId,
        deposit: required(fields.deposit, fields, 'facts'),
        signatures: bothSignatures(fields),
      };
    case 'APPENDED':
      return {
        status: fields.status,
        depositId,
        deposit: required(fields.deposit, fields, 'facts'),
        signatures: bothSignatures(fields),
        seq: required(fields.seq, fields, 'seq'),
        ...(fields.recordHash === null ? {} : { recordHash: fields.recordHash }),
      };
    case 'FAILED': {
      const failure = failureOf(fields);
      if (fields.deposit)
        return {
          status: fields.status,
          depositId,
          failure,
          deposit: fields.deposit,
          signatures: { ...fields.signatures },
        };
      return {
        status: fields.status,
        depositId,
        failure,
        object: required(fields.object, fields, 'facts or object'),
      };
    }
    default:
      throw corruptDeposit(depositId, `has an unknown status ${fields.status}`, {
        status: fields.status,
      });
  }
}

/** The status, and the failure code of a FAILED one, for messages. */
export const statusText = (state: DepositState): string =>
  state.status === 'FAILED' ? `${state.status} (${state.failure.code})` : state.status;

/**
 * A deposit state seen as the fields its stored item holds, every field of every status (null
 * where the status has none): the inverse of core/pipeline/deposit-state.ts depositStateFrom.
 * The in-memory mailbox stores items this way, and tests use it to look at any field of a
 * state without narrowing it first.
 */
import type { DepositFields, DepositState } from '../../core/pipeline/deposit-state';

/** The fields a state writes, as DynamoDepositStore's item holds them (the inverse of depositStateFrom). */
export function fieldsOf(state: DepositState): DepositFields;
export function fieldsOf(state: DepositState | null): DepositFields | null;
export function fieldsOf(state: DepositState | null): DepositFields | null {
  if (state === null) return null;
  const none = {
    deposit: null,
    signatures: {},
    seq: null,
    recordHash: null,
    failure: null,
    object: null,
  };
  switch (state.status) {
    case 'PENDING_AGENCY_SIGNATURE':
      return { ...none, depositId: state.depositId, status: state.status, deposit: state.deposit };
    case 'PENDING_CUSTODIAN_SIGNATURE':
    case 'PENDING_APPEND':
      return {
        ...none,
        depositId: state.depositId,
        status: state.status,
        deposit: state.deposit,
        signatures: state.signatures,
      };
    case 'APPENDED':
      return { ...none, ...state, recordHash: state.recordHash ?? null };
    case 'FAILED':
      return 'deposit' in state
        ? { ...none, ...state }
        : { ...none, ...state, object: state.object };
  }
}

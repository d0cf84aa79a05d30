/**
 * Stage 4 (appender): append fully approved deposits to the chain, many per transaction.
 *
 * Group commit: all ready deposits of a batch go into as few conditional transactions as
 * the 100-item limit allows (1 head + 3 items per deposit: record, deposit, marker → 33). A transaction
 * that loses the race for the head is rebuilt on the new head and retried; deposits another
 * appender took meanwhile are dropped. Ordering, gaplessness and idempotency come from the
 * store's conditions, not from this code being the only writer.
 */
import { buildRecords, type ApprovedDeposit } from '../chain';
import { LedgerError, isLedgerError } from '../errors';
import { verifyApprovals, type TrustedParties } from '../party-signatures';
import { requireRecomputableFacts } from '../record';
import type { Clock } from '../ports/clock';
import { PARTY_ROLES, type PartySignature } from '../types';
import {
  failed,
  isDepositFailureCode,
  type DepositState,
  type PendingAppend,
} from './deposit-state';
import type { DepositWriter } from '../ports/deposits';
import type { LedgerAppender } from '../ports/ledger';

export const MAX_DEPOSITS_PER_APPEND = 33;

export interface AppendApprovedDeps {
  readonly deposits: DepositWriter;
  readonly ledger: LedgerAppender;
  readonly trusted: TrustedParties;
  readonly clock: Clock;
  readonly maxAttempts?: number;
  readonly backoff?: (attempt: number) => Promise<void>;
}

export interface AppendReport {
  readonly appended: { readonly depositId: string; readonly seq: number }[];
  /** Already appended, failed, or refused: nothing more to do for these. */
  readonly settled: string[];
  /** Not approved yet (or not visible yet): the caller retries these later. */
  readonly notReady: string[];
  /**
   * Deposits whose mailbox item cannot be read (it does not parse): only their messages fail,
   * the rest of the batch goes on, and SQS parks them in the dead-letter queue in the end.
   */
  readonly unreadable: { readonly depositId: string; readonly code: string }[];
}

const defaultBackoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 20 * 2 ** attempt)));

/** Both approvals, in PARTY_ROLES order as a record holds them. */
function signaturesOf(state: PendingAppend): PartySignature[] {
  return PARTY_ROLES.map((role) => state.signatures[role]);
}

/**
 * Verifies both approvals; a deposit whose signatures do not verify is failed, never
 * appended. A key that is not the trusted one may mean the configuration changed (a rotated
 * key, an alias for an ARN) rather than a forgery: that deposit waits, retried and in the end
 * parked in the dead-letter queue, instead of being failed for good.
 */
async function approvedOrFailed(
  state: PendingAppend,
  deps: AppendApprovedDeps,
): Promise<ApprovedDeposit | 'wait' | null> {
  const signatures = signaturesOf(state);
  try {
    requireRecomputableFacts({ deposit: state.deposit });
    await verifyApprovals(state.deposit, signatures, deps.trusted);
    return { deposit: state.deposit, signatures };
  } catch (error) {
    if (!isLedgerError(error) || error.code === 'KEY_UNAVAILABLE') throw error;
    if (error.code === 'UNTRUSTED_KEY') return 'wait';
    // A code no deposit is failed with is not a verdict on this deposit: the message is retried.
    if (!isDepositFailureCode(error.code)) throw error;
    await deps.deposits.fail(
      failed(state, { code: error.code, message: error.message }),
      deps.clock.now(),
    );
    return null;
  }
}

async function appendGroup(
  group: ApprovedDeposit[],
  deps: AppendApprovedDeps,
  report: AppendReport,
): Promise<void> {
  const maxAttempts = deps.maxAttempts ?? 12;
  let pending = group;
  for (let attempt = 0; attempt < maxAttempts && pending.length > 0; attempt++) {
    const head = await deps.ledger.head();
    const now = deps.clock.now();
    const { records, head: next } = buildRecords(head, pending, now);
    const outcome = await deps.ledger.append(head, records, next, now);
    if (outcome.kind === 'appended') {
      report.appended.push(...records.map((r) => ({ depositId: r.deposit.depositId, seq: r.seq })));
      return;
    }
    if (outcome.kind === 'already-appended') {
      const taken = new Set(outcome.depositIds);
      report.settled.push(...outcome.depositIds);
      pending = pending.filter((a) => !taken.has(a.deposit.depositId));
      continue;
    }
    await (deps.backoff ?? defaultBackoff)(attempt);
  }
  if (pending.length > 0) {
    throw new LedgerError('APPEND_CONFLICT', `lost the chain head ${maxAttempts} times in a row`, {
      depositIds: pending.map((a) => a.deposit.depositId),
    });
  }
}

type Readiness =
  | { readonly kind: 'ready'; readonly approved: ApprovedDeposit }
  | { readonly kind: 'not-ready' | 'settled' };

async function readiness(state: DepositState | null, deps: AppendApprovedDeps): Promise<Readiness> {
  switch (state?.status) {
    case undefined:
    case 'PENDING_AGENCY_SIGNATURE':
    case 'PENDING_CUSTODIAN_SIGNATURE':
      return { kind: 'not-ready' };
    case 'APPENDED':
    case 'FAILED':
      return { kind: 'settled' };
    case 'PENDING_APPEND': {
      const approved = await approvedOrFailed(state, deps);
      if (approved === 'wait') return { kind: 'not-ready' };
      return approved ? { kind: 'ready', approved } : { kind: 'settled' };
    }
  }
}

/** One deposit's mailbox item; an item that does not parse is reported, not thrown for the batch. */
async function readState(
  depositId: string,
  deps: AppendApprovedDeps,
  report: AppendReport,
): Promise<DepositState | null | 'unreadable'> {
  try {
    return await deps.deposits.get(depositId);
  } catch (error) {
    if (!isLedgerError(error, 'STORAGE_ITEM_CORRUPT')) throw error;
    report.unreadable.push({ depositId, code: error.code });
    return 'unreadable';
  }
}

export async function appendApproved(
  depositIds: readonly string[],
  deps: AppendApprovedDeps,
): Promise<AppendReport> {
  const report: AppendReport = { appended: [], settled: [], notReady: [], unreadable: [] };
  const ids = [...new Set(depositIds)];
  // The reads and signature checks of a batch are independent: overlap their round trips.
  const states = await Promise.all(ids.map((depositId) => readState(depositId, deps, report)));
  const readinesses = await Promise.all(
    states.map((state) =>
      state === 'unreadable' ? Promise.resolve(null) : readiness(state, deps),
    ),
  );
  const ready: ApprovedDeposit[] = [];
  readinesses.forEach((r, i) => {
    if (r === null) return;
    if (r.kind === 'ready') ready.push(r.approved);
    else (r.kind === 'settled' ? report.settled : report.notReady).push(ids[i]!);
  });
  // Deterministic order within a batch: by upload time, then id.
  ready.sort((a, b) =>
    a.deposit.uploadedAt === b.deposit.uploadedAt
      ? a.deposit.depositId.localeCompare(b.deposit.depositId)
      : a.deposit.uploadedAt.localeCompare(b.deposit.uploadedAt),
  );
  for (let i = 0; i < ready.length; i += MAX_DEPOSITS_PER_APPEND) {
    await appendGroup(ready.slice(i, i + MAX_DEPOSITS_PER_APPEND), deps, report);
  }
  return report;
}

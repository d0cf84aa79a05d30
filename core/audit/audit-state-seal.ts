/**
 * Writing the auditor's sealed state (audit-state.ts) after a clean verification: sealed
 * with the auditor's key, written only if no concurrent auditor sealed a larger one.
 */
import { isLedgerError } from '../errors';
import type { Clock } from '../ports/clock';
import {
  openAuditState,
  sealAuditState,
  type AuditState,
  type AuditStateStore,
  type RefusedState,
  type SizedRoot,
  type StoredAuditState,
} from './audit-state';
import type { AuditTrust } from './audit-trust';
import type { PassedCheckpoint } from './ledger-walk';
import type { VouchedRoot } from './reconcile-parties';
import type { ContinuationSealer } from './sealed-continuation';

/** The state in force after a call, as the report shows it. */
export interface AuditStateOutcome {
  /** advanced: sealed anew; unchanged: nothing new; stale: a concurrent auditor sealed further. */
  readonly outcome: 'advanced' | 'unchanged' | 'stale';
  /** Records the state says were verified (the size this call sealed, or started from). */
  readonly treeSize: number;
  readonly checkpointSize: number | null;
  readonly verifiedAt: string;
  /** A full job that replaced a stored state it refused (AUDIT_STATE_FORGED). */
  readonly replacedForgedState?: true;
}

export interface AuditStateDeps {
  readonly state: AuditStateStore;
  readonly continuations: ContinuationSealer;
  readonly trust: Pick<AuditTrust, 'origin'>;
  readonly clock: Clock;
}

export function summaryOf(
  state: AuditState,
  outcome: AuditStateOutcome['outcome'],
): AuditStateOutcome {
  return {
    outcome,
    treeSize: state.treeSize,
    checkpointSize: state.checkpoint?.treeSize ?? null,
    verifiedAt: state.verifiedAt,
  };
}

/** What each party had co-signed, as the state keeps it. */
export function partiesSeen(vouched: readonly VouchedRoot[]): AuditState['parties'] {
  return Object.fromEntries(
    vouched.map((v): [string, SizedRoot] => [
      v.role,
      { treeSize: v.treeSize, rootHash: v.rootHash },
    ]),
  );
}

/** Seals `next` and writes it unless a larger state is stored; `replacing`: see AuditStateStore.save. */
export async function saveAuditState(
  deps: AuditStateDeps,
  next: AuditState,
  replacing: RefusedState | null,
): Promise<AuditStateOutcome> {
  const sealed = await sealAuditState(deps.continuations, deps.trust.origin, next);
  const saved = await deps.state.save(sealed, replacing);
  return summaryOf(next, saved === 'saved' ? 'advanced' : 'stale');
}

/** The stored state, if the auditor refuses it: the one the full job may overwrite. */
async function refusedState(deps: AuditStateDeps): Promise<RefusedState | null> {
  let stored: StoredAuditState | null;
  try {
    stored = await deps.state.load();
  } catch (error) {
    if (!isLedgerError(error, 'AUDIT_STATE_FORGED')) throw error;
    return { unreadable: true };
  }
  if (!stored) return null;
  try {
    await openAuditState(deps.continuations, deps.trust.origin, stored);
    return null;
  } catch (error) {
    if (!isLedgerError(error, 'AUDIT_STATE_FORGED')) throw error;
    return { mac: stored.mac };
  }
}

/**
 * After a clean whole-ledger job: the state at the last checkpoint it passed. A stored state
 * the auditor refuses, even an item not of its shape, is replaced whatever its size (the full
 * job is how a forged state is put right); a genuine one only ever by a larger one.
 */
export async function resealAfterFullJob(
  deps: AuditStateDeps,
  passed: PassedCheckpoint,
  vouched: readonly VouchedRoot[],
): Promise<AuditStateOutcome> {
  const replacing = await refusedState(deps);
  const { treeSize, rootHash, lastRecordHash, compactRange } = passed;
  const outcome = await saveAuditState(
    deps,
    {
      treeSize,
      rootHash,
      lastRecordHash,
      compactRange,
      checkpoint: { treeSize, rootHash },
      parties: partiesSeen(vouched),
      verifiedAt: deps.clock.now().toISOString(),
    },
    replacing,
  );
  return replacing === null ? outcome : { ...outcome, replacedForgedState: true };
}

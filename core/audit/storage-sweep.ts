/**
 * The audit's sweeps over whole stores, whose cost grows with the bucket rather than with
 * what is new: the evidence bucket's completeness (every object version recorded or failed,
 * reconcile-evidence.ts) and delete markers over any checkpoint's WORM copy. The full walk
 * always runs them; an incremental call only when asked (`reconcile: true`).
 */
import type { WormReader } from '../anchor/ports';
import { CHECKPOINT_PREFIX, treeSizeOfKey } from '../anchor/worm-keys';
import type { AuditFailure } from './audit-report';
import {
  reconcileEvidence,
  type EvidenceReconciliation,
  type ReconcileEvidenceDeps,
} from './reconcile-evidence';

/** Delete markers hiding WORM checkpoint copies: someone tried to take a checkpoint back. */
async function hiddenCheckpoints(worm: WormReader): Promise<AuditFailure[]> {
  return (await worm.deleteMarkers(CHECKPOINT_PREFIX)).map(
    (key) =>
      ({
        check: 'checkpoint-worm-copy',
        code: 'CHECKPOINT_HIDDEN',
        treeSize: treeSizeOfKey(key) ?? undefined,
        message: `a delete marker hides ${key}`,
      }) as AuditFailure,
  );
}

export interface SweepDeps {
  readonly worm: WormReader;
  readonly reconcile: Omit<ReconcileEvidenceDeps, 'ledger' | 'clock' | 'parties'>;
  readonly ledger: ReconcileEvidenceDeps['ledger'];
  readonly parties: ReconcileEvidenceDeps['parties'];
  readonly clock: ReconcileEvidenceDeps['clock'];
}

/** How the evidence bucket's object versions ended, as a report shows it. */
export type EvidenceSummary = Omit<EvidenceReconciliation, 'failures'>;

export async function sweepStorage(
  deps: SweepDeps,
): Promise<{ failures: AuditFailure[]; evidence: EvidenceSummary }> {
  const hidden = await hiddenCheckpoints(deps.worm);
  const evidence = await reconcileEvidence({
    ...deps.reconcile,
    ledger: deps.ledger,
    parties: deps.parties,
    clock: deps.clock,
  });
  const { failures, ...summary } = evidence;
  return { failures: [...hidden, ...failures], evidence: summary };
}

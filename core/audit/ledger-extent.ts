/**
 * How far the ledger reaches against what vouches for it, as both verifyLedger modes (the
 * full walk and the incremental one) check and report it: a ledger shorter than its latest
 * checkpoint had records removed after they were anchored.
 */
import type { AuditFailure } from './audit-report';
import type { VouchedRoot } from './reconcile-parties';

/** CHAIN_GAP when the latest checkpoint anchors more records than the ledger holds. */
export function shorterThanCheckpoint(ledgerSize: number, checkpointSize: number): AuditFailure[] {
  if (ledgerSize >= checkpointSize) return [];
  return [
    {
      check: 'ledger-root',
      code: 'CHAIN_GAP',
      treeSize: checkpointSize,
      message: `ledger holds ${ledgerSize} records, checkpoint ${checkpointSize} anchors more: records were removed`,
    },
  ];
}

/** The sizes every verifyLedger report carries. */
export function reportedExtent(
  ledgerSize: number,
  latestCheckpointSize: number | null,
  vouched: readonly VouchedRoot[],
): {
  readonly ledgerSize: number;
  readonly latestCheckpointSize: number | null;
  readonly partyCheckpointSizes: Readonly<Record<string, number>>;
} {
  return {
    ledgerSize,
    latestCheckpointSize,
    partyCheckpointSizes: Object.fromEntries(vouched.map((v) => [v.role, v.treeSize])),
  };
}

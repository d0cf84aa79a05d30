/**
 * What an incremental verification checks against the auditor's sealed state before it
 * walks the new records: that what it verified has not been cut back or replaced at its edge
 * (a record rewritten deeper in the verified prefix is the full job's to find).
 *
 * - The ledger is not shorter than the state (LEDGER_ROLLED_BACK), and the record at the
 *   state's size-1 still has the hash the state sealed (RECORD_MISSING, RECORD_CORRUPT or
 *   CHAIN_LINK_MISMATCH): the new records link to that hash, so a rewrite of it would
 *   otherwise go unseen.
 * - The checkpoint the state verified is still in the anchors table with the same root, and
 *   no checkpoint has appeared at a size the state had already passed (CHECKPOINT_INCONSISTENT):
 *   the state is sealed at most at the latest checkpoint listed, and the anchor publishes
 *   growing sizes, so an honest one can only appear beyond it.
 * - Each party's memory did not go back or fork since the state saw it (its co-signer only
 *   ever moves forward on a consistent tree).
 */
import type { AnchorState } from '../anchor/ports';
import type { LedgerReader } from '../ports/ledger';
import type { AuditFailure } from './audit-report';
import type { AuditState } from './audit-state';
import { isCorrupt, readLedgerPage } from './ledger-page';
import type { VouchedRoot } from './reconcile-parties';

/** The record at the state's size-1 is still the one the state sealed. */
export async function spotCheckLastRecord(
  ledger: Pick<LedgerReader, 'read'>,
  state: AuditState,
): Promise<AuditFailure[]> {
  const seq = state.treeSize - 1;
  if (seq < 0) return [];
  const [slot] = await readLedgerPage(ledger, seq, seq + 1);
  const failure = (code: AuditFailure['code'], message: string): AuditFailure[] => [
    { check: 'record', code, seq, message },
  ];
  if (slot === undefined)
    return failure('RECORD_MISSING', `record ${seq}, verified by the auditor, is gone`);
  if (isCorrupt(slot)) return failure('RECORD_CORRUPT', slot.reason);
  if (slot.recordHash !== state.lastRecordHash) {
    return failure(
      'CHAIN_LINK_MISMATCH',
      `record ${seq} now hashes to ${slot.recordHash}; the auditor verified ${state.lastRecordHash}`,
    );
  }
  return [];
}

/** `anchors` are the stored checkpoints from the state's checkpoint on, oldest first. */
export function checkpointFailures(
  state: AuditState,
  anchors: readonly AnchorState[],
): AuditFailure[] {
  const failures: AuditFailure[] = [];
  const sealed = state.checkpoint;
  const first = anchors[0];
  if (sealed && (first?.treeSize !== sealed.treeSize || first.rootHash !== sealed.rootHash)) {
    failures.push({
      check: 'checkpoint-consistency',
      code: 'CHECKPOINT_INCONSISTENT',
      treeSize: sealed.treeSize,
      message:
        first?.treeSize === sealed.treeSize
          ? `checkpoint ${sealed.treeSize} now has root ${first.rootHash}; the auditor verified ${sealed.rootHash}`
          : `checkpoint ${sealed.treeSize}, verified by the auditor, is gone from the anchors table`,
    });
  }
  for (const late of anchors.filter(
    (a) => a.treeSize > (sealed?.treeSize ?? 0) && a.treeSize <= state.treeSize,
  )) {
    failures.push({
      check: 'checkpoint-consistency',
      code: 'CHECKPOINT_INCONSISTENT',
      treeSize: late.treeSize,
      message: `checkpoint ${late.treeSize} appeared after the auditor verified the ledger past it`,
    });
  }
  return failures;
}

/** Each party's co-signed size never goes back, and at the same size its root is the same. */
export function partyMemoryFailures(
  state: AuditState,
  vouched: readonly VouchedRoot[],
  anchors: readonly AnchorState[],
): AuditFailure[] {
  const failures: AuditFailure[] = [];
  const fail = (code: AuditFailure['code'], treeSize: number, message: string) =>
    failures.push({ check: 'party-checkpoint', code, treeSize, message });
  for (const [role, seen] of Object.entries(state.parties)) {
    const now = vouched.find((v) => v.role === role);
    if (!now || now.treeSize < seen.treeSize) {
      fail(
        'CHECKPOINT_INCONSISTENT',
        seen.treeSize,
        `the ${role} had co-signed ${seen.treeSize} records; its memory now says ${now?.treeSize ?? 'nothing'}`,
      );
    } else if (now.treeSize === seen.treeSize && now.rootHash !== seen.rootHash) {
      fail(
        'ROOT_MISMATCH',
        now.treeSize,
        `the ${role} co-signed two roots of size ${now.treeSize}`,
      );
    }
  }
  // A size the walk will not reach again must be a checkpoint already verified, with its root.
  for (const v of vouched) {
    const seen = state.parties[v.role];
    if (v.treeSize > state.treeSize || v.treeSize === seen?.treeSize) continue;
    const anchor = anchors.find((a) => a.treeSize === v.treeSize);
    if (anchor?.rootHash !== v.rootHash) {
      fail(
        'CHECKPOINT_INCONSISTENT',
        v.treeSize,
        `the ${v.role} co-signed size ${v.treeSize}, which the auditor had verified past without it`,
      );
    }
  }
  return failures;
}

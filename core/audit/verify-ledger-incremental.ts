/**
 * The incremental verifyLedger: it starts where the auditor's last clean verification
 * stopped (its sealed state, audit-state.ts; refused with AUDIT_STATE_FORGED if the auditor
 * did not seal it; the empty tree if there is none) and reads only what came after:
 *
 * 1. the stored checkpoints from the state's own on, each party's memory and the head;
 *    nothing the state verified may have gone (audit-state-checks.ts), and the ledger may not
 *    be shorter than the state, the latest checkpoint or any party's co-signed tree;
 * 2. the new records, at most `maxRecords` of them: hash, link to the state's last record
 *    hash, seq, both signatures; the state's frontier extended by each, its root checked at
 *    every new checkpoint's size and each party's co-signed size;
 * 3. the new checkpoints up to where the state will be sealed: signatures, consistency with
 *    the state's checkpoint and with each other, WORM copies, timestamps.
 *
 * Only a walk without any finding moves the state, and never past the latest checkpoint
 * listed (so a checkpoint published later is always beyond it); records after that are
 * verified and reported, and verified again by the next call once a checkpoint covers them.
 * A long catch-up spreads over invocations: each seals its progress, the next resumes there.
 * The cost of a call is proportional to the new records and checkpoints, not to the ledger.
 */
import { canonicalJson } from '../canonical-json';
import { bytesToHex } from '../encoding';
import { compactRangeRoot, EMPTY_COMPACT_RANGE } from '../merkle/compact-range';
import { auditReport, type AuditFailure } from './audit-report';
import { genesisAuditState, openAuditState, type AuditState } from './audit-state';
import { checkpointFailures, partyMemoryFailures, spotCheckLastRecord } from './audit-state-checks';
import { partiesSeen, saveAuditState, summaryOf, type AuditStateOutcome } from './audit-state-seal';
import { DEFAULT_MAX_RECORDS, walkLedger, type Walk } from './ledger-walk';
import { partyVouchedRoots, rolledBackFailures } from './reconcile-parties';
import { reportedExtent, shorterThanCheckpoint } from './ledger-extent';
import { sweepStorage, type EvidenceSummary } from './storage-sweep';
import { verifyCheckpoints } from './verify-checkpoints';
import type { VerifyLedgerDeps, VerifyLedgerReport, VerifyLedgerRequest } from './verify-ledger';

async function sealedState(deps: VerifyLedgerDeps): Promise<AuditState> {
  const stored = await deps.state.load();
  if (stored) return openAuditState(deps.continuations, deps.trust.origin, stored);
  const emptyRoot = bytesToHex(compactRangeRoot(EMPTY_COMPACT_RANGE));
  return genesisAuditState(deps.clock.now().toISOString(), emptyRoot);
}

/** The state a clean walk leaves: its frontier at `walk.at`, the checkpoints verified up to it. */
function advancedState(
  deps: VerifyLedgerDeps,
  from: AuditState,
  walk: Walk,
  checkpoint: AuditState['checkpoint'],
  parties: AuditState['parties'],
): AuditState {
  const range = walk.at.compactRange ?? from.compactRange;
  return {
    treeSize: range.size,
    rootHash: bytesToHex(compactRangeRoot(range)),
    lastRecordHash: walk.at.lastHash ?? from.lastRecordHash,
    compactRange: range,
    checkpoint,
    parties,
    verifiedAt: deps.clock.now().toISOString(),
  };
}

function rollbackFailures(
  state: AuditState,
  ledgerSize: number,
  latestCheckpoint: number,
): AuditFailure[] {
  const failures: AuditFailure[] = [];
  if (ledgerSize < state.treeSize) {
    failures.push({
      check: 'ledger-root',
      code: 'LEDGER_ROLLED_BACK',
      treeSize: state.treeSize,
      message: `the auditor verified ${state.treeSize} records; the ledger holds ${ledgerSize}: records were removed`,
    });
  }
  return [...failures, ...shorterThanCheckpoint(ledgerSize, latestCheckpoint)];
}

export async function verifyLedgerIncrementally(
  deps: VerifyLedgerDeps,
  request: VerifyLedgerRequest,
): Promise<VerifyLedgerReport> {
  const state = await sealedState(deps);
  // Listed before the parties and the head: a checkpoint published after this list is
  // larger than every one in it, and the state is sealed no further than the latest here.
  const anchors = await deps.anchors.list(state.checkpoint?.treeSize ?? 0, Number.MAX_SAFE_INTEGER);
  const vouched = await partyVouchedRoots(deps.parties);
  const head = await deps.ledger.head();
  const latest = anchors.at(-1)?.treeSize ?? 0;
  const failures: AuditFailure[] = [
    ...rollbackFailures(state, head.nextSeq, latest),
    ...rolledBackFailures(vouched, head.nextSeq),
    ...checkpointFailures(state, anchors),
    ...partyMemoryFailures(state, vouched, anchors),
    ...(await spotCheckLastRecord(deps.ledger, state)),
  ];
  const end = Math.max(
    state.treeSize,
    Math.min(head.nextSeq, state.treeSize + (request.maxRecords ?? DEFAULT_MAX_RECORDS)),
  );
  const sealAt = Math.max(state.treeSize, Math.min(end, latest));
  const verified = state.checkpoint?.treeSize ?? 0;
  const newCheckpoints = anchors.filter((a) => a.treeSize > verified && a.treeSize <= sealAt);
  failures.push(
    ...(await verifyCheckpoints(newCheckpoints, deps.trust, deps.worm, deps.timestamps, {
      after: state.checkpoint,
      upTo: sealAt,
    })),
  );
  const expected = { checkpoints: new Map(anchors.map((a) => [a.treeSize, a])), vouched };
  const from = {
    nextSeq: state.treeSize,
    lastHash: state.lastRecordHash,
    compactRange: state.compactRange,
  };
  const sealed = await walkLedger(deps, from, sealAt, expected);
  const tail = await walkLedger(deps, sealed.at, end, expected);
  failures.push(...sealed.failures, ...tail.failures);
  let evidence: EvidenceSummary | null = null;
  if (request.reconcile) {
    const sweep = await sweepStorage(deps);
    failures.push(...sweep.failures);
    evidence = sweep.evidence;
  }
  const lastCheckpoint = newCheckpoints.at(-1);
  const next = advancedState(
    deps,
    state,
    sealed,
    lastCheckpoint
      ? { treeSize: lastCheckpoint.treeSize, rootHash: lastCheckpoint.rootHash }
      : state.checkpoint,
    partiesSeen(vouched),
  );
  let auditState: AuditStateOutcome = summaryOf(state, 'unchanged');
  const changed =
    canonicalJson({ ...next, verifiedAt: '' }) !== canonicalJson({ ...state, verifiedAt: '' });
  if (failures.length === 0 && changed) auditState = await saveAuditState(deps, next, null);
  return {
    ...auditReport(failures, tail.at.nextSeq >= head.nextSeq),
    mode: 'incremental',
    recordsChecked: sealed.checked + tail.checked,
    checkpointsChecked: newCheckpoints.length,
    cursor: null,
    ...reportedExtent(head.nextSeq, anchors.at(-1)?.treeSize ?? null, vouched),
    evidence,
    auditState,
  };
}

/**
 * verifyLedger. By default it is incremental (verify-ledger-incremental.ts): it starts where
 * the auditor's last clean verification stopped (its sealed state, audit-state.ts) and checks
 * only what came after, at a cost proportional to the new records.
 *
 * With `full: true` it is the full walk, a job resumable with a sealed cursor: every record
 * in sequence order (hash, link, sequence number, both signatures); when the walk starts at
 * seq 0 it also rebuilds the Merkle tree and checks that its root equals every stored
 * checkpoint's root at that size, and each party's last co-signed root at its size (the
 * parties' memory, which the operator cannot rewrite), and that the ledger is not shorter
 * than any of them. The checkpoints themselves (signatures, consistency, WORM copies and
 * delete markers, timestamps) and the evidence bucket's completeness are checked on the
 * first invocation. A walk that reaches its record budget returns a cursor to continue from.
 * A whole-ledger job that ends without any finding (re)seals the auditor's state at the last
 * checkpoint it passed, so the incremental calls continue from there.
 */
import type { AnchorReader, WormReader } from '../anchor/ports';
import type { LedgerReader } from '../ports/ledger';
import type { Clock } from '../ports/clock';
import { GENESIS_PREV_HASH } from '../types';
import { EMPTY_COMPACT_RANGE } from '../merkle/compact-range';
import { isCorrupt, readLedgerPage } from './ledger-page';
import { openCursor, sealCursor, type AuditCursor } from './audit-cursor';
import { auditReport, type AuditFailure, type AuditReport } from './audit-report';
import type { AuditStateStore } from './audit-state';
import type { AuditTrust } from './audit-trust';
import type { ContinuationSealer } from './sealed-continuation';
import { verifyCheckpoints, type TimestampVerifier } from './verify-checkpoints';
import type { ReconcileEvidenceDeps } from './reconcile-evidence';
import { partyVouchedRoots, rolledBackFailures } from './reconcile-parties';
import { reportedExtent, shorterThanCheckpoint } from './ledger-extent';
import type { PartyCheckpoints } from './reconcile-ports';
import { DEFAULT_MAX_RECORDS, walkLedger } from './ledger-walk';
import { sweepStorage, type EvidenceSummary } from './storage-sweep';
import { resealAfterFullJob, type AuditStateOutcome } from './audit-state-seal';
import { verifyLedgerIncrementally } from './verify-ledger-incremental';

export interface VerifyLedgerDeps {
  readonly ledger: LedgerReader;
  readonly anchors: AnchorReader;
  readonly worm: WormReader;
  readonly trust: AuditTrust;
  readonly timestamps: TimestampVerifier | null;
  /** The auditor's MAC key: seals the cursor the caller gets and the auditor's own state. */
  readonly continuations: ContinuationSealer;
  /** What each party last co-signed. */
  readonly parties: PartyCheckpoints;
  /** The evidence bucket and the ledger's markers, for completeness. */
  readonly reconcile: Omit<ReconcileEvidenceDeps, 'ledger' | 'clock' | 'parties'>;
  /** Where the auditor keeps its sealed "verified up to" state. */
  readonly state: AuditStateStore;
  readonly clock: Clock;
}

export interface VerifyLedgerRequest {
  /** The full walk from scratch, resumable with `cursor`; otherwise incremental from the sealed state. */
  readonly full?: boolean;
  /** Full walk only: the range [fromSeq, toSeq) to walk. */
  readonly fromSeq?: number;
  readonly toSeq?: number;
  /** Full walk only: a previous answer's cursor, for the same range: sealed, not forgeable. */
  readonly cursor?: string;
  /** Records this invocation may check before it stops (incremental: the state is the resume point). */
  readonly maxRecords?: number;
  /**
   * Incremental only: also reconcile the evidence bucket and list delete markers over every
   * checkpoint copy. Both read the whole bucket or prefix; the full walk always does them.
   */
  readonly reconcile?: boolean;
}

export interface VerifyLedgerReport extends AuditReport {
  readonly mode: 'full' | 'incremental';
  readonly recordsChecked: number;
  readonly checkpointsChecked: number;
  /** Full walk: where the next invocation continues; null when the walk is complete. */
  readonly cursor: string | null;
  readonly ledgerSize: number;
  readonly latestCheckpointSize: number | null;
  /** The largest tree each party co-signed (its own memory). */
  readonly partyCheckpointSizes: Readonly<Record<string, number>>;
  /** When reconciled: how the evidence bucket's object versions ended. */
  readonly evidence: EvidenceSummary | null;
  /** The auditor's sealed state after this call; null when a full job left it alone. */
  readonly auditState: AuditStateOutcome | null;
}

async function startCursor(
  deps: VerifyLedgerDeps,
  request: VerifyLedgerRequest,
  latestSize: number | null,
): Promise<AuditCursor> {
  if (request.cursor) return openCursor(deps.continuations, request, request.cursor);
  const fromSeq = request.fromSeq ?? 0;
  const [previous] = fromSeq > 0 ? await readLedgerPage(deps.ledger, fromSeq - 1, fromSeq) : [];
  return {
    nextSeq: fromSeq,
    lastHash:
      previous === undefined ? GENESIS_PREV_HASH : isCorrupt(previous) ? null : previous.recordHash,
    compactRange: fromSeq === 0 ? EMPTY_COMPACT_RANGE : null,
    toSeq: request.toSeq ?? null,
    clean: true,
    passUpTo: latestSize,
    passed: null,
  };
}

/** The full walk, one invocation of the job. */
async function verifyLedgerInFull(
  deps: VerifyLedgerDeps,
  request: VerifyLedgerRequest,
): Promise<VerifyLedgerReport> {
  const head = await deps.ledger.head();
  const anchors = await deps.anchors.list(0, Number.MAX_SAFE_INTEGER);
  const latest = anchors.at(-1) ?? null;
  let cursor = await startCursor(deps, request, latest?.treeSize ?? null);
  const vouched = await partyVouchedRoots(deps.parties);
  const failures: AuditFailure[] = [];
  let evidence: EvidenceSummary | null = null;
  if (!request.cursor) {
    failures.push(...(await verifyCheckpoints(anchors, deps.trust, deps.worm, deps.timestamps)));
    const sweep = await sweepStorage(deps);
    failures.push(...sweep.failures);
    evidence = sweep.evidence;
  }
  const end = Math.min(cursor.toSeq ?? head.nextSeq, head.nextSeq);
  const budget = request.maxRecords ?? DEFAULT_MAX_RECORDS;
  const walk = await walkLedger(deps, cursor, Math.min(end, cursor.nextSeq + budget), {
    checkpoints: new Map(anchors.map((a) => [a.treeSize, a])),
    vouched,
    passUpTo: cursor.passUpTo ?? 0,
  });
  failures.push(...walk.failures);
  cursor = {
    ...cursor,
    ...walk.at,
    passed: walk.passed ?? cursor.passed,
    clean: cursor.clean && failures.length === 0,
  };
  const complete = cursor.nextSeq >= end;
  if (complete && cursor.toSeq === null) {
    failures.push(...shorterThanCheckpoint(head.nextSeq, latest?.treeSize ?? 0));
    // Whatever the tables say, a party that co-signed more records than the ledger holds saw them.
    failures.push(...rolledBackFailures(vouched, head.nextSeq));
  }
  const wholeLedger = (request.fromSeq ?? 0) === 0 && cursor.toSeq === null;
  return {
    ...auditReport(failures, complete),
    mode: 'full',
    recordsChecked: walk.checked,
    checkpointsChecked: request.cursor ? 0 : anchors.length,
    cursor: complete ? null : await sealCursor(deps.continuations, request, cursor),
    ...reportedExtent(head.nextSeq, latest?.treeSize ?? null, vouched),
    evidence,
    auditState:
      complete && wholeLedger && cursor.clean && failures.length === 0 && cursor.passed
        ? await resealAfterFullJob(deps, cursor.passed, vouched)
        : null,
  };
}

export function verifyLedger(
  deps: VerifyLedgerDeps,
  request: VerifyLedgerRequest = {},
): Promise<VerifyLedgerReport> {
  return request.full
    ? verifyLedgerInFull(deps, request)
    : verifyLedgerIncrementally(deps, request);
}

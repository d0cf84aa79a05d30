/**
 * verifyLedger: walks the ledger in sequence order, checking every record's hash, link,
 * sequence number and both signatures; when the walk starts at seq 0 it also rebuilds the
 * Merkle tree and checks that its root equals every stored checkpoint's root at that size,
 * and each party's last co-signed root at its size (the parties' memory, which the operator
 * cannot rewrite), and that the ledger is not shorter than any of them. The checkpoints
 * themselves (signatures, consistency, WORM copies and delete markers, timestamps) and the
 * evidence bucket's completeness are checked on the first invocation. A walk that reaches
 * its record budget returns a cursor to continue from. A stored record that does not parse
 * is reported as RECORD_CORRUPT at its seq and the walk goes on: the next record's link to
 * it cannot be checked (CHAIN_LINK_MISMATCH), and roots are not rebuilt past it.
 */
import type { AnchorState, AnchorReader, WormReader } from '../anchor/ports';
import { bytesToHex } from '../encoding';
import { verifyLedgerRecords } from '../ledger-verification';
import { appendLeaves, compactRangeRoot, EMPTY_COMPACT_RANGE } from '../merkle/compact-range';
import { recordLeafHash } from '../merkle/hasher';
import type { LedgerReader } from '../ports/ledger';
import type { Clock } from '../ports/clock';
import { GENESIS_PREV_HASH, type LedgerRecord } from '../types';
import { isCorrupt, readLedgerPage } from './ledger-page';
import { openCursor, sealCursor, type AuditCursor } from './audit-cursor';
import { auditReport, type AuditFailure, type AuditReport } from './audit-report';
import type { AuditTrust } from './audit-trust';
import type { ContinuationSealer } from './sealed-continuation';
import { verifyCheckpoints, type TimestampVerifier } from './verify-checkpoints';
import {
  reconcileEvidence,
  type EvidenceReconciliation,
  type ReconcileEvidenceDeps,
} from './reconcile-evidence';
import { partyVouchedRoots, rolledBackFailures, type VouchedRoot } from './reconcile-parties';
import type { PartyCheckpoints } from './reconcile-ports';
import { CHECKPOINT_PREFIX, treeSizeOfKey } from '../anchor/worm-keys';

export interface VerifyLedgerDeps {
  readonly ledger: LedgerReader;
  readonly anchors: AnchorReader;
  readonly worm: WormReader;
  readonly trust: AuditTrust;
  readonly timestamps: TimestampVerifier | null;
  /** Seals the cursor the caller gets, and checks the one it passes back. */
  readonly continuations: ContinuationSealer;
  /** What each party last co-signed. */
  readonly parties: PartyCheckpoints;
  /** The evidence bucket and the ledger's markers, for completeness; omitted: not reconciled. */
  readonly reconcile: Omit<ReconcileEvidenceDeps, 'ledger' | 'clock' | 'parties'>;
  readonly clock: Clock;
}

export interface VerifyLedgerRequest {
  readonly fromSeq?: number;
  readonly toSeq?: number;
  /** A previous answer's cursor, for the same fromSeq and toSeq: sealed, not forgeable. */
  readonly cursor?: string;
  /** Records this invocation may check before returning a cursor. */
  readonly maxRecords?: number;
}

export interface VerifyLedgerReport extends AuditReport {
  readonly recordsChecked: number;
  readonly checkpointsChecked: number;
  /** Where the next invocation continues; null when the walk is complete. */
  readonly cursor: string | null;
  readonly ledgerSize: number;
  readonly latestCheckpointSize: number | null;
  /** The largest tree each party co-signed (its own memory). */
  readonly partyCheckpointSizes: Readonly<Record<string, number>>;
  /** On the first invocation: how the evidence bucket's object versions ended. */
  readonly evidence: Omit<EvidenceReconciliation, 'failures'> | null;
}

const PAGE = 500;

async function startCursor(
  deps: VerifyLedgerDeps,
  request: VerifyLedgerRequest,
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
  };
}

/** Roots the rebuilt tree must have at given sizes: the stored checkpoints' and the parties'. */
interface ExpectedRoots {
  readonly checkpoints: ReadonlyMap<number, AnchorState>;
  readonly vouched: readonly VouchedRoot[];
}

/** Compares the rebuilt root with the checkpoint and the parties' roots of the same size. */
function checkRootAt(range: AuditCursor['compactRange'], expected: ExpectedRoots): AuditFailure[] {
  if (!range) return [];
  const root = bytesToHex(compactRangeRoot(range));
  const failures: AuditFailure[] = [];
  const anchor = expected.checkpoints.get(range.size);
  if (anchor && root !== anchor.rootHash) {
    failures.push({
      check: 'checkpoint-root',
      code: 'ROOT_MISMATCH',
      treeSize: anchor.treeSize,
      message: `ledger root at size ${anchor.treeSize} is ${root}, checkpoint says ${anchor.rootHash}`,
    });
  }
  for (const v of expected.vouched.filter(
    (x) => x.treeSize === range.size && x.rootHash !== root,
  )) {
    failures.push({
      check: 'party-checkpoint',
      code: 'ROOT_MISMATCH',
      treeSize: v.treeSize,
      message: `ledger root at size ${v.treeSize} is ${root}, the ${v.role} co-signed ${v.rootHash}`,
    });
  }
  return failures;
}

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

/** Where a run of parsed records starts: the cursor's position, or just past a corrupt record. */
type WalkAt = Pick<AuditCursor, 'nextSeq' | 'lastHash' | 'compactRange'>;

/** Verifies consecutive parsed records from `at`, and the rebuilt roots along them. */
async function walkRun(
  deps: VerifyLedgerDeps,
  records: readonly LedgerRecord[],
  at: WalkAt,
  expected: ExpectedRoots,
) {
  const failures: AuditFailure[] = [];
  const first = records[0];
  if (!first) return { failures, at };
  let lastHash = at.lastHash;
  if (lastHash === null) {
    // The record before is corrupt: its hash is unknown, so this link cannot be checked.
    failures.push({
      check: 'record',
      code: 'CHAIN_LINK_MISMATCH',
      seq: first.seq,
      message: `links to seq ${at.nextSeq - 1}, which is corrupt`,
    });
    lastHash = first.prevHash;
  }
  const verification = await verifyLedgerRecords(records, deps.trust.parties, {
    start: { nextSeq: at.nextSeq, lastHash },
    allFailures: true,
  });
  failures.push(...verification.failures.map((f): AuditFailure => ({ check: 'record', ...f })));
  let range = at.compactRange;
  for (const record of records) {
    if (!range) break;
    range = appendLeaves(range, [recordLeafHash(record.recordHash)]);
    failures.push(...checkRootAt(range, expected));
  }
  return { failures, at: { ...verification.head, compactRange: range } };
}

async function walkPage(
  deps: VerifyLedgerDeps,
  cursor: AuditCursor,
  end: number,
  expected: ExpectedRoots,
) {
  const failures: AuditFailure[] = [];
  const slots = await readLedgerPage(deps.ledger, cursor.nextSeq, end);
  let at: WalkAt = cursor;
  let run: LedgerRecord[] = [];
  for (const slot of [...slots, null]) {
    if (slot !== null && !isCorrupt(slot)) {
      run.push(slot);
      continue;
    }
    const walked = await walkRun(deps, run, at, expected);
    failures.push(...walked.failures);
    at = walked.at;
    run = [];
    if (slot === null) break;
    failures.push({ check: 'record', code: 'RECORD_CORRUPT', seq: slot.seq, message: slot.reason });
    // The tree cannot be rebuilt without the record's hash: no roots are checked past it.
    at = { nextSeq: slot.seq + 1, lastHash: null, compactRange: null };
  }
  if (slots.length < end - cursor.nextSeq && !failures.some((f) => f.check === 'record')) {
    failures.push({
      check: 'record',
      code: 'CHAIN_GAP',
      seq: cursor.nextSeq + slots.length,
      message: `records missing before seq ${end}`,
    });
  }
  const next: AuditCursor = {
    ...cursor,
    nextSeq: end,
    lastHash: at.lastHash,
    compactRange: at.compactRange,
  };
  return { failures, next, checked: slots.length };
}

export async function verifyLedger(
  deps: VerifyLedgerDeps,
  request: VerifyLedgerRequest = {},
): Promise<VerifyLedgerReport> {
  let cursor = await startCursor(deps, request);
  const head = await deps.ledger.head();
  const anchors = await deps.anchors.list(0, Number.MAX_SAFE_INTEGER);
  const latest = anchors.at(-1) ?? null;
  const vouched = await partyVouchedRoots(deps.parties);
  const expected: ExpectedRoots = {
    checkpoints: new Map(anchors.map((a) => [a.treeSize, a])),
    vouched,
  };
  const failures: AuditFailure[] = [];
  let evidence: EvidenceReconciliation | null = null;
  if (!request.cursor) {
    failures.push(
      ...(await verifyCheckpoints(anchors, deps.trust, deps.worm, deps.timestamps)),
      ...(await hiddenCheckpoints(deps.worm)),
    );
    evidence = await reconcileEvidence({
      ...deps.reconcile,
      ledger: deps.ledger,
      parties: deps.parties,
      clock: deps.clock,
    });
    failures.push(...evidence.failures);
  }
  const end = Math.min(cursor.toSeq ?? head.nextSeq, head.nextSeq);
  const budget = request.maxRecords ?? 50_000;
  let checked = 0;
  while (cursor.nextSeq < end && checked < budget) {
    const page = await walkPage(
      deps,
      cursor,
      Math.min(end, cursor.nextSeq + PAGE, cursor.nextSeq + budget - checked),
      expected,
    );
    failures.push(...page.failures);
    cursor = page.next;
    checked += page.checked;
    if (page.checked === 0) break;
  }
  const complete = cursor.nextSeq >= end;
  if (complete && cursor.toSeq === null && latest && head.nextSeq < latest.treeSize) {
    failures.push({
      check: 'ledger-root',
      code: 'CHAIN_GAP',
      treeSize: latest.treeSize,
      message: `ledger holds ${head.nextSeq} records, checkpoint ${latest.treeSize} anchors more: records were removed`,
    });
  }
  // Whatever the tables say, a party that co-signed more records than the ledger holds saw them.
  if (complete && cursor.toSeq === null)
    failures.push(...rolledBackFailures(vouched, head.nextSeq));
  return {
    ...auditReport(failures, complete),
    recordsChecked: checked,
    checkpointsChecked: request.cursor ? 0 : anchors.length,
    cursor: complete ? null : await sealCursor(deps.continuations, request, cursor),
    ledgerSize: head.nextSeq,
    latestCheckpointSize: latest?.treeSize ?? null,
    partyCheckpointSizes: Object.fromEntries(vouched.map((v) => [v.role, v.treeSize])),
    evidence: evidence && {
      versions: evidence.versions,
      recorded: evidence.recorded,
      failed: evidence.failed,
      pending: evidence.pending,
    },
  };
}

/**
 * The auditor's walk over consecutive ledger records, shared by the full verification and
 * the incremental one: every record's hash, link, sequence number and both signatures; with
 * a Merkle frontier, the rebuilt root after each record against the checkpoints' and the
 * parties' roots of that size. A stored record that does not parse is reported as
 * RECORD_CORRUPT at its seq and the walk goes on: the next record's link to it cannot be
 * checked (CHAIN_LINK_MISMATCH), and roots are not rebuilt past it.
 */
import type { AnchorState } from '../anchor/ports';
import { bytesToHex } from '../encoding';
import { verifyLedgerRecords } from '../ledger-verification';
import { appendLeaves, compactRangeRoot, type CompactRange } from '../merkle/compact-range';
import { recordLeafHash } from '../merkle/hasher';
import type { LedgerReader } from '../ports/ledger';
import type { LedgerRecord } from '../types';
import type { AuditFailure } from './audit-report';
import type { AuditTrust } from './audit-trust';
import { isCorrupt, readLedgerPage } from './ledger-page';
import type { VouchedRoot } from './reconcile-parties';

/** Where a walk stands: the next seq, the hash it must link to (null: unknown), the frontier. */
export interface WalkAt {
  readonly nextSeq: number;
  readonly lastHash: string | null;
  /** Present when the walk started at a known frontier and so can recompute roots. */
  readonly compactRange: CompactRange | null;
}

/** Roots the rebuilt tree must have at given sizes: the stored checkpoints' and the parties'. */
export interface ExpectedRoots {
  readonly checkpoints: ReadonlyMap<number, AnchorState>;
  readonly vouched: readonly VouchedRoot[];
  /** Checkpoints up to this size count as passed (Walk.passed): the ones verified in full. */
  readonly passUpTo?: number;
}

/** The walk's position at a checkpoint whose root it rebuilt and matched. */
export interface PassedCheckpoint {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly lastRecordHash: string;
  readonly compactRange: CompactRange;
}

export interface Walk {
  readonly failures: AuditFailure[];
  readonly at: WalkAt;
  readonly checked: number;
  /** The largest checkpoint (up to passUpTo) the walk passed with a matching root. */
  readonly passed: PassedCheckpoint | null;
}

export interface WalkDeps {
  readonly ledger: Pick<LedgerReader, 'read'>;
  readonly trust: AuditTrust;
}

const PAGE = 500;

/** Records one invocation checks unless the request says fewer. */
export const DEFAULT_MAX_RECORDS = 50_000;

/** Compares the rebuilt root with the checkpoint and the parties' roots of the same size. */
function checkRootAt(root: string, size: number, expected: ExpectedRoots): AuditFailure[] {
  const failures: AuditFailure[] = [];
  const anchor = expected.checkpoints.get(size);
  if (anchor && root !== anchor.rootHash) {
    failures.push({
      check: 'checkpoint-root',
      code: 'ROOT_MISMATCH',
      treeSize: anchor.treeSize,
      message: `ledger root at size ${anchor.treeSize} is ${root}, checkpoint says ${anchor.rootHash}`,
    });
  }
  for (const v of expected.vouched.filter((x) => x.treeSize === size && x.rootHash !== root)) {
    failures.push({
      check: 'party-checkpoint',
      code: 'ROOT_MISMATCH',
      treeSize: v.treeSize,
      message: `ledger root at size ${v.treeSize} is ${root}, the ${v.role} co-signed ${v.rootHash}`,
    });
  }
  return failures;
}

/** Verifies consecutive parsed records from `at`, and the rebuilt roots along them. */
async function walkRun(
  deps: WalkDeps,
  records: readonly LedgerRecord[],
  at: WalkAt,
  expected: ExpectedRoots,
  passed: PassedCheckpoint | null,
) {
  const failures: AuditFailure[] = [];
  const first = records[0];
  if (!first) return { failures, at, passed };
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
    const { size } = range;
    const anchor = expected.checkpoints.get(size);
    // A root costs O(log n) hashes: computed only at the sizes something vouches for.
    if (!anchor && !expected.vouched.some((v) => v.treeSize === size)) continue;
    const root = bytesToHex(compactRangeRoot(range));
    const mismatches = checkRootAt(root, size, expected);
    failures.push(...mismatches);
    if (anchor && mismatches.length === 0 && size <= (expected.passUpTo ?? Infinity)) {
      passed = {
        treeSize: size,
        rootHash: root,
        lastRecordHash: record.recordHash,
        compactRange: range,
      };
    }
  }
  return { failures, at: { ...verification.head, compactRange: range }, passed };
}

/** Records [at.nextSeq, end) read in one page, corrupt items included, and verified. */
async function walkPage(deps: WalkDeps, start: WalkAt, end: number, expected: ExpectedRoots) {
  const failures: AuditFailure[] = [];
  const slots = await readLedgerPage(deps.ledger, start.nextSeq, end);
  let at: WalkAt = start;
  let passed: PassedCheckpoint | null = null;
  let run: LedgerRecord[] = [];
  for (const slot of [...slots, null]) {
    if (slot !== null && !isCorrupt(slot)) {
      run.push(slot);
      continue;
    }
    const walked = await walkRun(deps, run, at, expected, passed);
    failures.push(...walked.failures);
    ({ at, passed } = walked);
    run = [];
    if (slot === null) break;
    failures.push({ check: 'record', code: 'RECORD_CORRUPT', seq: slot.seq, message: slot.reason });
    // The tree cannot be rebuilt without the record's hash: no roots are checked past it.
    at = { nextSeq: slot.seq + 1, lastHash: null, compactRange: null };
  }
  if (slots.length < end - start.nextSeq && !failures.some((f) => f.check === 'record')) {
    failures.push({
      check: 'record',
      code: 'CHAIN_GAP',
      seq: start.nextSeq + slots.length,
      message: `records missing before seq ${end}`,
    });
  }
  const next: WalkAt = { nextSeq: end, lastHash: at.lastHash, compactRange: at.compactRange };
  return { failures, next, checked: slots.length, passed };
}

/** Walks records [from.nextSeq, end) page by page; stops early where the ledger ends. */
export async function walkLedger(
  deps: WalkDeps,
  from: WalkAt,
  end: number,
  expected: ExpectedRoots,
): Promise<Walk> {
  const failures: AuditFailure[] = [];
  let at = from;
  let checked = 0;
  let passed: PassedCheckpoint | null = null;
  while (at.nextSeq < end) {
    const page = await walkPage(deps, at, Math.min(end, at.nextSeq + PAGE), expected);
    failures.push(...page.failures);
    at = page.next;
    checked += page.checked;
    passed = page.passed ?? passed;
    if (page.checked === 0) break;
  }
  return { failures, at, checked, passed };
}

/**
 * Where a full ledger verification stopped, so the next invocation continues from there
 * instead of timing out: the next seq, the hash it must link to, (for a walk from seq 0) the
 * Merkle frontier so far, and what the job needs at its end to seal the auditor's state
 * (audit-state.ts): whether every invocation so far was clean, and the last checkpoint it
 * passed among those it verified in full. The cursor goes to the caller and comes back: it is sealed with
 * the auditor's MAC and bound to the range it walks (sealed-continuation.ts), since a forged
 * one (a later nextSeq, another lastHash or frontier) would make the auditor skip records.
 */
import { z } from 'zod';
import type { CompactRange } from '../merkle/compact-range';
import type { PassedCheckpoint } from './ledger-walk';
import {
  openContinuation,
  sealContinuation,
  type ContinuationBinding,
  type ContinuationSealer,
} from './sealed-continuation';

export interface AuditCursor {
  readonly nextSeq: number;
  /** The hash the record at nextSeq must link to; null when the record before is corrupt. */
  readonly lastHash: string | null;
  /** Present when the walk started at seq 0 and so can recompute roots. */
  readonly compactRange: CompactRange | null;
  /** Exclusive end of the range being verified; null means the ledger's head. */
  readonly toSeq: number | null;
  /** No invocation of this job has found anything so far. */
  readonly clean: boolean;
  /** The latest checkpoint when the job began: those up to it were verified in full. */
  readonly passUpTo: number | null;
  /** The last of those the walk passed with a matching root: where a clean job seals. */
  readonly passed: PassedCheckpoint | null;
}

/** The range a walk covers, as the caller asked for it; a cursor continues only that walk. */
export interface CursorRange {
  readonly fromSeq?: number | undefined;
  readonly toSeq?: number | undefined;
}

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const compactRange = z.strictObject({ size: count, hashes: z.array(hex64).max(64) });
const cursorSchema = z.strictObject({
  nextSeq: count,
  lastHash: hex64.nullable(),
  compactRange: compactRange.nullable(),
  toSeq: count.nullable(),
  clean: z.boolean(),
  passUpTo: count.nullable(),
  passed: z
    .strictObject({ treeSize: count, rootHash: hex64, lastRecordHash: hex64, compactRange })
    .nullable(),
});

function bindingOf(range: CursorRange): ContinuationBinding {
  return {
    action: 'verifyLedger',
    request: { fromSeq: range.fromSeq ?? 0, toSeq: range.toSeq ?? null },
  };
}

export function sealCursor(
  sealer: ContinuationSealer,
  range: CursorRange,
  cursor: AuditCursor,
): Promise<string> {
  return sealContinuation(sealer, bindingOf(range), cursor);
}

/** AUDIT_CONTINUATION_FORGED unless the auditor sealed `token` for this same range. */
export function openCursor(
  sealer: ContinuationSealer,
  range: CursorRange,
  token: string,
): Promise<AuditCursor> {
  return openContinuation(sealer, bindingOf(range), token, cursorSchema);
}

/**
 * Where a ledger verification stopped, so the next invocation continues from there instead
 * of timing out: the next seq, the hash it must link to, and (for a walk from seq 0) the
 * Merkle frontier so far. The cursor comes back from the caller: it is parsed, never trusted
 * to be well-formed (a caller who forges one only misleads their own audit).
 */
import { z } from 'zod';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../encoding';
import { canonicalJson } from '../canonical-json';
import type { CompactRange } from '../merkle/compact-range';
import { parseWith } from '../schemas';

export interface AuditCursor {
  readonly nextSeq: number;
  readonly lastHash: string;
  /** Present when the walk started at seq 0 and so can recompute roots. */
  readonly compactRange: CompactRange | null;
  /** Exclusive end of the range being verified; null means the ledger's head. */
  readonly toSeq: number | null;
}

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const cursorSchema = z.strictObject({
  nextSeq: count,
  lastHash: hex64,
  compactRange: z.strictObject({ size: count, hashes: z.array(hex64).max(64) }).nullable(),
  toSeq: count.nullable(),
});

export function encodeCursor(cursor: AuditCursor): string {
  return base64Encode(utf8Encode(canonicalJson(cursor)));
}

export function decodeCursor(text: string): AuditCursor {
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode(base64Decode(text)));
  } catch {
    json = null;
  }
  return parseWith(cursorSchema, json, 'audit cursor');
}

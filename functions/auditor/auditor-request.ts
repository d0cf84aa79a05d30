/**
 * The auditor's input: auditors invoke the function directly, so the payload is validated
 * with a schema and bounded before anything runs.
 */
import { z } from 'zod';
import { LedgerError } from '../../core/errors';

const seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const depositId = z.string().regex(/^[0-9a-f]{64}$/);
const objectVersion = z.strictObject({
  bucket: z.string().min(3).max(63),
  key: z.string().min(1).max(1024),
  versionId: z.string().min(1).max(1024),
});

export const auditorRequestSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('verifyLedger'),
    // The full walk from seq 0 (a resumable job); without it, incremental from the sealed state.
    full: z.boolean().optional(),
    // Full walk only: the range, and a previous answer's cursor for it (sealed by the auditor).
    fromSeq: seq.optional(),
    toSeq: seq.optional(),
    cursor: z
      .string()
      .max(16 * 1024)
      .optional(),
    maxRecords: z.number().int().min(1).max(1_000_000).optional(),
    // Incremental only: also sweep the evidence bucket and the checkpoint copies (the full walk always does).
    reconcile: z.boolean().optional(),
  }),
  z.strictObject({
    action: z.literal('verifyEvidence'),
    depositId: depositId.optional(),
    object: objectVersion.optional(),
    // From a previous answer's continueFrom, for objects too large for one invocation: sealed.
    continueFrom: z
      .string()
      .max(16 * 1024)
      .optional(),
  }),
  z.strictObject({ action: z.literal('proveInclusion'), seq, treeSize: seq.optional() }),
  z.strictObject({ action: z.literal('proveConsistency'), fromSize: seq, toSize: seq }),
  z.strictObject({
    action: z.literal('exportBundle'),
    depositIds: z.array(depositId).min(1).max(100),
  }),
]);

export type AuditorRequest = z.infer<typeof auditorRequestSchema>;

/** fromSeq, toSeq and cursor belong to the full walk; reconcile to the incremental call. */
function requireLedgerMode(request: Extract<AuditorRequest, { action: 'verifyLedger' }>): void {
  const fullOnly = (['fromSeq', 'toSeq', 'cursor'] as const).filter(
    (k) => request[k] !== undefined,
  );
  if (request.full !== true && fullOnly.length > 0) {
    throw new LedgerError(
      'INVALID_INPUT',
      `verifyLedger takes ${fullOnly.join(', ')} only with full: true (the incremental call resumes from the auditor's state)`,
    );
  }
  if (request.full === true && request.reconcile !== undefined) {
    throw new LedgerError(
      'INVALID_INPUT',
      'the full verifyLedger always reconciles: drop reconcile',
    );
  }
}

export function parseAuditorRequest(event: unknown): AuditorRequest {
  const parsed = auditorRequestSchema.safeParse(event);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new LedgerError(
      'INVALID_INPUT',
      `invalid auditor request${first ? ` at '${first.path.join('.')}': ${first.message}` : ''}`,
      {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      },
    );
  }
  if (parsed.data.action === 'verifyLedger') requireLedgerMode(parsed.data);
  if (
    parsed.data.action === 'verifyEvidence' &&
    (parsed.data.depositId === undefined) === (parsed.data.object === undefined)
  ) {
    throw new LedgerError(
      'INVALID_INPUT',
      'verifyEvidence takes either depositId or object {bucket, key, versionId}',
    );
  }
  return parsed.data;
}

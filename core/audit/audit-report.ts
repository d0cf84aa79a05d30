/**
 * What the auditor returns: a verdict and, on failure, which check failed, at which record
 * or checkpoint, with which error code. The first failure comes first; all are listed.
 */
import type { LedgerErrorCode } from '../errors';

export type AuditCheck =
  | 'record'
  | 'checkpoint-signature'
  | 'checkpoint-consistency'
  | 'checkpoint-worm-copy'
  | 'checkpoint-timestamp'
  | 'checkpoint-root'
  | 'ledger-root'
  | 'party-checkpoint'
  | 'evidence-object'
  | 'evidence-record'
  | 'inclusion';

export interface AuditFailure {
  readonly check: AuditCheck;
  readonly code: LedgerErrorCode;
  readonly message: string;
  readonly seq?: number;
  readonly treeSize?: number;
}

export type AuditVerdict = 'valid' | 'invalid' | 'incomplete';

export interface AuditReport {
  readonly verdict: AuditVerdict;
  readonly failures: readonly AuditFailure[];
  readonly firstFailure: AuditFailure | null;
}

export function auditReport(failures: readonly AuditFailure[], complete = true): AuditReport {
  const sorted = [...failures];
  return {
    verdict: sorted.length > 0 ? 'invalid' : complete ? 'valid' : 'incomplete',
    failures: sorted,
    firstFailure: sorted[0] ?? null,
  };
}

/**
 * verifyEvidence: for one object version, re-hash the stored object and compare it with its
 * record; check the record's hash and both signatures; and prove its inclusion in the latest
 * co-signed checkpoint. An object too large for one invocation is re-hashed across several:
 * the hashing state goes to the caller sealed and bound to the deposit (sealed-continuation.ts),
 * since a forged state of other bytes would make the re-hash agree with any record.
 */
import { depositIdFor } from '../deposit-id';
import { isDependencyError, isLedgerError, LedgerError } from '../errors';
import { verifyLedgerRecords } from '../ledger-verification';
import type { AnchorReader } from '../anchor/ports';
import {
  UNLIMITED_BUDGET,
  type EvidenceObjects,
  type HashCheckpoint,
  type ObjectVersionRef,
  type WorkBudget,
} from '../ports/evidence-objects';
import { statusText } from '../pipeline/deposit-state';
import type { DepositReader } from '../ports/deposits';
import type { LedgerReader } from '../ports/ledger';
import type { TileLog } from '../ports/tile-log';
import { bytesToHex } from '../encoding';
import { recordLeafHash } from '../merkle/hasher';
import { hashCheckpointSchema } from '../schemas';
import type { LedgerRecord } from '../types';
import { auditReport, type AuditFailure, type AuditReport } from './audit-report';
import type { AuditTrust } from './audit-trust';
import { proveInclusion, type InclusionProofResult } from './proofs';
import { readRecord } from './ledger-leaves';
import {
  openContinuation,
  sealContinuation,
  type ContinuationBinding,
  type ContinuationSealer,
} from './sealed-continuation';

export interface VerifyEvidenceDeps {
  /** The one record checked is read from here; the whole ledger only as ledger-fallback.ts says. */
  readonly ledger: LedgerReader;
  /** The tiled log the inclusion proof is computed from. */
  readonly log: TileLog;
  readonly deposits: DepositReader;
  readonly anchors: AnchorReader;
  readonly objects: EvidenceObjects;
  readonly trust: AuditTrust;
  /** Seals the hashing state the caller gets, and checks the one it passes back. */
  readonly continuations: ContinuationSealer;
}

export type EvidenceRef = { readonly depositId: string } | ObjectVersionRef;

export interface VerifyEvidenceReport extends AuditReport {
  readonly depositId: string;
  readonly record: LedgerRecord | null;
  readonly inclusion: InclusionProofResult | null;
  /** Set when the object was too large to re-hash in one invocation: pass it back to continue. */
  readonly continueFrom: string | null;
}

export interface VerifyEvidenceOptions {
  /** A previous answer's continueFrom for the same deposit: sealed, not forgeable. */
  readonly continueFrom?: string | null;
  readonly budget?: WorkBudget;
}

/** Re-hashes the recorded version; a huge object may need several invocations. */
async function objectCheck(
  record: LedgerRecord,
  objects: EvidenceObjects,
  options: { readonly resumeFrom: HashCheckpoint | null; readonly budget?: WorkBudget | undefined },
): Promise<{ failures: AuditFailure[]; continueFrom: HashCheckpoint | null }> {
  const seq = record.seq;
  const fail = (code: AuditFailure['code'], message: string) => ({
    failures: [{ check: 'evidence-object' as const, code, seq, message }],
    continueFrom: null,
  });
  let step;
  try {
    step = await objects.digest({
      ref: record.deposit,
      size: record.deposit.size,
      resumeFrom: options.resumeFrom,
      budget: options.budget ?? UNLIMITED_BUDGET,
    });
  } catch (error) {
    // A throttled or failed dependency is no finding about the object: the audit is asked again.
    if (isLedgerError(error) && !isDependencyError(error)) return fail(error.code, error.message);
    throw error;
  }
  if (!step) return fail('OBJECT_NOT_FOUND', 'the recorded object version is gone');
  if (step.kind === 'partial') return { failures: [], continueFrom: step.checkpoint };
  const { digest } = step;
  if (digest.sha256 === record.deposit.sha256 && digest.size === record.deposit.size)
    return { failures: [], continueFrom: null };
  return fail(
    'DIGEST_MISMATCH',
    `object hashes to ${digest.sha256} (${digest.size} B), record says ${record.deposit.sha256} (${record.deposit.size} B)`,
  );
}

/** `anchored` is false while no checkpoint covers the record yet: the verdict is then 'incomplete'. */
async function inclusionOf(
  record: LedgerRecord,
  deps: VerifyEvidenceDeps,
): Promise<{ proof: InclusionProofResult | null; failures: AuditFailure[]; anchored: boolean }> {
  const latest = await deps.anchors.latest();
  if (!latest || record.seq >= latest.treeSize)
    return { proof: null, failures: [], anchored: false };
  try {
    // proveInclusion checks the note's signatures and that it names the stored size and root.
    const proof = await proveInclusion(deps, { seq: record.seq, treeSize: latest.treeSize });
    // The proof is of the leaf the tree holds at this seq; the ledger's record must be it.
    if (proof.leafHash !== bytesToHex(recordLeafHash(record.recordHash))) {
      throw new LedgerError(
        'ROOT_MISMATCH',
        `record ${record.seq} is not the leaf checkpoint ${latest.treeSize} holds at its seq`,
        { seq: record.seq },
      );
    }
    return { proof, failures: [], anchored: true };
  } catch (error) {
    if (!isLedgerError(error) || isDependencyError(error)) throw error;
    return {
      proof: null,
      failures: [{ check: 'inclusion', code: error.code, seq: record.seq, message: error.message }],
      anchored: true,
    };
  }
}

export async function verifyEvidence(
  deps: VerifyEvidenceDeps,
  ref: EvidenceRef,
  options: VerifyEvidenceOptions = {},
): Promise<VerifyEvidenceReport> {
  const depositId = 'depositId' in ref ? ref.depositId : depositIdFor(ref);
  const binding: ContinuationBinding = { action: 'verifyEvidence', request: { depositId } };
  // Refused before any work: AUDIT_CONTINUATION_FORGED unless sealed by us for this deposit.
  const resumeFrom = options.continueFrom
    ? await openContinuation(
        deps.continuations,
        binding,
        options.continueFrom,
        hashCheckpointSchema,
      )
    : null;
  const state = await deps.deposits.get(depositId);
  const none = (failure: AuditFailure): VerifyEvidenceReport => ({
    ...auditReport([failure]),
    depositId,
    record: null,
    inclusion: null,
    continueFrom: null,
  });
  if (state?.status !== 'APPENDED') {
    return none({
      check: 'evidence-record',
      code: 'DEPOSIT_NOT_READY',
      message: state ? `deposit is ${statusText(state)}` : 'no deposit for this object version',
    });
  }
  let record: LedgerRecord;
  try {
    record = await readRecord(deps.ledger, state.seq);
  } catch (error) {
    if (!isLedgerError(error) || isDependencyError(error)) throw error;
    return none({
      check: 'evidence-record',
      code: error.code,
      seq: state.seq,
      message: error.message,
    });
  }
  const failures: AuditFailure[] = [];
  if (record.deposit.depositId !== depositId) {
    failures.push({
      check: 'evidence-record',
      code: 'RECORD_MISSING',
      seq: record.seq,
      message: `record ${record.seq} is for another deposit`,
    });
  }
  const check = await verifyLedgerRecords([record], deps.trust.parties, {
    start: { nextSeq: record.seq, lastHash: record.prevHash },
    allFailures: true,
  });
  failures.push(...check.failures.map((f): AuditFailure => ({ check: 'evidence-record', ...f })));
  const object = await objectCheck(record, deps.objects, { resumeFrom, budget: options.budget });
  failures.push(...object.failures);
  const inclusion = await inclusionOf(record, deps);
  failures.push(...inclusion.failures);
  const complete = inclusion.anchored && object.continueFrom === null;
  const continueFrom = object.continueFrom
    ? await sealContinuation(deps.continuations, binding, object.continueFrom)
    : null;
  return {
    ...auditReport(failures, complete),
    depositId,
    record,
    inclusion: inclusion.proof,
    continueFrom,
  };
}

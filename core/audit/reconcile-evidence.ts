/**
 * Completeness: every object version in the evidence bucket must end as exactly one ledger
 * record, or as a FAILED deposit that says why. Object Lock keeps every version, so an
 * administrator who removes a record (and its deposit) from DynamoDB leaves an object version
 * without one: EVIDENCE_NOT_RECORDED. A record that the ledger's marker or the deposit names,
 * but which is missing or is another deposit's (a seq reused after a rollback), is
 * RECORD_MISSING. Deposits still in the pipeline are counted as pending, not failed, and so
 * is a version younger than RECONCILE_GRACE_MS with nothing yet: its S3 event may still be
 * on its way through retries (a removal is then reported once the grace has passed), unless
 * a party remembers signing it: then the operator's tables forgot a deposit the parties
 * approved, and that is reported at once. So is a deposit both parties approved that the
 * mailbox says FAILED (or, past the grace, still pending).
 */
import { depositIdFor } from '../deposit-id';
import { statusText } from '../pipeline/deposit-state';
import type { DepositReader } from '../ports/deposits';
import type { LedgerReader } from '../ports/ledger';
import type { AuditFailure } from './audit-report';
import type { Clock } from '../ports/clock';
import { PARTY_ROLES } from '../types';
import type {
  DepositMarkers,
  EvidenceVersion,
  EvidenceVersions,
  PartyCheckpoints,
} from './reconcile-ports';
import { isCorrupt, readLedgerPage } from './ledger-page';

/** How long a new object version may have neither a deposit nor a record: the intake's retries. */
export const RECONCILE_GRACE_MS = 6 * 3600 * 1000;

export interface ReconcileEvidenceDeps {
  readonly evidence: EvidenceVersions;
  readonly markers: DepositMarkers;
  readonly deposits: DepositReader;
  readonly ledger: Pick<LedgerReader, 'read'>;
  readonly parties: PartyCheckpoints;
  readonly clock: Clock;
}

export interface EvidenceReconciliation {
  readonly failures: AuditFailure[];
  readonly versions: number;
  readonly recorded: number;
  readonly failed: number;
  readonly pending: number;
}

type Outcome = 'recorded' | 'failed' | 'pending' | AuditFailure;

/** The record at `seq` must be `depositId`'s. */
async function recordAt(
  seq: number,
  depositId: string,
  deps: ReconcileEvidenceDeps,
): Promise<Outcome> {
  const [record] = await readLedgerPage(deps.ledger, seq, seq + 1);
  if (record && isCorrupt(record)) {
    return {
      check: 'evidence-record',
      code: 'RECORD_CORRUPT',
      seq,
      message: `the record of deposit ${depositId} at seq ${seq} does not parse`,
    };
  }
  if (record?.deposit.depositId === depositId) return 'recorded';
  return {
    check: 'evidence-record',
    code: 'RECORD_MISSING',
    seq,
    message: record
      ? `seq ${seq} holds deposit ${record.deposit.depositId}, not ${depositId}: a seq was reused`
      : `the record of deposit ${depositId} at seq ${seq} is gone`,
  };
}

async function outcomeOf(version: EvidenceVersion, deps: ReconcileEvidenceDeps): Promise<Outcome> {
  const depositId = depositIdFor(version);
  const marker = await deps.markers.find(depositId);
  if (marker) return recordAt(marker.recordSeq, depositId, deps);
  const state = await deps.deposits.get(depositId);
  if (state?.status === 'APPENDED') return recordAt(state.seq, depositId, deps);
  const young = deps.clock.now().getTime() - Date.parse(version.lastModified) < RECONCILE_GRACE_MS;
  if (state) {
    // Any mailbox writer can mark a deposit FAILED or leave it pending; one both parties
    // approved has no reason to end so (the appender only fails what does not verify).
    const settledOrStale = state.status === 'FAILED' || !young;
    if (settledOrStale && (await signedBy(depositId, deps.parties)).every(Boolean)) {
      return {
        check: 'evidence-record',
        code: 'EVIDENCE_NOT_RECORDED',
        message: `both parties approved ${version.key} (${version.versionId}), but its deposit is ${statusText(state)}`,
      };
    }
    return state.status === 'FAILED' ? 'failed' : 'pending';
  }
  if (young && !(await signedBy(depositId, deps.parties)).some(Boolean)) return 'pending';
  return {
    check: 'evidence-record',
    code: 'EVIDENCE_NOT_RECORDED',
    message: `object version ${version.key} (${version.versionId}) of ${version.lastModified} has no record and no failed deposit`,
  };
}

/** Whether each party (PARTY_ROLES order) remembers signing `depositId`. */
function signedBy(depositId: string, parties: PartyCheckpoints): Promise<boolean[]> {
  return Promise.all(PARTY_ROLES.map((role) => parties.signed(role, depositId)));
}

export async function reconcileEvidence(
  deps: ReconcileEvidenceDeps,
): Promise<EvidenceReconciliation> {
  const result = {
    failures: [] as AuditFailure[],
    versions: 0,
    recorded: 0,
    failed: 0,
    pending: 0,
  };
  for await (const version of deps.evidence.list()) {
    result.versions += 1;
    const outcome = await outcomeOf(version, deps);
    if (typeof outcome === 'object') result.failures.push(outcome);
    else result[outcome] += 1;
  }
  return result;
}

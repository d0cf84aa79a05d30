/**
 * The auditor function: read-only checks and proofs for auditors, answered as structured
 * JSON with a verdict and, on failure, the check, record or checkpoint, and error code.
 */
import { auditTrust, type AuditTrust } from '../../core/audit/audit-trust';
import { exportBundle } from '../../core/audit/export-bundle';
import { proveConsistency, proveInclusion } from '../../core/audit/proofs';
import type { TimestampVerifier } from '../../core/audit/verify-checkpoints';
import type { ContinuationSealer } from '../../core/audit/sealed-continuation';
import type { AuditStateStore } from '../../core/audit/audit-state';
import { verifyEvidence } from '../../core/audit/verify-evidence';
import { verifyLedger } from '../../core/audit/verify-ledger';
import { verifyTimestampToken } from '../../core/bundle/timestamp-token';
import { certificateDer } from '../../core/bundle/trusted-keys';
import { isLedgerError } from '../../core/errors';
import { systemClock, type Clock } from '../../core/ports/clock';
import {
  UNLIMITED_BUDGET,
  type EvidenceObjects,
  type WorkBudget,
} from '../../core/ports/evidence-objects';
import type { Context } from 'aws-lambda';
import { AUDITOR_FUNCTION, type AuditorEnvName } from '../../definitions/auditor';
import type { AwsClients } from '../shared/aws-clients';
import { DynamoAnchorStore } from '../shared/dynamo-anchor-store';
import type {
  DepositMarkers,
  EvidenceVersions,
  PartyCheckpoints,
} from '../../core/audit/reconcile-ports';
import type { AnchorReader, WormReader } from '../../core/anchor/ports';
import type { DepositReader } from '../../core/ports/deposits';
import type { LedgerReader } from '../../core/ports/ledger';
import type { TileLog } from '../../core/ports/tile-log';
import { DynamoCosignerStore } from '../shared/dynamo-cosigner-store';
import { DynamoDepositStore } from '../shared/dynamo-deposit-store';
import { DynamoPartyStore } from '../shared/dynamo-party-store';
import { DynamoAuditStateStore } from '../shared/dynamo-audit-state-store';
import { S3EvidenceVersions } from '../shared/s3-evidence-versions';
import { DynamoLedgerReader } from '../shared/dynamo-ledger-store';
import { KmsContinuationSealer } from '../shared/kms-continuation-sealer';
import { KmsKeyResolver } from '../shared/kms-key-resolver';
import { decodeVariable, requireVariables } from '../shared/function-environment';
import {
  functionObservability,
  observedInvocation,
  type Observability,
} from '../shared/observability';
import { nodeSha256 } from '../shared/node-sha256';
import { nodeSignatureVerifier } from '../shared/node-signature-verifier';
import { S3EvidenceObjects } from '../shared/s3-evidence-objects';
import { S3WormReader } from '../shared/s3-worm-store';
import { S3TileLogReader } from '../shared/s3-tile-log';
import { parseAuditorRequest, type AuditorRequest } from './auditor-request';
import { ENV } from '../../definitions/environment';

/** Read-only ports but its own state's store: the auditor can change nothing it checks. */
export interface AuditorDeps {
  readonly ledger: LedgerReader;
  /** The tiled log in the anchor bucket: every proof and export reads its tiles. */
  readonly log: TileLog;
  readonly deposits: DepositReader;
  readonly anchors: AnchorReader;
  readonly worm: WormReader;
  readonly objects: EvidenceObjects;
  readonly trust: AuditTrust;
  readonly timestamps: TimestampVerifier | null;
  readonly continuations: ContinuationSealer;
  /** Its own sealed "verified up to" state: the one thing it writes. */
  readonly state: AuditStateStore;
  readonly parties: PartyCheckpoints;
  readonly reconcile: {
    readonly evidence: EvidenceVersions;
    readonly markers: DepositMarkers;
    readonly deposits: DepositReader;
  };
  readonly clock: Clock;
}

function timestampVerifier(pem: string): TimestampVerifier | null {
  if (!pem) return null;
  const tsas = [
    { name: 'tsa', certificateDer: decodeVariable(ENV.tsaCertificate, pem, certificateDer) },
  ];
  return { verify: async (token, data) => void (await verifyTimestampToken(token, data, tsas)) };
}

export async function auditorDeps(
  environment: Readonly<Record<string, string | undefined>>,
  clients: AwsClients,
): Promise<AuditorDeps> {
  const env = requireVariables<AuditorEnvName>(
    AUDITOR_FUNCTION.id,
    environment,
    AUDITOR_FUNCTION.requiredEnv,
    AUDITOR_FUNCTION.optionalEnv,
  );
  const keyIds = { agency: env[ENV.agencyKeyId], custodian: env[ENV.custodianKeyId] };
  const ledger = new DynamoLedgerReader(clients.documents, env[ENV.ledgerTable]);
  const deposits = new DynamoDepositStore(clients.documents, env[ENV.depositsTable]);
  const tables = { agency: env[ENV.agencyPartyTable], custodian: env[ENV.custodianPartyTable] };
  const cosigned = {
    agency: new DynamoCosignerStore(clients.documents, tables.agency),
    custodian: new DynamoCosignerStore(clients.documents, tables.custodian),
  };
  const attested = {
    agency: new DynamoPartyStore(clients.documents, tables.agency),
    custodian: new DynamoPartyStore(clients.documents, tables.custodian),
  };
  return {
    ledger,
    deposits,
    parties: {
      load: (role) => cosigned[role].load(),
      signed: async (role, depositId) => (await attested[role].get(depositId))?.signature != null,
    },
    reconcile: {
      evidence: new S3EvidenceVersions(clients.s3, env[ENV.evidenceBucket]),
      markers: ledger,
      deposits,
    },
    anchors: new DynamoAnchorStore(clients.documents, env[ENV.anchorsTable]),
    worm: new S3WormReader(clients.s3, env[ENV.anchorBucket]),
    log: new S3TileLogReader(clients.s3, env[ENV.anchorBucket]),
    objects: new S3EvidenceObjects(clients.s3),
    trust: await auditTrust(env[ENV.origin], {
      keyIds,
      keys: new KmsKeyResolver(clients.kms),
      verifier: nodeSignatureVerifier,
      sha256: nodeSha256,
    }),
    timestamps: timestampVerifier(env[ENV.tsaCertificate]),
    continuations: new KmsContinuationSealer(clients.kms, env[ENV.continuationKeyId]),
    state: new DynamoAuditStateStore(clients.documents, env[ENV.auditStateTable]),
    clock: systemClock,
  };
}

/** Drops keys whose value is undefined (exactOptionalPropertyTypes keeps the two apart). */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

async function dispatch(
  request: AuditorRequest,
  deps: AuditorDeps,
  budget: WorkBudget,
): Promise<Record<string, unknown>> {
  switch (request.action) {
    case 'verifyLedger':
      return { ...(await verifyLedger(deps, defined(request))) };
    case 'verifyEvidence':
      return {
        ...(await verifyEvidence(deps, request.object ?? { depositId: request.depositId ?? '' }, {
          continueFrom: request.continueFrom ?? null,
          budget,
        })),
      };
    case 'proveInclusion':
      return { verdict: 'valid', ...(await proveInclusion(deps, defined(request))) };
    case 'proveConsistency':
      return { verdict: 'valid', ...(await proveConsistency(deps, request)) };
    case 'exportBundle':
      return {
        verdict: 'valid',
        bundle: await exportBundle(deps, {
          depositIds: request.depositIds,
          exportedAt: deps.clock.now(),
        }),
      };
  }
}

/** Lambda's context; a caller outside Lambda may give only the time left. */
type AuditorContext = Context | Pick<Context, 'getRemainingTimeInMillis'>;

/** Domain errors become a structured answer; anything else is a real failure and throws. */
export function auditorHandler(
  deps: () => Promise<AuditorDeps>,
  observability: Observability = functionObservability('auditor'),
): (event: unknown, context?: AuditorContext) => Promise<Record<string, unknown>> {
  const { logger } = observability;
  return observedInvocation(
    observability,
    async (event: unknown, context: AuditorContext | undefined) => {
      // Stop re-hashing 15 s before Lambda's deadline and answer with where to continue.
      const budget: WorkBudget = context
        ? { remainingMs: () => context.getRemainingTimeInMillis() - 15_000 }
        : UNLIMITED_BUDGET;
      try {
        const request = parseAuditorRequest(event);
        const response: Record<string, unknown> = {
          action: request.action,
          ...(await dispatch(request, await deps(), budget)),
        };
        logger.info('audit', { action: request.action, verdict: String(response.verdict) });
        return response;
      } catch (error) {
        if (!isLedgerError(error)) throw error;
        return {
          verdict: 'error',
          error: { code: error.code, message: error.message, details: error.details },
        };
      }
    },
  );
}

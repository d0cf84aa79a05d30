/**
 * The anchor function: on its schedule (EventBridge) or on demand (`aws lambda invoke`),
 * commits the new ledger records to the Merkle tree and publishes a checkpoint co-signed
 * by both parties, stored in DynamoDB and as a WORM copy in the anchor bucket, with the
 * tiled log it commits to under `log/` in the same bucket.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import {
  createAnchor,
  type AnchorOutcome,
  type CreateAnchorDeps,
} from '../../core/anchor/create-anchor';
import type { TimestampAuthority } from '../../core/anchor/ports';
import { certificateDer } from '../../core/bundle/trusted-keys';
import { LedgerError } from '../../core/errors';
import { systemClock } from '../../core/ports/clock';
import { PARTY_ROLES, type PartyRole } from '../../core/types';
import { partyNoteKeyName } from '../../core/checkpoint/note-key';
import { ANCHOR_FUNCTION, type AnchorEnvName } from '../../definitions/anchor';
import type { AwsClients } from '../shared/aws-clients';
import { DynamoAnchorStore } from '../shared/dynamo-anchor-store';
import { DynamoLedgerReader } from '../shared/dynamo-ledger-store';
import { KmsKeyResolver } from '../shared/kms-key-resolver';
import { invokedCosigner, lambdaInvoke, type CosignerInvoke } from '../shared/invoked-cosigner';
import { decodeVariable, requireVariables } from '../shared/function-environment';
import type { FunctionMetrics } from '../shared/metrics';
import {
  functionObservability,
  observedInvocation,
  type Observability,
} from '../shared/observability';
import { HttpTimestampAuthority } from '../shared/rfc3161-client';
import { S3TileLogWriter } from '../shared/s3-tile-log';
import { S3WormStore } from '../shared/s3-worm-store';
import { MAX_RECORDS_PER_PROPOSAL } from '../../core/witness/cosign-request';
import { ENV } from '../../definitions/environment';
import { METRIC } from '../../definitions/observability';

type AnchorEnvironment = Readonly<Record<string, string | undefined>>;

/** The TSA, if one is configured; its certificate is pinned, so a URL without one is refused. */
function timestampAuthority(url: string, certificatePem: string): TimestampAuthority | null {
  if (!url) return null;
  if (!certificatePem) {
    throw new LedgerError(
      'CONFIG_MISSING',
      `${ENV.tsaUrl} needs ${ENV.tsaCertificate}: only tokens that verify with it are stored`,
      { name: ENV.tsaCertificate },
    );
  }
  return new HttpTimestampAuthority(
    url,
    decodeVariable(ENV.tsaCertificate, certificatePem, certificateDer),
  );
}

/**
 * @param invokers how to reach each party's co-signer; by default its Lambda function, named
 *   in the environment (the local runtime passes the handlers themselves).
 */
export async function anchorDeps(
  environment: AnchorEnvironment,
  clients: AwsClients,
  invokers?: Readonly<Record<PartyRole, CosignerInvoke>>,
): Promise<CreateAnchorDeps> {
  const env = requireVariables<AnchorEnvName>(
    ANCHOR_FUNCTION.id,
    environment,
    ANCHOR_FUNCTION.requiredEnv,
    ANCHOR_FUNCTION.optionalEnv,
  );
  const keys = new KmsKeyResolver(clients.kms);
  const origin = env[ENV.origin];
  const retentionDays = Number(env[ENV.anchorRetentionDays]);
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new LedgerError(
      'CONFIG_INVALID',
      `${ENV.anchorRetentionDays} must be a whole number of days >= 1`,
      { name: ENV.anchorRetentionDays },
    );
  }
  const maxNewRecords = Number(env[ENV.anchorMaxRecordsPerRun]);
  if (
    !Number.isInteger(maxNewRecords) ||
    maxNewRecords < 1 ||
    maxNewRecords > MAX_RECORDS_PER_PROPOSAL
  ) {
    throw new LedgerError(
      'CONFIG_INVALID',
      `${ENV.anchorMaxRecordsPerRun} must be a whole number from 1 to ${MAX_RECORDS_PER_PROPOSAL}`,
      { name: ENV.anchorMaxRecordsPerRun },
    );
  }
  const keyIds = { agency: env[ENV.agencyKeyId], custodian: env[ENV.custodianKeyId] };
  return {
    origin,
    // Read-only here: the anchor never appends, so it is given no deposits table.
    ledger: new DynamoLedgerReader(clients.documents, env[ENV.ledgerTable]),
    anchors: new DynamoAnchorStore(clients.documents, env[ENV.anchorsTable]),
    worm: new S3WormStore(clients.s3, env[ENV.anchorBucket], retentionDays),
    log: new S3TileLogWriter(clients.s3, env[ENV.anchorBucket]),
    // The anchor holds no signing key: each party's co-signer signs, or refuses.
    cosigners: await Promise.all(
      PARTY_ROLES.map(async (role) =>
        invokedCosigner(
          role,
          partyNoteKeyName(origin, role),
          await keys.publicKey(keyIds[role]),
          invokers?.[role] ??
            lambdaInvoke(
              clients.lambda,
              env[role === 'agency' ? ENV.agencyCosigner : ENV.custodianCosigner],
            ),
        ),
      ),
    ),
    trusted: { keyIds, keys },
    tsa: timestampAuthority(env[ENV.tsaUrl], env[ENV.tsaCertificate]),
    clock: systemClock,
    maxNewRecords,
  };
}

// A scheduled EventBridge event, or an on-demand invocation with an empty or {action} payload.
const anchorEvent = z.union([
  z
    .object({ 'detail-type': z.literal('Scheduled Event'), source: z.literal('aws.events') })
    .loose(),
  z.strictObject({ action: z.literal('anchor').optional() }),
]);

export interface AnchorResponse {
  readonly outcome: AnchorOutcome['kind'];
  readonly treeSize: number;
  readonly rootHash?: string;
  readonly checkpoint?: string;
  /** Why the checkpoint went out without a timestamp token although a TSA is configured. */
  readonly timestampRejected?: string;
}

/**
 * What the alarms need after every run, published or not: the records no checkpoint covers
 * yet and the age of the latest checkpoint, read from the ledger head and the anchors table.
 */
async function reportBacklog(deps: CreateAnchorDeps, metrics: FunctionMetrics): Promise<void> {
  const [head, latest] = await Promise.all([deps.ledger.head(), deps.anchors.latest()]);
  metrics.count(
    METRIC.recordsAwaitingCheckpoint,
    Math.max(0, head.nextSeq - (latest?.treeSize ?? 0)),
  );
  if (latest)
    metrics.seconds(
      METRIC.checkpointAge,
      Math.max(0, (deps.clock.now().getTime() - Date.parse(latest.createdAt)) / 1000),
    );
}

export function anchorHandler(
  deps: () => Promise<CreateAnchorDeps>,
  observability: Observability = functionObservability('anchor'),
): (event: unknown, context?: Context) => Promise<AnchorResponse> {
  const { logger, metrics } = observability;
  return observedInvocation(observability, async (event: unknown) => {
    if (!anchorEvent.safeParse(event ?? {}).success) {
      throw new LedgerError('INVALID_EVENT', 'expected a scheduled event or {"action":"anchor"}');
    }
    const resolved = await deps();
    const outcome = await createAnchor(resolved).finally(() =>
      reportBacklog(resolved, metrics).catch((error: unknown) =>
        logger.warn('could not measure the anchor backlog', { error: error as Error }),
      ),
    );
    logger.info('anchor', {
      outcome: outcome.kind,
      treeSize: outcome.kind === 'published' ? outcome.anchor.treeSize : outcome.treeSize,
    });
    if (outcome.kind !== 'published') return { outcome: outcome.kind, treeSize: outcome.treeSize };
    metrics.count(METRIC.checkpointsPublished);
    metrics.count(METRIC.anchoredRecords, outcome.newRecords);
    const rejected = outcome.timestampRejected;
    if (rejected)
      logger.warn('checkpoint published without a timestamp token', {
        code: rejected.code,
        reason: rejected.message,
      });
    return {
      outcome: outcome.kind,
      treeSize: outcome.anchor.treeSize,
      rootHash: outcome.anchor.rootHash,
      checkpoint: outcome.anchor.checkpointNote,
      ...(rejected ? { timestampRejected: rejected.code } : {}),
    };
  });
}

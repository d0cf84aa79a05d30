/**
 * What the functions report to CloudWatch and what the stack watches, named once: the
 * handlers emit these metrics (functions/shared/metrics.ts), the stack alarms on them and
 * draws them on its dashboard (infra/constructs/pipeline-observability.ts).
 * Pure data: no CDK and no SDK imports here.
 */
import { PIPELINE_FUNCTIONS } from './pipeline';

/** The CloudWatch namespace of every metric of the ledger; the Deployment dimension tells deployments apart. */
export const METRICS_NAMESPACE = 'EvidenceLedger';

/** Variables the stack sets on every function, beside the ones its definition lists. */
export const OBSERVABILITY_ENV = {
  /** Powertools: the `service` key of every log line and the `service` dimension of every metric. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: the metrics namespace (METRICS_NAMESPACE). */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** The deployment name, the value of the Deployment dimension. */
  deployment: 'LEDGER_DEPLOYMENT',
} as const;

export const METRIC = {
  /** Hasher: a deposit's facts were established and it went on to the agency signer. */
  depositsRegistered: 'DepositsRegistered',
  /** Signers: a party signed a deposit (dimension Party). */
  depositsSigned: 'DepositsSigned',
  /** Appender: deposits chained into the ledger. */
  depositsAppended: 'DepositsAppended',
  /** Any stage: a deposit was marked FAILED (dimension FailureCode). */
  failedDeposits: 'FailedDeposits',
  /** Hasher and custodian signer: bytes of evidence read and hashed (slices included). */
  bytesHashed: 'BytesHashed',
  /** Appender: deposits appended by one invocation (only invocations that appended). */
  appendBatchSize: 'AppendBatchSize',
  /**
   * Any stage, each time it reads a deposit that is still pending: seconds since its upload
   * (the S3 Last-Modified in its facts). A deposit stuck at a stage is read again on every
   * retry, so its age keeps being reported until its message reaches the dead-letter queue.
   */
  pendingDepositAge: 'PendingDepositAge',
  /** Anchor: records a published checkpoint added to the tree. */
  anchoredRecords: 'AnchoredRecords',
  /** Anchor: checkpoints published. */
  checkpointsPublished: 'CheckpointsPublished',
  /** Anchor, at the end of every run: ledger records no published checkpoint covers yet. */
  recordsAwaitingCheckpoint: 'RecordsAwaitingCheckpoint',
  /** Anchor, at the end of every run: seconds since the latest checkpoint was created. */
  checkpointAge: 'CheckpointAge',
  /** Co-signers: checkpoints co-signed. */
  checkpointsCosigned: 'CheckpointsCosigned',
  /** Co-signers: proposals refused (dimension FailureCode). */
  cosignerRefusals: 'CosignerRefusals',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

export const DIMENSION = {
  deployment: 'Deployment',
  /** Powertools' own dimension: the function's service name. */
  service: 'service',
  failureCode: 'FailureCode',
  party: 'Party',
} as const;

/** The failure codes that mean evidence or an approval is not what it claims: each one alarms. */
export const ALARMED_FAILURE_CODES = [
  'DIGEST_MISMATCH',
  'SIGNATURE_INVALID',
  'OBJECT_NOT_FOUND',
] as const;

/**
 * A function's service name, from its definition id (`AgencySigner` → `agency-signer`):
 * the stack sets it as POWERTOOLS_SERVICE_NAME, the handler falls back to it outside Lambda.
 */
export function serviceName(definitionId: string): string {
  return definitionId.replace(/(?<=[a-z0-9])([A-Z])/g, '-$1').toLowerCase();
}

/** The functions that record deposit failures and pending ages: the four pipeline stages. */
export const PIPELINE_SERVICES: readonly string[] = PIPELINE_FUNCTIONS.map((definition) =>
  serviceName(definition.id),
);

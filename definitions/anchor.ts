/**
 * Definitions for the anchors (periodic co-signed Merkle checkpoints), shared by the stack
 * and the local provisioner like definitions/pipeline.ts. Pure data.
 */
import { ENV } from './environment';
import type { TableDefinition } from './pipeline';

/**
 * Anchors: the latest anchor state (pk = 'latest', treeSize = 0), which every run
 * conditionally advances, and one item per published checkpoint (pk = 'checkpoint',
 * treeSize = N) for lookups by size.
 */
export const ANCHORS_TABLE: TableDefinition = {
  id: 'Anchors',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'treeSize', type: 'N' },
};

/** Every variable the anchor reads; TSA_URL and TSA_CERTIFICATE_PEM may be empty. */
export const ANCHOR_ENV_NAMES = [
  ENV.ledgerTable,
  ENV.anchorsTable,
  ENV.anchorBucket,
  ENV.agencyKeyId,
  ENV.custodianKeyId,
  ENV.origin,
  ENV.anchorRetentionDays,
  ENV.anchorMaxRecordsPerRun,
  ENV.tsaUrl,
  ENV.tsaCertificate,
  ENV.agencyCosigner,
  ENV.custodianCosigner,
] as const;

export type AnchorEnvName = (typeof ANCHOR_ENV_NAMES)[number];

const ANCHOR_OPTIONAL_ENV: readonly AnchorEnvName[] = [ENV.tsaUrl, ENV.tsaCertificate];

export const ANCHOR_FUNCTION = {
  id: 'Anchor',
  entry: 'functions/anchor/handler.ts',
  timeoutSeconds: 900,
  memoryMiB: 1024,
  /** Default schedule; the stack takes the interval from context. */
  defaultIntervalMinutes: 15,
  /** One anchor at a time keeps races rare; the conditional write makes them harmless. */
  reservedConcurrency: 1,
  /** Records one run covers unless ANCHOR_MAX_RECORDS_PER_RUN says fewer (a proposal's limit). */
  defaultMaxRecordsPerRun: 10_000,
  requiredEnv: ANCHOR_ENV_NAMES.filter((name) => !ANCHOR_OPTIONAL_ENV.includes(name)),
  /** May be empty: no timestamp authority. */
  optionalEnv: ANCHOR_OPTIONAL_ENV,
} as const;

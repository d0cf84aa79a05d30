/**
 * Definitions for the anchors (periodic co-signed Merkle checkpoints), shared by the stack
 * and the local provisioner like infra/definitions.ts. Pure data.
 */
import type { TableDefinition } from './definitions';

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

export const ANCHOR_ENV = {
  ledgerTable: 'LEDGER_TABLE',
  anchorsTable: 'ANCHORS_TABLE',
  anchorBucket: 'ANCHOR_BUCKET',
  agencyKeyId: 'AGENCY_KEY_ID',
  custodianKeyId: 'CUSTODIAN_KEY_ID',
  /** The checkpoint origin line: names this deployment (C2SP tlog-checkpoint). */
  origin: 'LEDGER_ORIGIN',
  /** Days each WORM copy is locked in COMPLIANCE mode. */
  anchorRetentionDays: 'ANCHOR_RETENTION_DAYS',
  /** Optional RFC 3161 time-stamping authority; empty means no timestamp tokens. */
  tsaUrl: 'TSA_URL',
  /** PEM certificate of that TSA, pinned: only tokens that verify with it are stored. Required with TSA_URL. */
  tsaCertificate: 'TSA_CERTIFICATE_PEM',
  /** The parties' co-signer functions (name or ARN), which the anchor invokes with proposals. */
  agencyCosigner: 'AGENCY_COSIGNER_FUNCTION',
  custodianCosigner: 'CUSTODIAN_COSIGNER_FUNCTION',
} as const;

export type AnchorEnvName = (typeof ANCHOR_ENV)[keyof typeof ANCHOR_ENV];

export const ANCHOR_FUNCTION = {
  id: 'Anchor',
  entry: 'functions/anchor/handler.ts',
  timeoutSeconds: 900,
  memoryMiB: 1024,
  /** Default schedule; the stack takes the interval from context. */
  defaultIntervalMinutes: 15,
  /** One anchor at a time keeps races rare; the conditional write makes them harmless. */
  reservedConcurrency: 1,
  requiredEnv: [
    ANCHOR_ENV.ledgerTable,
    ANCHOR_ENV.anchorsTable,
    ANCHOR_ENV.anchorBucket,
    ANCHOR_ENV.agencyKeyId,
    ANCHOR_ENV.custodianKeyId,
    ANCHOR_ENV.origin,
    ANCHOR_ENV.anchorRetentionDays,
    ANCHOR_ENV.agencyCosigner,
    ANCHOR_ENV.custodianCosigner,
  ] as readonly AnchorEnvName[],
} as const;

/** Signed-note key names of the two parties for an origin (no spaces or '+', per C2SP). */
export function noteKeyName(origin: string, role: 'agency' | 'custodian'): string {
  return `${origin}/${role}`;
}

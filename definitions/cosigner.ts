/**
 * Definitions for the parties' checkpoint co-signers: one function per party, under that
 * party's own role, invoked by the anchor with a proposed checkpoint. Each keeps the last
 * checkpoint it co-signed in its party's table and signs only a checkpoint consistent with
 * it. Pure data, shared by the stack and the local runtime.
 */
import type { PartyRole } from '../core/types';
import { ENV } from './environment';

/** Every variable a co-signer reads; the ledger table read-only, for the records a proposal covers. */
export const COSIGNER_ENV_NAMES = [
  ENV.cosignerRole,
  ENV.partyTable,
  ENV.ledgerTable,
  ENV.agencyKeyId,
  ENV.custodianKeyId,
  ENV.origin,
] as const;

export type CosignerEnvName = (typeof COSIGNER_ENV_NAMES)[number];

export interface CosignerFunctionDefinition {
  readonly id: string;
  readonly party: PartyRole;
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
  readonly requiredEnv: readonly CosignerEnvName[];
}

const cosigner = (party: PartyRole, id: string): CosignerFunctionDefinition => ({
  id,
  party,
  entry: 'functions/cosigner/handler.ts',
  // One proposal covers at most MAX_RECORDS_PER_PROPOSAL records, read and verified in pages.
  timeoutSeconds: 300,
  memoryMiB: 1024,
  requiredEnv: COSIGNER_ENV_NAMES,
});

export const COSIGNER_FUNCTIONS: Readonly<Record<PartyRole, CosignerFunctionDefinition>> = {
  agency: cosigner('agency', 'AgencyCosigner'),
  custodian: cosigner('custodian', 'CustodianCosigner'),
};

export { MAX_RECORDS_PER_PROPOSAL } from '../core/witness/cosign-request';

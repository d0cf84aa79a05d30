/**
 * A party's checkpoint co-signer, invoked by the anchor with a proposal. It runs under the
 * party's own role: its own key, its own state (the last checkpoint it co-signed and what
 * its party attested), read-only access to the ledger's records.
 *
 * A refusal is answered, not thrown: `{ ok: false, code, message, details }`, so the anchor
 * learns the co-signer's code (and, for COSIGN_STALE_OLD_SIZE, the size it holds) through
 * Lambda's response. Anything unexpected throws and is a Lambda error.
 */
import { isDependencyError, isLedgerError, LedgerError } from '../../core/errors';
import { systemClock } from '../../core/ports/clock';
import { PARTY_ROLES, type PartyRole } from '../../core/types';
import { cosignCheckpoint, type CosignCheckpointDeps } from '../../core/witness/cosign-checkpoint';
import type { AttestationMemory } from '../../core/witness/ports';
import { partyNoteKeyName } from '../../core/checkpoint/note-key';
import {
  COSIGNER_FUNCTIONS,
  MAX_RECORDS_PER_PROPOSAL,
  type CosignerEnvName,
} from '../../definitions/cosigner';
import type { AwsClients } from '../shared/aws-clients';
import { DynamoCosignerStore } from '../shared/dynamo-cosigner-store';
import { DynamoLedgerReader } from '../shared/dynamo-ledger-store';
import { DynamoPartyStore } from '../shared/dynamo-party-store';
import { requireVariables } from '../shared/function-environment';
import { KmsKeyResolver } from '../shared/kms-key-resolver';
import { KmsSigner } from '../shared/kms-signer';
import {
  functionObservability,
  observedInvocation,
  type Observability,
} from '../shared/observability';
import { ENV } from '../../definitions/environment';
import { DIMENSION, METRIC } from '../../definitions/observability';
import type { Context } from 'aws-lambda';

export type CosignerResponse =
  | { readonly ok: true; readonly signatureLine: string; readonly treeSize: number }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly details: Record<string, unknown>;
    };

function roleOf(value: string): PartyRole {
  const role = PARTY_ROLES.find((r) => r === value);
  if (!role)
    throw new LedgerError(
      'CONFIG_INVALID',
      `${ENV.cosignerRole} must be one of ${PARTY_ROLES.join(', ')}`,
      { name: ENV.cosignerRole, value },
    );
  return role;
}

/** What the party itself signed, from its own table: the only memory a co-signer trusts. */
function partyMemory(party: DynamoPartyStore): AttestationMemory {
  return {
    async signedFacts(depositId) {
      const own = await party.get(depositId);
      return own?.signature ? own.facts : null;
    },
    markCosigned: (depositId, seq) => party.markCosigned(depositId, seq),
  };
}

export async function cosignerDeps(
  environment: Readonly<Record<string, string | undefined>>,
  clients: AwsClients,
): Promise<CosignCheckpointDeps> {
  const env = requireVariables<CosignerEnvName>(
    'Cosigner',
    environment,
    COSIGNER_FUNCTIONS.agency.requiredEnv,
  );
  const role = roleOf(env[ENV.cosignerRole]);
  const keyIds = { agency: env[ENV.agencyKeyId], custodian: env[ENV.custodianKeyId] };
  const keys = new KmsKeyResolver(clients.kms);
  const origin = env[ENV.origin];
  const party = new DynamoPartyStore(clients.documents, env[ENV.partyTable]);
  return {
    role,
    noteSigner: {
      keyName: partyNoteKeyName(origin, role),
      publicKeySpki: await keys.publicKey(keyIds[role]),
      signer: new KmsSigner(clients.kms, role, keyIds[role]),
    },
    trusted: { keyIds, keys },
    origin,
    state: new DynamoCosignerStore(clients.documents, env[ENV.partyTable]),
    // Read only: the co-signer never appends, so it is given no deposits table.
    records: new DynamoLedgerReader(clients.documents, env[ENV.ledgerTable]),
    memory: partyMemory(party),
    clock: systemClock,
    maxNewRecords: MAX_RECORDS_PER_PROPOSAL,
  };
}

export function cosignerHandler(
  deps: () => Promise<CosignCheckpointDeps>,
  observability: Observability = functionObservability('cosigner'),
): (event: unknown, context?: Context) => Promise<CosignerResponse> {
  const { logger, metrics } = observability;
  return observedInvocation(observability, async (event: unknown): Promise<CosignerResponse> => {
    const resolved = await deps();
    try {
      const { signatureLine, state } = await cosignCheckpoint(event, resolved);
      metrics.count(METRIC.checkpointsCosigned);
      logger.info('cosigned', { role: resolved.role, treeSize: state.treeSize });
      return { ok: true, signatureLine, treeSize: state.treeSize };
    } catch (error) {
      // A failed dependency (KEY_UNAVAILABLE, THROTTLED...) is no refusal: the invocation fails and the anchor runs again.
      if (!isLedgerError(error) || isDependencyError(error)) throw error;
      metrics.count(METRIC.cosignerRefusals, 1, { [DIMENSION.failureCode]: error.code });
      logger.warn('refused', { role: resolved.role, code: error.code, message: error.message });
      return { ok: false, code: error.code, message: error.message, details: { ...error.details } };
    }
  });
}

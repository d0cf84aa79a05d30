/**
 * exportBundle: the offline evidence bundle (core/bundle, docs/FORMAT.md) for deposits that
 * the latest checkpoint covers, and the trusted-keys file an auditor can check it with.
 */
import type { AnchorReader } from '../anchor/ports';
import { buildBundle } from '../bundle/build-bundle';
import type { EvidenceBundle } from '../bundle/bundle-schema';
import type { TrustedKeys } from '../bundle/trusted-keys';
import { base64Encode } from '../encoding';
import { LedgerError } from '../errors';
import type { DepositReader } from '../ports/deposits';
import type { LedgerReader } from '../ports/ledger';
import { PARTY_ROLES } from '../types';
import type { AuditTrust } from './audit-trust';
import { partyNoteKeyName } from '../checkpoint/note-key';
import { ledgerLeaves, readRecord } from './ledger-leaves';
import { checkpointAt } from './proofs';

export interface ExportBundleDeps {
  readonly ledger: LedgerReader;
  readonly deposits: DepositReader;
  readonly anchors: AnchorReader;
  readonly trust: AuditTrust;
}

export async function trustedParties(trust: AuditTrust): Promise<TrustedKeys['parties']> {
  return Promise.all(
    PARTY_ROLES.map(async (role) => ({
      role,
      keyId: trust.parties.keyIds[role],
      noteKeyName: partyNoteKeyName(trust.origin, role),
      publicKeySpki: await trust.parties.keys.publicKey(trust.parties.keyIds[role]),
    })),
  );
}

/** The trusted-keys file (evidence-ledger/trusted-keys/v1) for this deployment's parties. */
export async function trustedKeysFile(
  trust: AuditTrust,
  tsaCertificatePem?: string,
): Promise<Record<string, unknown>> {
  const parties = await trustedParties(trust);
  return {
    format: 'evidence-ledger/trusted-keys/v1',
    origin: trust.origin,
    parties: parties.map((p) => ({
      role: p.role,
      keyId: p.keyId,
      noteKeyName: p.noteKeyName,
      publicKey: base64Encode(p.publicKeySpki),
    })),
    ...(tsaCertificatePem ? { tsa: [{ name: 'tsa', certificate: tsaCertificatePem }] } : {}),
  };
}

export async function exportBundle(
  deps: ExportBundleDeps,
  request: { readonly depositIds: readonly string[]; readonly exportedAt: Date },
): Promise<EvidenceBundle> {
  // Deposits first, then the checkpoint: a caller waiting for its receipt (`evidence deposit`)
  // learns from the details that its deposit FAILED even before the first checkpoint exists.
  const states = await Promise.all(
    request.depositIds.map(async (depositId) => {
      const state = await deps.deposits.get(depositId);
      if (state?.status !== 'APPENDED') {
        const failure = state?.status === 'FAILED' ? state.failure : null;
        const details = { depositId, status: state?.status ?? null, failure };
        throw new LedgerError(
          'DEPOSIT_NOT_READY',
          `deposit ${depositId} is not in the ledger`,
          details,
        );
      }
      return { depositId, seq: state.seq };
    }),
  );
  const anchor = await checkpointAt(deps.anchors, deps.trust);
  const records = await Promise.all(
    states.map(async ({ depositId, seq }) => {
      if (seq >= anchor.treeSize) {
        throw new LedgerError(
          'TREE_SIZE_INVALID',
          `deposit ${depositId} is not anchored yet; run the anchor first`,
          { depositId, seq },
        );
      }
      const record = await readRecord(deps.ledger, seq);
      // The mailbox is not trusted: after a rollback its seq may name another deposit's record.
      if (record.deposit.depositId !== depositId) {
        throw new LedgerError(
          'RECORD_MISSING',
          `seq ${seq} holds deposit ${record.deposit.depositId}, not ${depositId}`,
          { depositId, seq },
        );
      }
      return record;
    }),
  );
  return buildBundle({
    checkpointNote: anchor.checkpointNote,
    timestampToken: anchor.timestampToken,
    records,
    proofs: { leafHashes: await ledgerLeaves(deps.ledger, anchor.treeSize) },
    exportedAt: request.exportedAt.toISOString(),
    tool: { name: 'evidence-ledger auditor', version: '0.1.0' },
    parties: await trustedParties(deps.trust),
  });
}

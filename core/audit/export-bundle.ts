/**
 * exportBundle: the offline evidence bundle (core/bundle, docs/FORMAT.md) for deposits that
 * the latest checkpoint covers, and the trusted-keys file an auditor can check it with.
 */
import type { AnchorReader } from '../anchor/ports';
import { buildBundle } from '../bundle/build-bundle';
import type { EvidenceBundle, InclusionProofJson } from '../bundle/bundle-schema';
import type { TrustedKeys } from '../bundle/trusted-keys';
import { base64Encode, bytesToHex } from '../encoding';
import { LedgerError } from '../errors';
import type { DepositReader } from '../ports/deposits';
import type { LedgerReader } from '../ports/ledger';
import type { TileLog } from '../ports/tile-log';
import { inclusionProof } from '../merkle/inclusion';
import { PARTY_ROLES, type LedgerRecord } from '../types';
import type { AnchorState } from '../anchor/ports';
import type { AuditTrust } from './audit-trust';
import { partyNoteKeyName } from '../checkpoint/note-key';
import { fromLogElseLedger } from './ledger-fallback';
import { ledgerLeaves, readRecord } from './ledger-leaves';
import { recordFromLog } from './log-record';
import { logView } from './log-view';
import { checkpointAt, inclusionFromLog, requireIncluded } from './proofs';

export interface ExportBundleDeps {
  /** Read only when the log lacks the tiles or records (ledger-fallback.ts). */
  readonly ledger: LedgerReader;
  readonly log: TileLog;
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

interface ExportItem {
  readonly record: LedgerRecord;
  readonly proof: InclusionProofJson;
}

interface Anchored {
  readonly seq: number;
}

const proofJson = (seq: number, treeSize: number, proof: readonly Uint8Array[]) => ({
  leafIndex: seq,
  treeSize,
  hashes: proof.map((node) => bytesToHex(node)),
});

/**
 * Per record: its proof from the checkpoint's tiles, checked against the signed root, and the
 * record from its records bundle, checked against the proven leaf. The anchor wrote the log
 * for the latest checkpoint's size before publishing it; repeated tiles are read once.
 */
async function itemsFromLog(
  log: TileLog,
  anchor: AnchorState,
  anchored: readonly Anchored[],
): Promise<ExportItem[]> {
  const view = logView(log, anchor.treeSize);
  return Promise.all(
    anchored.map(async ({ seq }) => {
      const leaf = await inclusionFromLog(view, seq, anchor.treeSize);
      requireIncluded(anchor, seq, leaf);
      const record = await recordFromLog(view, seq, anchor.treeSize, leaf.leafHash);
      return { record, proof: proofJson(seq, anchor.treeSize, leaf.proof) };
    }),
  );
}

/** The pre-tiles path (ledger-fallback.ts): every ledger leaf up to the checkpoint. */
async function itemsFromLedger(
  ledger: LedgerReader,
  anchor: AnchorState,
  anchored: readonly Anchored[],
): Promise<ExportItem[]> {
  const leaves = await ledgerLeaves(ledger, anchor.treeSize);
  return Promise.all(
    anchored.map(async ({ seq }) => ({
      record: await readRecord(ledger, seq),
      proof: proofJson(seq, anchor.treeSize, inclusionProof(leaves, seq)),
    })),
  );
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
  for (const { depositId, seq } of states) {
    if (seq >= anchor.treeSize) {
      throw new LedgerError(
        'TREE_SIZE_INVALID',
        `deposit ${depositId} is not anchored yet; run the anchor first`,
        { depositId, seq },
      );
    }
  }
  const items = await fromLogElseLedger(
    () => itemsFromLog(deps.log, anchor, states),
    () => itemsFromLedger(deps.ledger, anchor, states),
  );
  for (const [i, { depositId, seq }] of states.entries()) {
    const { record } = items[i]!;
    // The mailbox is not trusted: after a rollback its seq may name another deposit's record.
    if (record.deposit.depositId !== depositId) {
      throw new LedgerError(
        'RECORD_MISSING',
        `seq ${seq} holds deposit ${record.deposit.depositId}, not ${depositId}`,
        { depositId, seq },
      );
    }
  }
  return buildBundle({
    checkpointNote: anchor.checkpointNote,
    timestampToken: anchor.timestampToken,
    records: items.map((item) => item.record),
    proofs: { proofs: items.map((item) => item.proof) },
    exportedAt: request.exportedAt.toISOString(),
    tool: { name: 'evidence-ledger auditor', version: '0.1.0' },
    parties: await trustedParties(deps.trust),
  });
}

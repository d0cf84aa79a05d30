/**
 * A deployment in memory for the auditor's verifyLedger: a ledger that grows (and can be
 * rolled back or rewritten), real anchor runs (createAnchor with both parties' real
 * co-signers, whose memory the auditor reads), the checkpoints' WORM copies and tiled log,
 * the auditor's state store, and a sealer standing for its KMS HMAC key.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CheckpointCosigner } from '../../../core/anchor/checkpoint-cosigner';
import { createAnchor } from '../../../core/anchor/create-anchor';
import type { AnchorState } from '../../../core/anchor/ports';
import { auditTrust } from '../../../core/audit/audit-trust';
import type { ContinuationSealer } from '../../../core/audit/sealed-continuation';
import type { VerifyLedgerDeps } from '../../../core/audit/verify-ledger';
import { bytesEqual } from '../../../core/encoding';
import type { LedgerReader } from '../../../core/ports/ledger';
import { GENESIS_PREV_HASH, type LedgerRecord, type PartyRole } from '../../../core/types';
import { cosignCheckpoint } from '../../../core/witness/cosign-checkpoint';
import { InMemoryAnchorStore } from '../../../tools/fakes/in-memory-anchor-store';
import { InMemoryAuditStateStore } from '../../../tools/fakes/in-memory-audit-state-store';
import { InMemoryTileLog } from '../../../tools/fakes/in-memory-tile-log';
import { InMemoryWormStore } from '../../../tools/fakes/in-memory-worm-store';
import { chainOf, cosignerOf, createWorld, ORIGIN, type World } from '../witness/fixtures';

/** HMAC-SHA-256 under a random key: the auditor's KMS key, or an attacker's own. */
export function hmacSealer(): ContinuationSealer {
  const key = crypto.getRandomValues(new Uint8Array(32));
  return {
    seal: (message) => Promise.resolve(hmac(sha256, key, message)),
    verify: (message, mac) => Promise.resolve(bytesEqual(hmac(sha256, key, message), mac)),
  };
}

export interface AuditWorld {
  readonly world: World;
  /** Every record the ledger may ever hold; `size` of them are in it. */
  records: LedgerRecord[];
  size: number;
  /** Records read from the ledger so far (the auditor's cost). */
  recordsRead: number;
  readonly anchors: InMemoryAnchorStore;
  readonly worm: InMemoryWormStore;
  readonly store: InMemoryAuditStateStore;
  readonly cosigners: Record<PartyRole, ReturnType<typeof cosignerOf>>;
  readonly deps: VerifyLedgerDeps;
  /** Runs the anchor over the ledger as it is. */
  anchor(): Promise<AnchorState>;
}

export async function createAuditWorld(poolSize: number): Promise<AuditWorld> {
  const world = await createWorld(poolSize);
  const records = chainOf(world.approved);
  const anchors = new InMemoryAnchorStore();
  const worm = new InMemoryWormStore();
  const store = new InMemoryAuditStateStore();
  const log = new InMemoryTileLog();
  const cosigners = {
    agency: cosignerOf(world, records, {}, 'agency'),
    custodian: cosignerOf(world, records, {}, 'custodian'),
  };
  const self = { records, size: 0, recordsRead: 0 } as AuditWorld;
  const ledger: LedgerReader = {
    head: () =>
      Promise.resolve({
        nextSeq: self.size,
        lastHash: self.records[self.size - 1]?.recordHash ?? GENESIS_PREV_HASH,
      }),
    read: (from, to) => {
      const page = self.records.slice(from, Math.min(to, self.size));
      self.recordsRead += page.length;
      return Promise.resolve(page);
    },
  };
  const checkpointCosigner = (role: PartyRole): CheckpointCosigner => {
    const { deps } = cosigners[role];
    return {
      role,
      keyName: deps.noteSigner.keyName,
      publicKeySpki: deps.noteSigner.publicKeySpki,
      cosign: async (request) => (await cosignCheckpoint(request, deps)).signatureLine,
    };
  };
  const deps: VerifyLedgerDeps = {
    ledger,
    anchors,
    worm,
    trust: await auditTrust(ORIGIN, world.trusted),
    timestamps: null,
    continuations: hmacSealer(),
    parties: { load: (role) => cosigners[role].store.load(), signed: () => Promise.resolve(true) },
    reconcile: {
      evidence: { list: async function* () {} },
      markers: { find: () => Promise.resolve(null) },
      deposits: { get: () => Promise.resolve(null) },
    },
    state: store,
    clock: { now: () => new Date('2024-05-01T12:30:00.000Z') },
  };
  async function anchor(): Promise<AnchorState> {
    const outcome = await createAnchor({
      origin: ORIGIN,
      ledger,
      anchors,
      worm,
      log,
      cosigners: [checkpointCosigner('agency'), checkpointCosigner('custodian')],
      trusted: world.trusted,
      tsa: null,
      clock: { now: () => new Date('2024-05-01T12:10:00.000Z') },
    });
    if (outcome.kind !== 'published') throw new Error(`anchor: ${outcome.kind}`);
    return outcome.anchor;
  }
  return Object.assign(self, { world, anchors, worm, store, cosigners, deps, anchor });
}

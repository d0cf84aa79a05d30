/**
 * A small world for the co-signer tests: both parties' in-memory keys, a pool of deposits
 * both signed (signing is the slow part, so it is done once), chains built from any of them,
 * and proposals as an anchor (honest or not) would make them.
 */
import { buildRecords } from '../../../core/chain';
import { bytesToHex, utf8Encode } from '../../../core/encoding';
import { consistencyProof } from '../../../core/merkle/consistency';
import { recordLeafHash } from '../../../core/merkle/hasher';
import { treeRoot } from '../../../core/merkle/tree';
import type { ApprovedDeposit } from '../../../core/chain';
import type { TrustedParties } from '../../../core/party-signatures';
import { GENESIS_HEAD, type LedgerRecord, type PartyRole } from '../../../core/types';
import type { CosignCheckpointDeps } from '../../../core/witness/cosign-checkpoint';
import type { CosignRequest } from '../../../core/witness/cosign-request';
import { SEQUENCED_AT } from '../core/fixtures';
import { approve, depositOf, noteSignerOf, ORIGIN, partySigners } from '../bundle/fixtures';
import {
  InMemoryCosignerStore,
  InMemoryRecordSource,
} from '../../../tools/fakes/in-memory-cosigner-store';
import { inMemoryKeyResolver, type InMemorySigner } from '../../../tools/fakes/in-memory-signer';

export { ORIGIN };

export interface World {
  readonly signers: readonly InMemorySigner[];
  readonly trusted: TrustedParties;
  /** Deposits both parties signed, all distinct. */
  readonly approved: readonly ApprovedDeposit[];
}

export function signerOf(world: Pick<World, 'signers'>, role: PartyRole): InMemorySigner {
  return world.signers.find((s) => s.role === role)!;
}

/** Both parties, and `poolSize` deposits they both signed. */
export async function createWorld(poolSize: number): Promise<World> {
  const signers = await partySigners();
  const deposits = Array.from({ length: poolSize }, (_, i) =>
    depositOf(utf8Encode(`exhibit ${i}`), `cases/2024-0042/exhibit-${i}.txt`),
  );
  return {
    signers,
    trusted: {
      keyIds: {
        agency: signerOf({ signers }, 'agency').keyId,
        custodian: signerOf({ signers }, 'custodian').keyId,
      },
      keys: inMemoryKeyResolver(signers),
    },
    approved: await Promise.all(deposits.map((d) => approve(d, signers))),
  };
}

/** A valid chain from genesis over `approved`, in order. */
export function chainOf(approved: readonly ApprovedDeposit[]): LedgerRecord[] {
  return buildRecords(GENESIS_HEAD, approved, SEQUENCED_AT).records;
}

/** `records[0..prefix)` followed by a valid continuation over `approved`. */
export function extendChain(
  records: readonly LedgerRecord[],
  prefix: number,
  approved: readonly ApprovedDeposit[],
): LedgerRecord[] {
  const kept = records.slice(0, prefix);
  const last = kept.at(-1);
  const head = last ? { nextSeq: prefix, lastHash: last.recordHash } : GENESIS_HEAD;
  return [...kept, ...buildRecords(head, approved, SEQUENCED_AT).records];
}

export function leavesOf(records: readonly LedgerRecord[]): Uint8Array[] {
  return records.map((r) => recordLeafHash(r.recordHash));
}

export function rootOf(records: readonly LedgerRecord[], size = records.length): string {
  return bytesToHex(treeRoot(leavesOf(records.slice(0, size))));
}

/** What an honest anchor sends to move a co-signer at `oldSize` to `newSize` of `records`. */
export function proposalFor(
  records: readonly LedgerRecord[],
  oldSize: number,
  newSize = records.length,
): CosignRequest {
  const leaves = leavesOf(records.slice(0, newSize));
  return {
    origin: ORIGIN,
    oldSize,
    checkpoint: { treeSize: newSize, rootHash: bytesToHex(treeRoot(leaves)) },
    consistencyProof: oldSize <= newSize ? consistencyProof(leaves, oldSize).map(bytesToHex) : [],
  };
}

export interface Cosigner {
  readonly deps: CosignCheckpointDeps;
  readonly store: InMemoryCosignerStore;
  readonly source: InMemoryRecordSource;
}

/** The `role` co-signer of `world`, over `records`, with an empty state unless overridden. */
export function cosignerOf(
  world: World,
  records: readonly LedgerRecord[],
  overrides: Partial<CosignCheckpointDeps> = {},
  role: PartyRole = 'custodian',
): Cosigner {
  const store = new InMemoryCosignerStore();
  const source = new InMemoryRecordSource(records);
  const deps: CosignCheckpointDeps = {
    role,
    noteSigner: noteSignerOf(signerOf(world, role)),
    trusted: world.trusted,
    origin: ORIGIN,
    state: store,
    records: source,
    memory: null,
    clock: { now: () => new Date('2024-05-01T12:05:00.000Z') },
    maxNewRecords: 1000,
    pageSize: 4,
    ...overrides,
  };
  return { deps, store, source };
}

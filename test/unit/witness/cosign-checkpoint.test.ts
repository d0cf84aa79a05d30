import { beforeAll, describe, expect, it } from 'vitest';
import { formatCheckpoint } from '../../../core/checkpoint/checkpoint';
import { noteVerifierKey } from '../../../core/checkpoint/note-key';
import { verifyCheckpoint } from '../../../core/checkpoint/signed-checkpoint';
import { assembleNote, verifyNote } from '../../../core/checkpoint/signed-note';
import { depositIdFor } from '../../../core/deposit-id';
import type { LedgerErrorCode } from '../../../core/errors';
import { hexToBytes } from '../../../core/encoding';
import { sealRecord } from '../../../core/record';
import type { LedgerRecord } from '../../../core/types';
import { cosignCheckpoint, type Cosignature } from '../../../core/witness/cosign-checkpoint';
import type { CosignRequest } from '../../../core/witness/cosign-request';
import { InMemoryAttestationMemory } from '../../../tools/fakes/in-memory-cosigner-store';
import { createInMemorySigner } from '../../../tools/fakes/in-memory-signer';
import { approve, noteSignerOf } from '../bundle/fixtures';
import {
  chainOf,
  cosignerOf,
  createWorld,
  extendChain,
  ORIGIN,
  proposalFor,
  signerOf,
  type Cosigner,
  type World,
} from './fixtures';

let world: World;
let honest: LedgerRecord[];

beforeAll(async () => {
  world = await createWorld(16);
  honest = chainOf(world.approved.slice(0, 10));
});

/** A custodian co-signer over `records` that has already co-signed their first `size`. */
async function cosignedUpTo(size: number, records = honest): Promise<Cosigner> {
  const cosigner = cosignerOf(world, records);
  if (size > 0) await cosignCheckpoint(proposalFor(records, 0, size), cosigner.deps);
  return cosigner;
}

/** Asserts the refusal code and that nothing was saved by the refused request. */
async function expectRefused(cosigner: Cosigner, request: unknown, code: LedgerErrorCode) {
  const before = cosigner.store.saved.length;
  await expect(cosignCheckpoint(request, cosigner.deps)).toFailWithCode(code);
  expect(cosigner.store.saved).toHaveLength(before);
}

async function expectLineVerifies(result: Cosignature) {
  const text = result.state.cosignedNote!;
  const key = noteVerifierKey(`${ORIGIN}/custodian`, signerOf(world, 'custodian').publicKeySpki());
  await expect(verifyNote(assembleNote(text, [result.signatureLine]), [key])).resolves.toEqual({
    text,
    verified: [key],
  });
}

describe('when the first checkpoint extends the empty tree with genuine records', () => {
  it('signs the C2SP checkpoint text with one line and saves it as the new state', async () => {
    const cosigner = cosignerOf(world, honest);
    const request = proposalFor(honest, 0);
    const result = await cosignCheckpoint(request, cosigner.deps);
    expect(result.signatureLine).toMatch(/^\u2014 ledger\.example\/evidence\/custodian \S+$/);
    expect(result.state).toMatchObject({
      treeSize: 10,
      rootHash: request.checkpoint.rootHash,
      lastRecordHash: honest[9]!.recordHash,
      cosignedNote: formatCheckpoint({
        origin: ORIGIN,
        treeSize: 10,
        rootHash: hexToBytes(request.checkpoint.rootHash),
        extensions: [],
      }),
      updatedAt: '2024-05-01T12:05:00.000Z',
    });
    expect(cosigner.store.state).toEqual(result.state);
    await expectLineVerifies(result);
  });

  it('reads the new records page by page', async () => {
    const cosigner = cosignerOf(world, honest);
    await cosignCheckpoint(proposalFor(honest, 0), cosigner.deps);
    expect(cosigner.source.reads).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
  });
});

describe('when both parties co-sign the same proposal', () => {
  it('their lines assemble into a checkpoint that verifyCheckpoint accepts', async () => {
    const request = proposalFor(honest, 0);
    const agency = await cosignCheckpoint(request, cosignerOf(world, honest, {}, 'agency').deps);
    const custodian = await cosignCheckpoint(request, cosignerOf(world, honest).deps);
    const note = assembleNote(agency.state.cosignedNote!, [
      agency.signatureLine,
      custodian.signatureLine,
    ]);
    const verifiers = world.signers.map((s) => ({
      ...noteVerifierKey(`${ORIGIN}/${s.role}`, s.publicKeySpki()),
      role: s.role,
    }));
    const checkpoint = await verifyCheckpoint(note, verifiers, ORIGIN);
    expect(checkpoint.treeSize).toBe(10);
  });
});

describe('when the checkpoint extends the one co-signed before', () => {
  it('verifies the proof and the new records only, and advances', async () => {
    const cosigner = await cosignedUpTo(5);
    cosigner.source.reads.length = 0;
    const result = await cosignCheckpoint(proposalFor(honest, 5), cosigner.deps);
    expect(result.state.treeSize).toBe(10);
    expect(cosigner.source.reads).toEqual([
      [5, 9],
      [9, 10],
    ]);
    await expectLineVerifies(result);
  });
});

describe("when the request's oldSize is not the co-signer's size", () => {
  it('refuses with COSIGN_STALE_OLD_SIZE, telling its size', async () => {
    const cosigner = await cosignedUpTo(5);
    const error = await cosignCheckpoint(proposalFor(honest, 3), cosigner.deps).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'COSIGN_STALE_OLD_SIZE', details: { treeSize: 5 } });
  });

  it('refuses a replayed earlier proposal with COSIGN_STALE_OLD_SIZE', async () => {
    const cosigner = await cosignedUpTo(5);
    await cosignCheckpoint(proposalFor(honest, 5, 8), cosigner.deps);
    await expectRefused(cosigner, proposalFor(honest, 5, 8), 'COSIGN_STALE_OLD_SIZE');
  });

  it('refuses a proposal that claims a larger co-signed size with COSIGN_STALE_OLD_SIZE', async () => {
    const cosigner = await cosignedUpTo(3);
    await expectRefused(cosigner, proposalFor(honest, 6), 'COSIGN_STALE_OLD_SIZE');
  });
});

describe('when the proposed tree is smaller', () => {
  it('refuses with COSIGN_STALE_OLD_SIZE when the request starts from the smaller tree', async () => {
    const cosigner = await cosignedUpTo(8);
    await expectRefused(cosigner, proposalFor(honest, 4, 6), 'COSIGN_STALE_OLD_SIZE');
  });

  it('refuses with COSIGN_TREE_SHRINK when the request starts from its size', async () => {
    const cosigner = await cosignedUpTo(8);
    await expectRefused(
      cosigner,
      { ...proposalFor(honest, 0, 6), oldSize: 8 },
      'COSIGN_TREE_SHRINK',
    );
  });
});

describe('when a tree of the co-signed size is proposed again', () => {
  it('refuses another root with COSIGN_FORK', async () => {
    const fork = extendChain(honest, 2, world.approved.slice(10, 13));
    const cosigner = await cosignedUpTo(5);
    await expectRefused(
      cosigner,
      { ...proposalFor(fork, 0, 5), oldSize: 5, consistencyProof: [] },
      'COSIGN_FORK',
    );
  });

  it('signs the same checkpoint again without writing its state', async () => {
    const cosigner = await cosignedUpTo(5);
    const result = await cosignCheckpoint(
      { ...proposalFor(honest, 0, 5), oldSize: 5, consistencyProof: [] },
      cosigner.deps,
    );
    expect(result.state).toEqual(cosigner.store.state);
    expect(cosigner.store.saved).toHaveLength(1);
    await expectLineVerifies(result);
  });

  it('refuses the same checkpoint with a non-empty proof with CONSISTENCY_PROOF_INVALID', async () => {
    const cosigner = await cosignedUpTo(5);
    const request = { ...proposalFor(honest, 0, 5), oldSize: 5 };
    const withNode = { ...request, consistencyProof: [request.checkpoint.rootHash] };
    await expectRefused(cosigner, withNode, 'CONSISTENCY_PROOF_INVALID');
  });

  it('refuses the empty tree, which nobody co-signs, with COSIGN_NOT_NEWER', async () => {
    await expectRefused(cosignerOf(world, honest), proposalFor(honest, 0, 0), 'COSIGN_NOT_NEWER');
  });
});

describe('when the request is for another log', () => {
  it('refuses with CHECKPOINT_MALFORMED', async () => {
    const request = { ...proposalFor(honest, 0), origin: 'other.example/log' };
    await expectRefused(cosignerOf(world, honest), request, 'CHECKPOINT_MALFORMED');
  });
});

describe('when the request is malformed', () => {
  const cases: [string, (r: CosignRequest) => unknown][] = [
    ['an unknown property', (r) => ({ ...r, note: 'x' })],
    [
      'an upper-case root',
      (r) => ({
        ...r,
        checkpoint: { ...r.checkpoint, rootHash: r.checkpoint.rootHash.toUpperCase() },
      }),
    ],
    ['a fractional size', (r) => ({ ...r, checkpoint: { ...r.checkpoint, treeSize: 2.5 } })],
    ['a negative oldSize', (r) => ({ ...r, oldSize: -1 })],
    ['a size beyond 2^53', (r) => ({ ...r, checkpoint: { ...r.checkpoint, treeSize: 2 ** 53 } })],
    ['a proof of 65 nodes', (r) => ({ ...r, consistencyProof: Array(65).fill('0'.repeat(64)) })],
    [
      'a base64 root',
      (r) => ({
        ...r,
        checkpoint: {
          ...r.checkpoint,
          rootHash: Buffer.from(r.checkpoint.rootHash, 'hex').toString('base64'),
        },
      }),
    ],
    ['no origin', ({ origin: _origin, ...r }) => r],
  ];
  it.each(cases)('refuses %s with INVALID_INPUT', async (_name, mutate) => {
    await expectRefused(cosignerOf(world, honest), mutate(proposalFor(honest, 0)), 'INVALID_INPUT');
  });
});

describe('when more records are proposed than one request may add', () => {
  it('refuses with COSIGN_TOO_MANY_RECORDS before reading any', async () => {
    const cosigner = cosignerOf(world, honest, { maxNewRecords: 9 });
    await expectRefused(cosigner, proposalFor(honest, 0), 'COSIGN_TOO_MANY_RECORDS');
    expect(cosigner.source.reads).toEqual([]);
  });
});

describe('when the consistency proof does not prove the co-signed tree a prefix', () => {
  const tamper: [string, (proof: readonly string[]) => string[]][] = [
    [
      'a flipped bit',
      ([first = '', ...rest]) => [`${first[0] === '0' ? '1' : '0'}${first.slice(1)}`, ...rest],
    ],
    ['a missing node', (proof) => proof.slice(1)],
    ['an extra node', (proof) => [...proof, '0'.repeat(64)]],
  ];
  it.each(tamper)(
    'refuses a proof with %s with CONSISTENCY_PROOF_INVALID',
    async (_name, change) => {
      const cosigner = await cosignedUpTo(5);
      const request = proposalFor(honest, 5);
      await expectRefused(
        cosigner,
        { ...request, consistencyProof: change(request.consistencyProof) },
        'CONSISTENCY_PROOF_INVALID',
      );
    },
  );

  it('refuses a proof from the empty tree that is not empty', async () => {
    const request = { ...proposalFor(honest, 0), consistencyProof: ['0'.repeat(64)] };
    await expectRefused(cosignerOf(world, honest), request, 'CONSISTENCY_PROOF_INVALID');
  });

  it('refuses a fork below the co-signed size, even with its own valid proof', async () => {
    const cosigner = await cosignedUpTo(5);
    const fork = extendChain(honest, 3, world.approved.slice(10, 16));
    cosigner.source.records = fork;
    await expectRefused(cosigner, proposalFor(fork, 5), 'CONSISTENCY_PROOF_INVALID');
  });
});

describe('when the proposed root is not the root of the new records', () => {
  it('refuses with ROOT_MISMATCH', async () => {
    const request = proposalFor(honest, 0);
    const other = proposalFor(honest, 0, 9).checkpoint.rootHash;
    const wrong = { ...request, checkpoint: { ...request.checkpoint, rootHash: other } };
    await expectRefused(cosignerOf(world, honest), wrong, 'ROOT_MISMATCH');
  });
});

describe('when a new record is not a genuine next record', () => {
  /** Expects COSIGN_RECORD_REFUSED at `seq` for `reason`, for a self-consistent proposal of `records`. */
  async function expectRecordRefused(records: LedgerRecord[], seq: number, reason: string) {
    const cosigner = await cosignedUpTo(2, honest);
    cosigner.source.records = records;
    const request = proposalFor(records, 2);
    const error = await cosignCheckpoint(request, cosigner.deps).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'COSIGN_RECORD_REFUSED', details: { seq, reason } });
    expect(cosigner.store.saved).toHaveLength(1);
  }

  it('refuses a record whose hash does not recompute (RECORD_HASH_MISMATCH)', async () => {
    const records = honest.map((r) =>
      r.seq === 6 ? { ...r, sequencedAt: '2024-05-02T00:00:00.000Z' } : r,
    );
    await expectRecordRefused(records, 6, 'RECORD_HASH_MISMATCH');
  });

  it('refuses rewritten deposit facts under the original signatures (SIGNATURE_INVALID)', async () => {
    const original = world.approved[4]!;
    const rewritten = { ...original, deposit: { ...original.deposit, size: 1 } };
    const records = extendChain(honest, 4, [rewritten, ...world.approved.slice(5, 8)]);
    await expectRecordRefused(records, 4, 'SIGNATURE_INVALID');
  });

  it("refuses a record signed by a key that is not the party's (UNTRUSTED_KEY)", async () => {
    const impostor = await createInMemorySigner(
      'custodian',
      'arn:aws:kms:eu-west-1:000000000000:key/impostor',
    );
    const forged = await approve(world.approved[12]!.deposit, [
      signerOf(world, 'agency'),
      impostor,
    ]);
    await expectRecordRefused(extendChain(honest, 3, [forged]), 3, 'UNTRUSTED_KEY');
  });

  it('refuses a record with one approval only (SIGNATURE_MISSING)', async () => {
    const { deposit, signatures } = world.approved[12]!;
    const half = { deposit, signatures: signatures.slice(0, 1) };
    await expectRecordRefused(extendChain(honest, 3, [half]), 3, 'SIGNATURE_MISSING');
  });

  it("refuses a deposit id that is not its object version's, though both signed it", async () => {
    const deposit = { ...world.approved[12]!.deposit, versionId: 'another-version' };
    expect(depositIdFor(deposit)).not.toBe(deposit.depositId);
    const signed = await approve(deposit, world.signers);
    await expectRecordRefused(extendChain(honest, 3, [signed]), 3, 'DEPOSIT_ID_MISMATCH');
  });

  it('refuses a deposit recorded twice in the request, on another page (CHAIN_DUPLICATE)', async () => {
    // Pages of 4 from seq 2: [2, 6) then [6, 7); seq 6 repeats the deposit of seq 3.
    const firstPage = extendChain(honest, 2, world.approved.slice(2, 6));
    const records = extendChain(firstPage, 6, [world.approved[3]!]);
    await expectRecordRefused(records, 6, 'CHAIN_DUPLICATE');
  });

  it('refuses a record that does not link to the one before (CHAIN_LINK_MISMATCH)', async () => {
    const records = honest.map((r) =>
      r.seq === 5 ? sealRecord({ ...r, prevHash: 'f'.repeat(64) }) : r,
    );
    await expectRecordRefused(records, 5, 'CHAIN_LINK_MISMATCH');
  });

  it('refuses a ledger that returns fewer records than the tree has (CHAIN_GAP)', async () => {
    const cosigner = await cosignedUpTo(2, honest);
    cosigner.source.records = honest.slice(0, 7);
    const error = await cosignCheckpoint(proposalFor(honest, 2), cosigner.deps).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'COSIGN_RECORD_REFUSED',
      details: { seq: 7, reason: 'CHAIN_GAP' },
    });
  });

  it('refuses a record that claims another seq (CHAIN_GAP)', async () => {
    const records = honest.map((r) => (r.seq === 4 ? sealRecord({ ...r, seq: 5 }) : r));
    await expectRecordRefused(records, 4, 'CHAIN_GAP');
  });

  it('refuses a record that does not parse (INVALID_INPUT)', async () => {
    const records = honest.map((r) => (r.seq === 3 ? { ...r, extra: true } : r));
    await expectRecordRefused(records, 3, 'INVALID_INPUT');
  });
});

describe("when the party's memory of what it signed is consulted", () => {
  it('signs records whose facts it remembers signing', async () => {
    const memory = new InMemoryAttestationMemory(honest.map((r) => r.deposit));
    const result = await cosignCheckpoint(
      proposalFor(honest, 0),
      cosignerOf(world, honest, { memory }).deps,
    );
    expect(result.state.treeSize).toBe(10);
  });

  it('refuses a deposit it never signed with COSIGN_UNKNOWN_ATTESTATION', async () => {
    const memory = new InMemoryAttestationMemory(
      honest.filter((r) => r.seq !== 7).map((r) => r.deposit),
    );
    const cosigner = cosignerOf(world, honest, { memory });
    const error = await cosignCheckpoint(proposalFor(honest, 0), cosigner.deps).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'COSIGN_UNKNOWN_ATTESTATION',
      details: { seq: 7, signedOtherFacts: false },
    });
  });

  it('refuses a deposit whose facts differ from those it signed with COSIGN_UNKNOWN_ATTESTATION', async () => {
    const memory = new InMemoryAttestationMemory(honest.map((r) => r.deposit));
    memory.remember({ ...honest[1]!.deposit, sha256: 'b'.repeat(64) });
    const cosigner = cosignerOf(world, honest, { memory });
    const error = await cosignCheckpoint(proposalFor(honest, 0), cosigner.deps).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'COSIGN_UNKNOWN_ATTESTATION',
      details: { seq: 1, signedOtherFacts: true },
    });
  });
});

describe('when an anchored deposit is appended again, in a later request', () => {
  it('refuses the copy with COSIGN_RECORD_REFUSED (CHAIN_DUPLICATE): the party remembers where it co-signed it', async () => {
    const memory = new InMemoryAttestationMemory(honest.map((r) => r.deposit));
    const first = cosignerOf(world, honest.slice(0, 5), { memory });
    await cosignCheckpoint(proposalFor(honest.slice(0, 5), 0), first.deps);
    // Seq 5 re-appends deposit 2, correctly linked and signed by both parties.
    const copied = extendChain(honest, 5, [world.approved[2]!]);
    const second = cosignerOf(world, copied, { memory, state: first.store });
    const error = await cosignCheckpoint(proposalFor(copied, 5), second.deps).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'COSIGN_RECORD_REFUSED',
      details: { seq: 5, reason: 'CHAIN_DUPLICATE' },
    });
  });
});

describe('when a racing request advanced the state first', () => {
  it('refuses with COSIGN_STATE_CONFLICT and returns no signature', async () => {
    const cosigner = await cosignedUpTo(5);
    const before = cosigner.store.state;
    cosigner.store.loseNextRace = true;
    await expectRefused(cosigner, proposalFor(honest, 5), 'COSIGN_STATE_CONFLICT');
    expect(cosigner.store.state).toEqual(before);
  });
});

describe('when the stored state does not hold together', () => {
  const corrupt: [string, (s: NonNullable<Cosigner['store']['state']>) => unknown][] = [
    ['a frontier that does not reproduce the root', (s) => ({ ...s, rootHash: 'f'.repeat(64) })],
    ['a frontier of another size', (s) => ({ ...s, treeSize: s.treeSize + 1 })],
    [
      'a co-signed text of another log',
      (s) => ({ ...s, cosignedNote: s.cosignedNote!.replace(ORIGIN, 'other.example/log') }),
    ],
    ['an unknown property', (s) => ({ ...s, extra: 1 })],
  ];
  it.each(corrupt)('refuses %s with COSIGN_STATE_INVALID', async (_name, change) => {
    const good = await cosignedUpTo(5);
    const state = change(good.store.state!) as NonNullable<Cosigner['store']['state']>;
    const cosigner = cosignerOf(world, honest);
    cosigner.store.tamper(state);
    await expectRefused(cosigner, proposalFor(honest, 5), 'COSIGN_STATE_INVALID');
  });
});

describe("when the co-signer is given another party's key", () => {
  it('refuses with INVALID_INPUT', async () => {
    const noteSigner = noteSignerOf(signerOf(world, 'agency'));
    const cosigner = cosignerOf(world, honest, { noteSigner });
    await expectRefused(cosigner, proposalFor(honest, 0), 'INVALID_INPUT');
  });
});

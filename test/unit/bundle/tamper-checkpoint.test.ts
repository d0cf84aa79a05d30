/** The tamper suite, checkpoint and proofs: rewritten or forked checkpoints, bad proofs. */
import { beforeAll, describe, it } from 'vitest';
import { verifyBundle } from '../../../core/bundle';
import { buildRecords } from '../../../core/chain';
import { recordLeafHash } from '../../../core/merkle/hasher';
import { treeRoot } from '../../../core/merkle/tree';
import type { EvidenceBundleJson, TestLedger } from './fixtures';
import {
  approve, bundleOf, copyOf, createTestLedger, depositOf, ORIGIN, partySigners, signedNote,
} from './fixtures'; // prettier-ignore
import { expectFirstFailure } from './expectations';

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await createTestLedger();
});

/** The [1, 3] bundle with another checkpoint note. */
function withNote(note: string): EvidenceBundleJson {
  const bundle = copyOf(bundleOf(ledger, [1, 3]));
  bundle.checkpoint.note = note;
  return bundle;
}

/** A tree of the same size whose record 2 is another deposit: a fork. */
async function forkedRoot(): Promise<Uint8Array> {
  const other = await approve(depositOf(new Uint8Array([4, 2]), 'cases/fork.bin'), ledger.signers);
  const head = { nextSeq: 2, lastHash: ledger.records[1]!.recordHash };
  const [forked] = buildRecords(head, [other], new Date('2024-05-01T12:00:00.000Z')).records;
  const leaves = [...ledger.leafHashes];
  leaves[2] = recordLeafHash(forked!.recordHash);
  return treeRoot(leaves);
}

describe('when the checkpoint is rewritten', () => {
  it('fails with CHECKPOINT_SIGNATURE_INVALID when re-signed by untrusted keys', async () => {
    const checkpoint = {
      origin: ORIGIN,
      treeSize: 5,
      rootHash: treeRoot(ledger.leafHashes),
      extensions: [],
    };
    const note = await signedNote(checkpoint, await partySigners());
    expectFirstFailure(await verifyBundle(withNote(note), ledger.trusted), {
      check: 'checkpoint', code: 'CHECKPOINT_SIGNATURE_INVALID',
    }); // prettier-ignore
  });

  it('fails with CHECKPOINT_SIGNATURE_INVALID when its text is edited', async () => {
    const note = ledger.note.replace(`${ORIGIN}\n5\n`, `${ORIGIN}\n6\n`);
    expectFirstFailure(await verifyBundle(withNote(note), ledger.trusted), {
      check: 'checkpoint', code: 'CHECKPOINT_SIGNATURE_INVALID',
    }); // prettier-ignore
  });

  it('fails with CHECKPOINT_SIGNATURE_INVALID when a party signature line is removed', async () => {
    const note = ledger.note
      .split('\n')
      .filter((l) => !l.includes('/custodian '))
      .join('\n');
    expectFirstFailure(await verifyBundle(withNote(note), ledger.trusted), {
      check: 'checkpoint', code: 'CHECKPOINT_SIGNATURE_INVALID',
    }); // prettier-ignore
  });

  it('fails with CHECKPOINT_MALFORMED when a signature line from another key is added', async () => {
    const extra = `\u2014 witness.example/w1 ${Buffer.alloc(40, 7).toString('base64')}\n`;
    expectFirstFailure(await verifyBundle(withNote(ledger.note + extra), ledger.trusted), {
      check: 'checkpoint', code: 'CHECKPOINT_MALFORMED',
    }); // prettier-ignore
  });

  it('fails with CHECKPOINT_MALFORMED when the bundle origin differs from the checkpoint', async () => {
    const bundle = copyOf(bundleOf(ledger, [1]));
    bundle.origin = 'ledger.example/other';
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted), {
      check: 'checkpoint',
      code: 'CHECKPOINT_MALFORMED',
    });
  });
});

describe('when the tree is forked (another root for the same size)', () => {
  it('fails with CHECKPOINT_SIGNATURE_INVALID when the fork is signed by untrusted keys', async () => {
    const fork = { origin: ORIGIN, treeSize: 5, rootHash: await forkedRoot(), extensions: [] };
    const note = await signedNote(fork, await partySigners());
    expectFirstFailure(await verifyBundle(withNote(note), ledger.trusted), {
      check: 'checkpoint', code: 'CHECKPOINT_SIGNATURE_INVALID',
    }); // prettier-ignore
  });

  it('fails record.inclusion with ROOT_MISMATCH when the trusted keys signed the fork', async () => {
    const fork = { origin: ORIGIN, treeSize: 5, rootHash: await forkedRoot(), extensions: [] };
    const note = await signedNote(fork, ledger.signers);
    expectFirstFailure(await verifyBundle(withNote(note), ledger.trusted), {
      check: 'record.inclusion', code: 'ROOT_MISMATCH', itemIndex: 0, seq: 1,
    }); // prettier-ignore
  });
});

describe('when an inclusion proof is altered', () => {
  const edits: [
    string,
    (p: EvidenceBundleJson['items'][number]['inclusionProof']) => void,
    string,
  ][] = [
    ['truncated', (p) => void p.hashes.pop(), 'INCLUSION_PROOF_INVALID'],
    ['padded', (p) => void p.hashes.push('0'.repeat(64)), 'INCLUSION_PROOF_INVALID'],
    [
      'a node flipped',
      (p) =>
        void (p.hashes[0] = `${p.hashes[0]!.slice(0, 63)}${p.hashes[0]!.endsWith('0') ? '1' : '0'}`),
      'ROOT_MISMATCH',
    ],
    ['nodes swapped', (p) => void p.hashes.reverse(), 'ROOT_MISMATCH'],
    ['another leaf index', (p) => void (p.leafIndex = 2), 'INCLUSION_PROOF_INVALID'],
    ['another tree size', (p) => void (p.treeSize = 4), 'TREE_SIZE_INVALID'],
  ];
  it.each(edits)('fails record.inclusion when %s, with %s', async (_, edit, code) => {
    const bundle = copyOf(bundleOf(ledger, [1, 3]));
    edit(bundle.items[1]!.inclusionProof);
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted), {
      check: 'record.inclusion', code: code as 'ROOT_MISMATCH', itemIndex: 1, seq: 3,
    }); // prettier-ignore
  });
});

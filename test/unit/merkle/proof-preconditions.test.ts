import { bytesToHex } from '../../../core/encoding';
import { describe, expect, it } from 'vitest';
import type { LedgerError } from '../../../core/errors';
import { consistencyProof, verifyConsistency } from '../../../core/merkle/consistency';
import { rfc9162Hasher } from '../../../core/merkle/hasher';
import { inclusionProof, verifyInclusion } from '../../../core/merkle/inclusion';
import { treeRoot } from '../../../core/merkle/tree';
import { flipBit, makeLeafHashes } from './fixtures';

const leaves = makeLeafHashes(7);
const root = treeRoot(leaves);

describe('when an inclusion proof names a leaf outside the tree', () => {
  it('fails with TREE_SIZE_INVALID before hashing', () => {
    expect(() =>
      verifyInclusion({ leafIndex: 7, treeSize: 7, leafHash: leaves[0]!, proof: [], root }),
    ).toFailWithCode('TREE_SIZE_INVALID');
    expect(() =>
      verifyInclusion({ leafIndex: 0, treeSize: 0, leafHash: leaves[0]!, proof: [], root }),
    ).toFailWithCode('TREE_SIZE_INVALID');
    expect(() => inclusionProof(leaves, -1)).toFailWithCode('TREE_SIZE_INVALID');
    expect(() => inclusionProof(leaves, 1.5)).toFailWithCode('TREE_SIZE_INVALID');
  });
});

describe('when an inclusion proof has one node too many', () => {
  it('fails with INCLUSION_PROOF_INVALID', () => {
    const proof = [...inclusionProof(leaves, 3), root];
    expect(() =>
      verifyInclusion({ leafIndex: 3, treeSize: 7, leafHash: leaves[3]!, proof, root }),
    ).toFailWithCode('INCLUSION_PROOF_INVALID');
  });
});

describe('when an inclusion proof leads to another root', () => {
  it('fails with ROOT_MISMATCH carrying both roots in hex', () => {
    const proof = inclusionProof(leaves, 3);
    const wrongRoot = flipBit(root, 0, 0);
    try {
      verifyInclusion({ leafIndex: 3, treeSize: 7, leafHash: leaves[3]!, proof, root: wrongRoot });
      expect.fail('accepted');
    } catch (error) {
      expect((error as LedgerError).code).toBe('ROOT_MISMATCH');
      expect((error as LedgerError).details).toMatchObject({
        expected: bytesToHex(wrongRoot),
        calculated: bytesToHex(root),
      });
    }
  });
});

describe('consistency from a tree to itself', () => {
  it('is valid with an empty proof and equal roots', () => {
    expect(consistencyProof(leaves, 7)).toEqual([]);
    verifyConsistency({
      firstSize: 7,
      secondSize: 7,
      firstRoot: root,
      secondRoot: root,
      proof: [],
    });
  });
  it('fails with CONSISTENCY_PROOF_INVALID when the proof is not empty', () => {
    expect(() =>
      verifyConsistency({
        firstSize: 7,
        secondSize: 7,
        firstRoot: root,
        secondRoot: root,
        proof: [root],
      }),
    ).toFailWithCode('CONSISTENCY_PROOF_INVALID');
  });
  it('fails with ROOT_MISMATCH when the roots differ', () => {
    expect(() =>
      verifyConsistency({
        firstSize: 7,
        secondSize: 7,
        firstRoot: root,
        secondRoot: leaves[0]!,
        proof: [],
      }),
    ).toFailWithCode('ROOT_MISMATCH');
  });
});

describe('consistency from the empty tree', () => {
  const empty = rfc9162Hasher.emptyRoot();
  it('is valid only with an empty proof and the empty root', () => {
    expect(consistencyProof(leaves, 0)).toEqual([]);
    verifyConsistency({
      firstSize: 0,
      secondSize: 7,
      firstRoot: empty,
      secondRoot: root,
      proof: [],
    });
    expect(() =>
      verifyConsistency({
        firstSize: 0,
        secondSize: 7,
        firstRoot: empty,
        secondRoot: root,
        proof: [root],
      }),
    ).toFailWithCode('CONSISTENCY_PROOF_INVALID');
    expect(() =>
      verifyConsistency({
        firstSize: 0,
        secondSize: 7,
        firstRoot: root,
        secondRoot: root,
        proof: [],
      }),
    ).toFailWithCode('ROOT_MISMATCH');
  });
});

describe('consistency back in time', () => {
  it('fails with TREE_SIZE_INVALID', () => {
    expect(() =>
      verifyConsistency({
        firstSize: 7,
        secondSize: 6,
        firstRoot: root,
        secondRoot: root,
        proof: [],
      }),
    ).toFailWithCode('TREE_SIZE_INVALID');
    expect(() => consistencyProof(leaves, 8)).toFailWithCode('TREE_SIZE_INVALID');
  });
});

describe('consistency with a proof one node short', () => {
  it('fails with CONSISTENCY_PROOF_INVALID', () => {
    const proof = consistencyProof(leaves, 3).slice(1);
    expect(() =>
      verifyConsistency({
        firstSize: 3,
        secondSize: 7,
        firstRoot: treeRoot(leaves.slice(0, 3)),
        secondRoot: root,
        proof,
      }),
    ).toFailWithCode('CONSISTENCY_PROOF_INVALID');
  });
});

/**
 * Walks the published RFC 6962 / RFC 9162 vectors in test/vectors/rfc6962 (see its README
 * for the source and licence): hasher outputs, roots of the reference tree, reference
 * inclusion and consistency proofs. transparency-dev/merkle's data files of happy and broken
 * proofs are walked by transparency-dev-vectors.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../../core/encoding';
import {
  appendLeaves,
  compactRangeRoot,
  EMPTY_COMPACT_RANGE,
} from '../../../core/merkle/compact-range';
import { oneOfCodes } from '../../support/fail-with-code';
import { consistencyProof, verifyConsistency } from '../../../core/merkle/consistency';
import { rfc9162Hasher as hasher } from '../../../core/merkle/hasher';
import { inclusionProof, verifyInclusion } from '../../../core/merkle/inclusion';
import { treeRoot } from '../../../core/merkle/tree';
import { MERKLE_CODES } from './fixtures';

const VECTORS = new URL('../../vectors/rfc6962/', import.meta.url);
const readJson = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(path, VECTORS), 'utf8')) as T;

interface Reference {
  leaves: string[];
  roots: string[];
  inclusionProofs: { leaf: number; size: number; proof: string[] }[];
  consistencyProofs: { size1: number; size2: number; proof: string[] }[];
}
const reference = readJson<Reference>('reference.json');
const leafHashes = reference.leaves.map((leaf) => hasher.hashLeaf(hexToBytes(leaf)));
const rootOf = (size: number): Uint8Array => hexToBytes(reference.roots[size - 1]!);

describe('the RFC 9162 hasher', () => {
  const vectors = readJson<{
    emptyRoot: string;
    emptyLeaf: string;
    leaf: { data: string; hash: string };
    node: { left: string; right: string; hash: string };
  }>('hasher.json');

  it('hashes the empty tree, leaves and nodes as the published vectors say', () => {
    expect(bytesToHex(hasher.emptyRoot())).toBe(vectors.emptyRoot);
    expect(bytesToHex(hasher.hashLeaf(new Uint8Array()))).toBe(vectors.emptyLeaf);
    expect(bytesToHex(hasher.hashLeaf(hexToBytes(vectors.leaf.data)))).toBe(vectors.leaf.hash);
    const node = hasher.hashChildren(hexToBytes(vectors.node.left), hexToBytes(vectors.node.right));
    expect(bytesToHex(node)).toBe(vectors.node.hash);
  });
});

describe('the reference tree of eight leaves', () => {
  it.each(reference.roots.map((root, i) => [i + 1, root] as const))(
    'has the published root at size %i, from scratch and incrementally',
    (size, root) => {
      expect(bytesToHex(treeRoot(leafHashes.slice(0, size)))).toBe(root);
      const range = appendLeaves(EMPTY_COMPACT_RANGE, leafHashes.slice(0, size));
      expect(bytesToHex(compactRangeRoot(range))).toBe(root);
    },
  );
});

describe('the published inclusion proofs', () => {
  it.each(reference.inclusionProofs)('for leaf $leaf of $size are generated and verify', (v) => {
    const proof = v.proof.map((node) => hexToBytes(node));
    const leafIndex = v.leaf - 1; // the source numbers leaves from 1
    const claim = {
      leafIndex,
      treeSize: v.size,
      leafHash: leafHashes[leafIndex]!,
      proof,
      root: rootOf(v.size),
    };
    expect(
      inclusionProof(leafHashes.slice(0, v.size), leafIndex).map((n) => bytesToHex(n)),
    ).toEqual(v.proof);
    verifyInclusion(claim);
    expect(() => verifyInclusion({ ...claim, leafIndex: leafIndex + 1 })).toFailWithCode(
      oneOfCodes(MERKLE_CODES),
    );
    expect(() => verifyInclusion({ ...claim, treeSize: v.size * 2 })).toFailWithCode(
      oneOfCodes(MERKLE_CODES),
    );
    expect(() => verifyInclusion({ ...claim, proof: [...proof, claim.root] })).toFailWithCode(
      oneOfCodes(MERKLE_CODES),
    );
    if (proof.length > 0)
      expect(() => verifyInclusion({ ...claim, proof: proof.slice(1) })).toFailWithCode(
        oneOfCodes(MERKLE_CODES),
      );
  });
});

describe('the published consistency proofs', () => {
  it.each(reference.consistencyProofs)('from $size1 to $size2 are generated and verify', (v) => {
    const proof = v.proof.map((node) => hexToBytes(node));
    const claim = {
      firstSize: v.size1,
      secondSize: v.size2,
      firstRoot: rootOf(v.size1),
      secondRoot: rootOf(v.size2),
      proof,
    };
    expect(
      consistencyProof(leafHashes.slice(0, v.size2), v.size1).map((n) => bytesToHex(n)),
    ).toEqual(v.proof);
    verifyConsistency(claim);
    if (proof.length === 0) return;
    expect(() => verifyConsistency({ ...claim, firstSize: v.size1 + 1 })).toFailWithCode(
      oneOfCodes(MERKLE_CODES),
    );
    expect(() => verifyConsistency({ ...claim, proof: proof.slice(0, -1) })).toFailWithCode(
      oneOfCodes(MERKLE_CODES),
    );
    expect(() =>
      verifyConsistency({ ...claim, firstRoot: claim.secondRoot, secondRoot: claim.firstRoot }),
    ).toFailWithCode(oneOfCodes(MERKLE_CODES));
  });
});

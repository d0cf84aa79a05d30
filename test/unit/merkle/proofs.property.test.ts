/**
 * Properties over random tree sizes 1..2000: generated proofs verify, every mutation of a
 * proof or its claim is refused, and the incremental (compact range) root equals the root
 * computed from scratch. numRuns is bounded so the file stays well under 20 s on 2 cores.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendLeaves,
  compactRangeRoot,
  EMPTY_COMPACT_RANGE,
} from '../../../core/merkle/compact-range';
import { oneOfCodes } from '../../support/fail-with-code';
import { consistencyProof, verifyConsistency } from '../../../core/merkle/consistency';
import { inclusionProof, verifyInclusion } from '../../../core/merkle/inclusion';
import { treeRoot } from '../../../core/merkle/tree';
import {
  consistencyShape,
  MERKLE_CODES,
  flipBit,
  inclusionShape,
  makeLeafHashes,
} from './fixtures';

const MAX_SIZE = 2000;
const ALL_LEAVES = makeLeafHashes(MAX_SIZE);
const RUNS = { numRuns: 150 };

const sizeAndIndex = fc
  .integer({ min: 1, max: MAX_SIZE })
  .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })));
const twoSizes = fc
  .integer({ min: 1, max: MAX_SIZE })
  .chain((second) => fc.tuple(fc.integer({ min: 1, max: second }), fc.constant(second)));
const bitPosition = fc.tuple(
  fc.nat(),
  fc.integer({ min: 0, max: 31 }),
  fc.integer({ min: 0, max: 7 }),
);

describe('inclusion proofs for a random leaf of a random tree', () => {
  it('verify, and are refused after any single mutation', () => {
    fc.assert(
      fc.property(
        sizeAndIndex,
        bitPosition,
        fc.integer({ min: 1, max: MAX_SIZE }),
        ([size, index], [node, byte, bit], other) => {
          const leaves = ALL_LEAVES.slice(0, size);
          const proof = inclusionProof(leaves, index);
          const claim = {
            leafIndex: index,
            treeSize: size,
            leafHash: leaves[index]!,
            proof,
            root: treeRoot(leaves),
          };
          verifyInclusion(claim);
          expect(() => verifyInclusion({ ...claim, proof: [...proof, claim.root] })).toFailWithCode(
            oneOfCodes(MERKLE_CODES),
          );
          if (proof.length > 0) {
            expect(() => verifyInclusion({ ...claim, proof: proof.slice(0, -1) })).toFailWithCode(
              oneOfCodes(MERKLE_CODES),
            );
            const at = node % proof.length;
            const flipped = proof.map((p, i) => (i === at ? flipBit(p, byte, bit) : p));
            expect(() => verifyInclusion({ ...claim, proof: flipped })).toFailWithCode(
              'ROOT_MISMATCH',
            );
          }
          expect(() =>
            verifyInclusion({ ...claim, leafHash: flipBit(claim.leafHash, byte, bit) }),
          ).toFailWithCode(oneOfCodes(MERKLE_CODES));
          const wrongIndex = (index + other) % (size + 1);
          if (
            wrongIndex === size ||
            inclusionShape(wrongIndex, size) !== inclusionShape(index, size)
          )
            expect(() => verifyInclusion({ ...claim, leafIndex: wrongIndex })).toFailWithCode(
              oneOfCodes(MERKLE_CODES),
            );
          if (other <= index || inclusionShape(index, other) !== inclusionShape(index, size))
            expect(() => verifyInclusion({ ...claim, treeSize: other })).toFailWithCode(
              oneOfCodes(MERKLE_CODES),
            );
        },
      ),
      RUNS,
    );
  });
});

describe('consistency proofs between two random sizes', () => {
  it('verify, and are refused after any single mutation', () => {
    fc.assert(
      fc.property(
        twoSizes,
        bitPosition,
        fc.integer({ min: 1, max: MAX_SIZE }),
        ([first, second], [node, byte, bit], other) => {
          const leaves = ALL_LEAVES.slice(0, second);
          const proof = consistencyProof(leaves, first);
          const claim = {
            firstSize: first,
            secondSize: second,
            firstRoot: treeRoot(leaves.slice(0, first)),
            secondRoot: treeRoot(leaves),
            proof,
          };
          verifyConsistency(claim);
          expect(() =>
            verifyConsistency({ ...claim, proof: [...proof, claim.firstRoot] }),
          ).toFailWithCode(oneOfCodes(MERKLE_CODES));
          expect(() =>
            verifyConsistency({ ...claim, firstRoot: flipBit(claim.firstRoot, byte, bit) }),
          ).toFailWithCode('ROOT_MISMATCH');
          expect(() =>
            verifyConsistency({ ...claim, secondRoot: flipBit(claim.secondRoot, byte, bit) }),
          ).toFailWithCode('ROOT_MISMATCH');
          if (proof.length > 0) {
            expect(() => verifyConsistency({ ...claim, proof: proof.slice(0, -1) })).toFailWithCode(
              oneOfCodes(MERKLE_CODES),
            );
            const at = node % proof.length;
            const flipped = proof.map((p, i) => (i === at ? flipBit(p, byte, bit) : p));
            expect(() => verifyConsistency({ ...claim, proof: flipped })).toFailWithCode(
              'ROOT_MISMATCH',
            );
          }
          if (other > second || consistencyShape(other, second) !== consistencyShape(first, second))
            expect(() => verifyConsistency({ ...claim, firstSize: other })).toFailWithCode(
              oneOfCodes(MERKLE_CODES),
            );
          if (other < first || consistencyShape(first, other) !== consistencyShape(first, second))
            expect(() => verifyConsistency({ ...claim, secondSize: other })).toFailWithCode(
              oneOfCodes(MERKLE_CODES),
            );
        },
      ),
      RUNS,
    );
  });
});

describe('a compact range extended in two steps', () => {
  it('has the same root as the tree computed from scratch, at both sizes', () => {
    fc.assert(
      fc.property(twoSizes, ([split, size]) => {
        const leaves = ALL_LEAVES.slice(0, size);
        const first = appendLeaves(EMPTY_COMPACT_RANGE, leaves.slice(0, split));
        const stored = JSON.parse(JSON.stringify(first)) as typeof first; // survives storage
        const second = appendLeaves(stored, leaves.slice(split));
        expect(compactRangeRoot(first)).toEqual(treeRoot(leaves.slice(0, split)));
        expect(second.size).toBe(size);
        expect(compactRangeRoot(second)).toEqual(treeRoot(leaves));
      }),
      RUNS,
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendLeaves,
  compactRangeRoot,
  EMPTY_COMPACT_RANGE,
} from '../../../core/merkle/compact-range';
import { consistencyProof, verifyConsistency } from '../../../core/merkle/consistency';
import { consistencyProofFromRange } from '../../../core/merkle/consistency-from-range';
import { rfc9162Hasher } from '../../../core/merkle/hasher';
import { treeRoot } from '../../../core/merkle/tree';

const leaves = (n: number) =>
  Array.from({ length: n }, (_, i) => rfc9162Hasher.hashLeaf(new Uint8Array([i & 255, i >> 8])));

describe('consistency proofs from a compact range and the new leaves', () => {
  it('equal the proofs computed from all leaves, for any old and new size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        (m, added) => {
          const all = leaves(m + added);
          const range = appendLeaves(EMPTY_COMPACT_RANGE, all.slice(0, m));
          const fromRange = consistencyProofFromRange(range, all.slice(m));
          expect(fromRange).toEqual(consistencyProof(all, m));
          verifyConsistency({
            firstSize: m,
            secondSize: m + added,
            firstRoot: compactRangeRoot(range),
            secondRoot: treeRoot(all),
            proof: fromRange,
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

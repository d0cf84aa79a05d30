/**
 * Merkle consistency proofs, RFC 9162 §2.1.4: evidence that the tree of size `firstSize` is
 * a prefix of the tree of size `secondSize`, i.e. that nothing anchored before was changed.
 *
 * Generation works from the full list of leaf hashes and costs O(N) hashes, for the same
 * reasons as inclusion proofs (see inclusion.ts).
 */
import { LedgerError } from '../errors';
import { requireCount, requireHash, requireSameRoot } from './checks';
import { rfc9162Hasher, type LogHasher } from './hasher';
import { dropSharedRightEdge, isPowerOfTwo, proofSides } from './proof-path';
import { largestPowerOfTwoBelow, subtreeRoot } from './tree';

export interface ConsistencyClaim {
  readonly firstSize: number;
  readonly secondSize: number;
  readonly firstRoot: Uint8Array;
  readonly secondRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/** Throws TREE_SIZE_INVALID unless 0 <= firstSize <= secondSize, both safe integers. */
export function requireOrderedSizes(firstSize: number, secondSize: number): void {
  requireCount(firstSize, 'firstSize');
  requireCount(secondSize, 'secondSize');
  if (firstSize > secondSize) {
    throw new LedgerError('TREE_SIZE_INVALID', 'firstSize must not exceed secondSize', {
      firstSize,
      secondSize,
    });
  }
}

function invalidProof(message: string, details: Record<string, unknown>): LedgerError {
  return new LedgerError('CONSISTENCY_PROOF_INVALID', message, details);
}

/** The root of the subtree over leaves [begin, end): where proof nodes come from. */
export type SubtreeRootSource = (begin: number, end: number) => Uint8Array;

/**
 * PROOF(m, D[n]) of RFC 9162 §2.1.4.1 for m = firstSize, n = secondSize, with node hashes
 * from `subtree`. Every node it asks for lies wholly inside [0, m) or wholly inside [m, n),
 * which is what lets consistency-from-range.ts answer from a compact range and new leaves.
 */
export function consistencyProofNodes(
  firstSize: number,
  secondSize: number,
  subtree: SubtreeRootSource,
): Uint8Array[] {
  requireOrderedSizes(firstSize, secondSize);
  if (firstSize === 0) return [];
  const topDown: Uint8Array[] = [];
  let [begin, end, m, wholeFirstTree] = [0, secondSize, firstSize, true];
  while (m !== end - begin) {
    const k = largestPowerOfTwoBelow(end - begin);
    if (m <= k) {
      topDown.push(subtree(begin + k, end));
      end = begin + k;
    } else {
      topDown.push(subtree(begin, begin + k));
      [begin, m, wholeFirstTree] = [begin + k, m - k, false];
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b = true the old root is known already.
  if (!wholeFirstTree) topDown.push(subtree(begin, end));
  return topDown.reverse();
}

/**
 * PROOF(m, D[n]) for m = firstSize over the given leaf hashes (n is their count). Empty when
 * m is 0 or m equals n. O(N) hashes.
 */
export function consistencyProof(
  leafHashes: readonly Uint8Array[],
  firstSize: number,
  hasher: LogHasher = rfc9162Hasher,
): Uint8Array[] {
  return consistencyProofNodes(firstSize, leafHashes.length, (begin, end) =>
    subtreeRoot(leafHashes, begin, end, hasher),
  );
}

/**
 * Verifies a consistency proof (RFC 9162 §2.1.4.2). Preconditions, checked before hashing:
 * 0 <= firstSize <= secondSize (TREE_SIZE_INVALID); when firstSize is 0 or equals secondSize
 * the proof must be empty, otherwise it must have exactly the length the two tree shapes
 * require and hash-sized elements (CONSISTENCY_PROOF_INVALID). A recomputed root that
 * differs throws ROOT_MISMATCH with details {tree, expected, calculated}.
 */
export function verifyConsistency(
  claim: ConsistencyClaim,
  hasher: LogHasher = rfc9162Hasher,
): void {
  const { firstSize, secondSize, firstRoot, secondRoot, proof } = claim;
  requireOrderedSizes(firstSize, secondSize);
  if (firstSize === 0 || firstSize === secondSize) {
    if (proof.length !== 0) {
      throw invalidProof('a proof from an empty or equal tree must be empty', {
        firstSize,
        secondSize,
        actualLength: proof.length,
      });
    }
    if (firstSize === 0) requireSameRoot(hasher.emptyRoot(), firstRoot, { tree: 'first' });
    else requireSameRoot(firstRoot, secondRoot, { tree: 'second' });
    return;
  }
  const [fn, sn] = dropSharedRightEdge(firstSize - 1, secondSize - 1);
  const sides = proofSides(fn, sn);
  // Step 1: when firstSize is a power of two the old root is itself a node of the new tree.
  const path = isPowerOfTwo(firstSize) ? [firstRoot, ...proof] : [...proof];
  if (path.length !== sides.length + 1) {
    throw invalidProof('consistency proof has the wrong length', {
      firstSize,
      secondSize,
      expectedLength: sides.length + 1 - (path.length - proof.length),
      actualLength: proof.length,
    });
  }
  proof.forEach((node) => requireHash(node, hasher, 'CONSISTENCY_PROOF_INVALID', 'proof node'));
  let fr = path[0]!;
  let sr = fr;
  sides.forEach((left, i) => {
    const c = path[i + 1]!;
    if (left) [fr, sr] = [hasher.hashChildren(c, fr), hasher.hashChildren(c, sr)];
    else sr = hasher.hashChildren(sr, c);
  });
  requireSameRoot(firstRoot, fr, { tree: 'first', firstSize });
  requireSameRoot(secondRoot, sr, { tree: 'second', secondSize });
}

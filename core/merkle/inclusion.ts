/**
 * Merkle audit paths (inclusion proofs), RFC 9162 §2.1.3.
 *
 * Generation works from the full list of leaf hashes and costs O(N) hashes: every sibling
 * subtree root is recomputed. That is acceptable for now because the anchor already reads
 * every record hash of the ledger to build the tree, proofs are produced offline (per
 * checkpoint, not per request), and ledgers here are thousands of records, not billions.
 * A tile or node store (as in transparency-dev/tessera) is the upgrade path if that changes.
 */
import { LedgerError } from '../errors';
import { requireCount, requireHash, requireSameRoot } from './checks';
import type { SubtreeRootSource } from './consistency';
import { rfc9162Hasher, type LogHasher } from './hasher';
import { proofSides } from './proof-path';
import { largestPowerOfTwoBelow, subtreeRoot } from './tree';

export interface InclusionClaim {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** The leaf hash, HASH(0x00 || data). */
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  /** The root the proof must lead to. */
  readonly root: Uint8Array;
}

/** Throws TREE_SIZE_INVALID unless 0 <= leafIndex < treeSize, both safe integers. */
export function requireIndexInTree(leafIndex: number, treeSize: number): void {
  requireCount(leafIndex, 'leafIndex');
  requireCount(treeSize, 'treeSize');
  if (leafIndex >= treeSize) {
    throw new LedgerError('TREE_SIZE_INVALID', 'leafIndex must be smaller than treeSize', {
      leafIndex,
      treeSize,
    });
  }
}

/**
 * PATH(m, D[n]) of RFC 9162 §2.1.3.1 for m = leafIndex and n = treeSize, with node hashes from
 * `subtree`: sibling roots from the leaf up to the root. Every node it asks for is a perfect
 * subtree or a subtree ending at treeSize, which is what lets core/tlog answer from tiles.
 */
export function inclusionProofNodes(
  leafIndex: number,
  treeSize: number,
  subtree: SubtreeRootSource,
): Uint8Array[] {
  requireIndexInTree(leafIndex, treeSize);
  const topDown: Uint8Array[] = [];
  let begin = 0;
  let end = treeSize;
  while (end - begin > 1) {
    const split = begin + largestPowerOfTwoBelow(end - begin);
    if (leafIndex < split) {
      topDown.push(subtree(split, end));
      end = split;
    } else {
      topDown.push(subtree(begin, split));
      begin = split;
    }
  }
  return topDown.reverse();
}

/** PATH(m, D[n]) over the given leaf hashes. O(N) hashes (see the module comment). */
export function inclusionProof(
  leafHashes: readonly Uint8Array[],
  leafIndex: number,
  hasher: LogHasher = rfc9162Hasher,
): Uint8Array[] {
  return inclusionProofNodes(leafIndex, leafHashes.length, (begin, end) =>
    subtreeRoot(leafHashes, begin, end, hasher),
  );
}

/**
 * Recomputes the root from an inclusion proof (RFC 9162 §2.1.3.2 steps 1-4).
 * Preconditions, checked before any hashing: 0 <= leafIndex < treeSize (TREE_SIZE_INVALID);
 * the leaf hash and every proof element are hash-sized and the proof has exactly the length
 * the tree shape requires (INCLUSION_PROOF_INVALID).
 */
export function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  hasher: LogHasher = rfc9162Hasher,
): Uint8Array {
  requireIndexInTree(leafIndex, treeSize);
  requireHash(leafHash, hasher, 'INCLUSION_PROOF_INVALID', 'leaf hash');
  const sides = proofSides(leafIndex, treeSize - 1);
  if (proof.length !== sides.length) {
    throw new LedgerError('INCLUSION_PROOF_INVALID', 'inclusion proof has the wrong length', {
      leafIndex,
      treeSize,
      expectedLength: sides.length,
      actualLength: proof.length,
    });
  }
  proof.forEach((node) => requireHash(node, hasher, 'INCLUSION_PROOF_INVALID', 'proof node'));
  return proof.reduce(
    (r, node, i) => (sides[i] ? hasher.hashChildren(node, r) : hasher.hashChildren(r, node)),
    leafHash,
  );
}

/**
 * Verifies that `leafHash` is leaf number `leafIndex` of the tree of size `treeSize` with
 * root `root`. Throws a LedgerError: TREE_SIZE_INVALID, INCLUSION_PROOF_INVALID, or
 * ROOT_MISMATCH with details {expected, calculated} in hex.
 */
export function verifyInclusion(claim: InclusionClaim, hasher: LogHasher = rfc9162Hasher): void {
  const { leafIndex, treeSize, leafHash, proof, root } = claim;
  const calculated = rootFromInclusionProof(leafIndex, treeSize, leafHash, proof, hasher);
  requireSameRoot(root, calculated, { leafIndex, treeSize });
}

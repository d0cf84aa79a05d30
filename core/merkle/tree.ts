/**
 * The Merkle Tree Hash (MTH) of RFC 9162 §2.1.1 over a list of leaf hashes:
 *
 *   MTH({})      = HASH()
 *   MTH({d0})    = leaf hash of d0
 *   MTH(D[n])    = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])),  k = largest power of 2 < n
 *
 * Inputs are leaf hashes (already HASH(0x00 || data)), the unit every other module uses.
 */
import { rfc9162Hasher, type LogHasher } from './hasher';

/** The largest power of two strictly smaller than `n` (n >= 2). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH of leafHashes[begin:end]; O(end - begin) hashes, recursion depth O(log n). */
export function subtreeRoot(
  leafHashes: readonly Uint8Array[],
  begin: number,
  end: number,
  hasher: LogHasher,
): Uint8Array {
  const n = end - begin;
  if (n === 0) return hasher.emptyRoot();
  if (n === 1) return leafHashes[begin]!;
  const split = begin + largestPowerOfTwoBelow(n);
  return hasher.hashChildren(
    subtreeRoot(leafHashes, begin, split, hasher),
    subtreeRoot(leafHashes, split, end, hasher),
  );
}

/** The root of the tree whose leaves have the given leaf hashes, in order. */
export function treeRoot(
  leafHashes: readonly Uint8Array[],
  hasher: LogHasher = rfc9162Hasher,
): Uint8Array {
  return subtreeRoot(leafHashes, 0, leafHashes.length, hasher);
}

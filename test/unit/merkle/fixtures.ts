/** Helpers shared by the Merkle tests: leaf lists, mutations, the Merkle refusal codes. */
import type { LedgerErrorCode } from '../../../core/errors';
import { rfc9162Hasher } from '../../../core/merkle/hasher';
import { dropSharedRightEdge, isPowerOfTwo, proofSides } from '../../../core/merkle/proof-path';

/** Deterministic distinct leaf hashes for a tree of `size` leaves. */
export function makeLeafHashes(size: number): Uint8Array[] {
  return Array.from({ length: size }, (_, i) =>
    rfc9162Hasher.hashLeaf(new TextEncoder().encode(`record ${i}`)),
  );
}

/** A copy of `bytes` with bit `bit` (0-7) of byte `index` flipped. */
export function flipBit(bytes: Uint8Array, index: number, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] = copy[index]! ^ (1 << bit);
  return copy;
}

/** Every code a Merkle check refuses with: for mutations that may break a proof either way. */
export const MERKLE_CODES: readonly LedgerErrorCode[] = [
  'TREE_SIZE_INVALID',
  'INCLUSION_PROOF_INVALID',
  'CONSISTENCY_PROOF_INVALID',
  'ROOT_MISMATCH',
];

/**
 * The shape of a proof: how many nodes it has and on which side each is hashed. A claim
 * whose size or index is changed but keeps the same shape hashes the same nodes the same way,
 * so no verifier can tell it apart (the signed checkpoint is what binds the size); property
 * tests therefore only expect refusal when the shape changes.
 */
export function inclusionShape(leafIndex: number, treeSize: number): string {
  return proofSides(leafIndex, treeSize - 1).join();
}

export function consistencyShape(firstSize: number, secondSize: number): string {
  const [fn, sn] = dropSharedRightEdge(firstSize - 1, secondSize - 1);
  return `${isPowerOfTwo(firstSize)}:${proofSides(fn, sn).join()}`;
}

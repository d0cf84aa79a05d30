/**
 * A compact range [0, size) — the "frontier" of an append-only Merkle tree: the roots of the
 * perfect subtrees that tile the leaves, largest (leftmost) first, one per set bit of `size`.
 * See transparency-dev/merkle docs/compact_ranges.md.
 *
 * The state is plain JSON ({size, hashes: hex[]}) so the anchor can store it between runs and
 * extend it with only the new records: appending k leaves costs O(k + log N) hashes, and the
 * root is available at any size without re-reading the ledger.
 */
import { bytesToHex, hexToBytes } from '../encoding';
import { LedgerError } from '../errors';
import { requireCount, requireHash } from './checks';
import { rfc9162Hasher, type LogHasher } from './hasher';

export interface CompactRange {
  /** Number of leaves covered, [0, size). */
  readonly size: number;
  /** Lower-case hex roots of the perfect subtrees, leftmost (largest) first. */
  readonly hashes: readonly string[];
}

export const EMPTY_COMPACT_RANGE: CompactRange = { size: 0, hashes: [] };

const HASH_HEX = /^[0-9a-f]{64}$/;

function popcount(n: number): number {
  let count = 0;
  for (let s = n; s > 0; s = Math.floor(s / 2)) count += s % 2;
  return count;
}

/**
 * Checks a compact range read back from storage (attacker-controlled): a safe size and
 * exactly one 64-hex hash per set bit of it. Throws TREE_SIZE_INVALID or INVALID_INPUT.
 */
export function parseCompactRange(value: unknown): CompactRange {
  const candidate = (value ?? {}) as { size?: unknown; hashes?: unknown };
  const { size, hashes } = candidate;
  if (typeof size !== 'number') throw new LedgerError('TREE_SIZE_INVALID', 'size missing');
  requireCount(size, 'size');
  if (!Array.isArray(hashes) || hashes.length !== popcount(size)) {
    throw new LedgerError('TREE_SIZE_INVALID', 'compact range needs one hash per set bit', {
      size,
    });
  }
  if (!hashes.every((hash): hash is string => typeof hash === 'string' && HASH_HEX.test(hash))) {
    throw new LedgerError('INVALID_INPUT', 'compact range hashes must be 64 lower-case hex');
  }
  return { size, hashes: [...hashes] };
}

/** The range extended by `leafHashes`, in order. The input range is not modified. */
export function appendLeaves(
  range: CompactRange,
  leafHashes: readonly Uint8Array[],
  hasher: LogHasher = rfc9162Hasher,
): CompactRange {
  const { size: start, hashes } = parseCompactRange(range);
  const stack: Uint8Array[] = hashes.map((hash) => hexToBytes(hash));
  let size = start;
  for (const leafHash of leafHashes) {
    requireHash(leafHash, hasher, 'INVALID_INPUT', 'leaf hash');
    let node = leafHash;
    // Each trailing 1 bit of size is a perfect subtree the new node completes.
    for (let s = size; s % 2 === 1; s = (s - 1) / 2) node = hasher.hashChildren(stack.pop()!, node);
    stack.push(node);
    size += 1;
  }
  return { size, hashes: stack.map((node) => bytesToHex(node)) };
}

/** MTH of the covered leaves: the subtree roots folded from the right. */
export function compactRangeRoot(
  range: CompactRange,
  hasher: LogHasher = rfc9162Hasher,
): Uint8Array {
  const nodes: Uint8Array[] = parseCompactRange(range).hashes.map((hash) => hexToBytes(hash));
  if (nodes.length === 0) return hasher.emptyRoot();
  return nodes.reduceRight((right, left) => hasher.hashChildren(left, right));
}

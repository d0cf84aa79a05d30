/**
 * Consistency proofs for an anchor run, at a cost that grows with the new leaves only:
 * every node of PROOF(m, D[n]) is either a perfect subtree of [0, m), which is exactly a node
 * of the compact range of size m, or a subtree of the new leaves [m, n).
 */
import { hexToBytes } from '../encoding';
import { LedgerError } from '../errors';
import { parseCompactRange, type CompactRange } from './compact-range';
import { consistencyProofNodes } from './consistency';
import { rfc9162Hasher, type LogHasher } from './hasher';
import { subtreeRoot } from './tree';

/** The compact range's nodes by the leaf interval each covers, "begin:end". */
function rangeNodes(range: CompactRange): Map<string, Uint8Array> {
  const nodes = new Map<string, Uint8Array>();
  let begin = 0;
  let remaining = range.size;
  for (const hash of range.hashes) {
    let width = 1;
    while (width * 2 <= remaining) width *= 2;
    nodes.set(`${begin}:${begin + width}`, hexToBytes(hash));
    begin += width;
    remaining -= width;
  }
  return nodes;
}

/** PROOF(range.size, D[range.size + newLeafHashes.length]) in O(new leaves + log N) hashes. */
export function consistencyProofFromRange(
  range: CompactRange,
  newLeafHashes: readonly Uint8Array[],
  hasher: LogHasher = rfc9162Hasher,
): Uint8Array[] {
  const { size: m } = parseCompactRange(range);
  const nodes = rangeNodes(range);
  return consistencyProofNodes(m, m + newLeafHashes.length, (begin, end) => {
    if (begin >= m) return subtreeRoot(newLeafHashes, begin - m, end - m, hasher);
    const node = nodes.get(`${begin}:${end}`);
    if (!node) {
      throw new LedgerError('TREE_SIZE_INVALID', 'proof node is not a node of the compact range', {
        begin,
        end,
        m,
      });
    }
    return node;
  });
}

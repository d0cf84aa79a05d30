/**
 * RFC 9162 proofs and roots from tiles, in the three steps of transparency-dev/merkle: work
 * out which nodes the proof needs (core/merkle's own node walk, run once with a recorder),
 * read the tiles holding them (each distinct tile once, in parallel), then compute the nodes.
 * The proofs are byte for byte those core/merkle computes from all leaf hashes.
 *
 * Reads: at each tile level, the tile on the leaf's path and the rightmost tile of the tree,
 * so at most 2 per level, 2 * ceil(log256 n) + 2 for a tree of n leaves.
 *
 * Tiles are not authenticated here: a tile from a mirror may lie. Verify what these return
 * against a signed checkpoint's root (verifyInclusion, verifyConsistency); a proof built from
 * a changed hash fails there with ROOT_MISMATCH.
 */
import { bytesToHex } from '../encoding';
import { requireCount } from '../merkle/checks';
import type { CompactRange } from '../merkle/compact-range';
import { consistencyProofNodes, type SubtreeRootSource } from '../merkle/consistency';
import { rfc9162Hasher, type LogHasher } from '../merkle/hasher';
import { inclusionProofNodes, requireIndexInTree } from '../merkle/inclusion';
import { perfectSubtreeRanges, rangeRootFromTiles, tilesForRanges } from './tile-nodes';
import { readTiles, type TileReader } from './tile-reader';

const NOT_YET_READ = new Uint8Array(0);

/** Runs `walk` once to learn the ranges it needs, reads their tiles, and runs it for real. */
async function fromTiles<T>(
  reader: TileReader,
  treeSize: number,
  walk: (subtree: SubtreeRootSource) => T,
  hasher: LogHasher,
): Promise<T> {
  const ranges: [number, number][] = [];
  walk((begin, end) => {
    ranges.push([begin, end]);
    return NOT_YET_READ;
  });
  const tiles = await readTiles(reader, tilesForRanges(ranges, treeSize));
  return walk((begin, end) => rangeRootFromTiles(tiles, begin, end, treeSize, hasher));
}

/** PATH(leafIndex, D[treeSize]) (RFC 9162 §2.1.3.1) from tiles. TREE_SIZE_INVALID first. */
export async function inclusionProofFromTiles(
  reader: TileReader,
  leafIndex: number,
  treeSize: number,
  hasher: LogHasher = rfc9162Hasher,
): Promise<Uint8Array[]> {
  return await fromTiles(
    reader,
    treeSize,
    (subtree) => inclusionProofNodes(leafIndex, treeSize, subtree),
    hasher,
  );
}

/** PROOF(firstSize, D[secondSize]) (RFC 9162 §2.1.4.1) from the tiles of the second tree. */
export async function consistencyProofFromTiles(
  reader: TileReader,
  firstSize: number,
  secondSize: number,
  hasher: LogHasher = rfc9162Hasher,
): Promise<Uint8Array[]> {
  return await fromTiles(
    reader,
    secondSize,
    (subtree) => consistencyProofNodes(firstSize, secondSize, subtree),
    hasher,
  );
}

/** MTH(D[treeSize]) from the rightmost tile of each level; the empty root reads nothing. */
export async function treeRootFromTiles(
  reader: TileReader,
  treeSize: number,
  hasher: LogHasher = rfc9162Hasher,
): Promise<Uint8Array> {
  requireCount(treeSize, 'treeSize');
  return await fromTiles(reader, treeSize, (subtree) => subtree(0, treeSize), hasher);
}

/** The leaf hash of leaf `leafIndex` from the level-0 tile of the tree of `treeSize`. */
export async function leafHashFromTiles(
  reader: TileReader,
  leafIndex: number,
  treeSize: number,
  hasher: LogHasher = rfc9162Hasher,
): Promise<Uint8Array> {
  requireIndexInTree(leafIndex, treeSize);
  return await fromTiles(reader, treeSize, (subtree) => subtree(leafIndex, leafIndex + 1), hasher);
}

/**
 * The compact range of the tree of `treeSize` (core/merkle/compact-range.ts), from its
 * rightmost tiles: lets a writer that keeps tiles resume appendLeaves without the ledger.
 */
export async function compactRangeFromTiles(
  reader: TileReader,
  treeSize: number,
  hasher: LogHasher = rfc9162Hasher,
): Promise<CompactRange> {
  requireCount(treeSize, 'treeSize');
  return await fromTiles(
    reader,
    treeSize,
    (subtree) => {
      const hashes = perfectSubtreeRanges(0, treeSize).map(([begin, end]) =>
        bytesToHex(subtree(begin, end)),
      );
      return { size: treeSize, hashes };
    },
    hasher,
  );
}

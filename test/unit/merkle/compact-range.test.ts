import { describe, expect, it } from 'vitest';
import {
  appendLeaves,
  compactRangeRoot,
  EMPTY_COMPACT_RANGE,
  parseCompactRange,
} from '../../../core/merkle/compact-range';
import { rfc9162Hasher } from '../../../core/merkle/hasher';
import { treeRoot } from '../../../core/merkle/tree';
import { makeLeafHashes } from './fixtures';

describe('the empty compact range', () => {
  it('has the empty-tree root', () => {
    expect(compactRangeRoot(EMPTY_COMPACT_RANGE)).toEqual(rfc9162Hasher.emptyRoot());
  });
});

describe('a compact range grown one leaf at a time', () => {
  it('holds one hash per set bit of its size and matches the full-tree root at every size', () => {
    const leaves = makeLeafHashes(70);
    let range = EMPTY_COMPACT_RANGE;
    leaves.forEach((leaf, i) => {
      range = appendLeaves(range, [leaf]);
      expect(range.hashes).toHaveLength((i + 1).toString(2).replaceAll('0', '').length);
      expect(compactRangeRoot(range)).toEqual(treeRoot(leaves.slice(0, i + 1)));
    });
  });
});

describe('when a stored compact range is tampered with', () => {
  const range = appendLeaves(EMPTY_COMPACT_RANGE, makeLeafHashes(5));
  it('fails with TREE_SIZE_INVALID if its size does not match its hashes', () => {
    expect(() => parseCompactRange({ ...range, size: 7 })).toFailWithCode('TREE_SIZE_INVALID');
    expect(() => parseCompactRange({ ...range, size: -1 })).toFailWithCode('TREE_SIZE_INVALID');
    expect(() => parseCompactRange(null)).toFailWithCode('TREE_SIZE_INVALID');
  });
  it('fails with INVALID_INPUT if a hash is not 64 lower-case hex digits', () => {
    expect(() =>
      parseCompactRange({ ...range, hashes: [range.hashes[0]!.toUpperCase(), range.hashes[1]] }),
    ).toFailWithCode('INVALID_INPUT');
  });
});

describe('when a leaf hash has the wrong length', () => {
  it('fails with INVALID_INPUT', () => {
    expect(() => appendLeaves(EMPTY_COMPACT_RANGE, [new Uint8Array(31)])).toFailWithCode(
      'INVALID_INPUT',
    );
  });
});

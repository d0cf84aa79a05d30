/**
 * Tile and entry-bundle paths against c2sp.org/tlog-tiles (C2SP/C2SP tlog-tiles.md, "Merkle
 * Tree" and "Log entries"), and strict parsing of paths read from a bucket or a mirror.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerError } from '../../../core/errors';
import {
  entryBundlePath,
  hashTilePath,
  parseEntryBundlePath,
  parseHashTilePath,
} from '../../../core/tlog/tile-path';

function expectInvalidPath(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    expect(isLedgerError(error, 'TILE_PATH_INVALID'), String(error)).toBe(true);
    return;
  }
  expect.fail('expected TILE_PATH_INVALID');
}

describe('tile paths as c2sp.org/tlog-tiles writes them', () => {
  it('encodes index 1234067 as x001/x234/067', () => {
    // Spec: "For example, index 1234067 will be encoded as `x001/x234/067`."
    expect(hashTilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(entryBundlePath({ index: 1234067, width: 256 })).toBe('tile/entries/x001/x234/067');
  });

  it('writes <L>/<N> for a full tile and <L>/<N>.p/<W> for a partial one', () => {
    // Spec: "<prefix>/tile/<L>/<N>[.p/<W>]"; "The `.p/<W>` suffix is only present for partial tiles".
    expect(hashTilePath({ level: 0, index: 0, width: 256 })).toBe('tile/0/000');
    expect(hashTilePath({ level: 1, index: 0, width: 17 })).toBe('tile/1/000.p/17');
    expect(hashTilePath({ level: 2, index: 1000, width: 1 })).toBe('tile/2/x001/000.p/1');
    expect(entryBundlePath({ index: 273, width: 112 })).toBe('tile/entries/273.p/112');
  });

  it('parses every path it writes back to the same tile', () => {
    const tile = fc.record({
      level: fc.integer({ min: 0, max: 3 }),
      index: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2 ** 20 })),
      width: fc.integer({ min: 1, max: 256 }),
    });
    fc.assert(
      fc.property(tile, (coord) => {
        expect(parseHashTilePath(hashTilePath(coord))).toEqual(coord);
        const bundle = { index: coord.index, width: coord.width };
        expect(parseEntryBundlePath(entryBundlePath(bundle))).toEqual(bundle);
      }),
      { numRuns: 300 },
    );
  });

  it('reaches the largest tiles of a tree of 2^53 - 1 leaves', () => {
    const top = { level: 6, index: 0, width: 31 };
    expect(parseHashTilePath(hashTilePath(top))).toEqual(top);
    const lastBundle = { index: Math.floor(Number.MAX_SAFE_INTEGER / 256), width: 255 };
    expect(parseEntryBundlePath(entryBundlePath(lastBundle))).toEqual(lastBundle);
  });
});

describe('a path read from a mirror that is not canonical', () => {
  it.each([
    ['a leading zero in the level', 'tile/01/000'],
    ['a level above 63', 'tile/64/000'],
    ['a level no safe tree reaches', 'tile/7/000.p/1'],
    ['an index group without its x', 'tile/0/001/234'],
    ['a leading x000 group', 'tile/0/x000/001'],
    ['an x on the last group', 'tile/0/x001'],
    ['a short index group', 'tile/0/01'],
    ['a long index group', 'tile/0/0001'],
    ['width 256 written as partial', 'tile/0/000.p/256'],
    ['width 0', 'tile/0/000.p/0'],
    ['a leading zero in the width', 'tile/0/000.p/017'],
    ['a leading slash', '/tile/0/000'],
    ['a trailing slash', 'tile/0/000/'],
    ['a dot segment', 'tile/0/../000'],
    ['an entries path', 'tile/entries/000'],
    ['an index past 2^53', 'tile/0/x009/x007/x199/x254/x740/x992'],
    ['a very long path', `tile/0/${'x001/'.repeat(40)}000`],
  ])('refuses %s with TILE_PATH_INVALID', (_name, path) => {
    expectInvalidPath(() => parseHashTilePath(path));
  });

  it.each([
    ['a hash tile path', 'tile/0/000'],
    ['a bundle index past 2^53 / 256', 'tile/entries/x035/x184/x372/x088/832'],
    ['width 256 written as partial', 'tile/entries/000.p/256'],
    ['an uppercase X', 'tile/entries/X001/000'],
  ])('refuses an entry bundle path with %s', (_name, path) => {
    expectInvalidPath(() => parseEntryBundlePath(path));
  });

  it('refuses to write a tile no tree has', () => {
    expectInvalidPath(() => hashTilePath({ level: 0, index: -1, width: 256 }));
    expectInvalidPath(() => hashTilePath({ level: 0, index: 0, width: 0 }));
    expectInvalidPath(() => hashTilePath({ level: 0, index: 0.5, width: 1 }));
    expectInvalidPath(() => entryBundlePath({ index: 0, width: 257 }));
  });
});

/**
 * Entry bundles (c2sp.org/tlog-tiles "Log entries": "sequences of big-endian uint16
 * length-prefixed log entries. Each entry in a bundle hashes to the corresponding entry in the
 * corresponding level 0 Merkle Tree tile"), for any entries and for our ledger's record hashes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../core/encoding';
import { recordLeafHash } from '../../../core/merkle/hasher';
import {
  bundleLeafHashes,
  decodeEntryBundle,
  decodeRecordBundle,
  encodeEntryBundle,
  encodeRecordBundle,
} from '../../../core/tlog/entry-bundle';
import { splitTileHashes } from '../../../core/tlog/tile';
import { tilesFromLeafHashes } from '../../../core/tlog/tile-append';

const hex = (items: readonly Uint8Array[]): string[] => items.map((item) => bytesToHex(item));

function recordHashes(count: number): string[] {
  return Array.from({ length: count }, (_, i) => bytesToHex(new Uint8Array(32).fill(i % 251)));
}

describe('an entry bundle', () => {
  it('prefixes each entry with its length as a big-endian uint16', () => {
    const bundle = encodeEntryBundle([
      new Uint8Array([0xaa]),
      new Uint8Array(0),
      new Uint8Array(258).fill(7),
    ]);
    expect([...bundle.subarray(0, 5)]).toEqual([0x00, 0x01, 0xaa, 0x00, 0x00]);
    expect([...bundle.subarray(5, 7)]).toEqual([0x01, 0x02]);
    expect(bundle.length).toBe(3 + 2 + 2 + 258);
  });

  it('decodes to the entries it was encoded from, for 1 to 256 entries of any length', () => {
    const entries = fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 256 });
    fc.assert(
      fc.property(entries, (items) => {
        expect(hex(decodeEntryBundle(encodeEntryBundle(items), items.length))).toEqual(hex(items));
      }),
      { numRuns: 100 },
    );
  });

  it('carries a 65,535-byte entry and refuses a longer one', () => {
    const largest = new Uint8Array(0xffff).fill(1);
    expect(decodeEntryBundle(encodeEntryBundle([largest]), 1)[0]!.length).toBe(0xffff);
    expect(() => encodeEntryBundle([new Uint8Array(0x10000)])).toFailWithCode(
      'ENTRY_BUNDLE_MALFORMED',
    );
  });
});

describe('a malformed entry bundle read from a mirror', () => {
  const bundle = encodeEntryBundle([new Uint8Array([1, 2, 3]), new Uint8Array([4])]);

  it.each([
    ['truncated inside an entry', bundle.subarray(0, bundle.length - 1), 2],
    ['truncated inside a length prefix', bundle.subarray(0, 6), 2],
    ['with a trailing byte', Uint8Array.from([...bundle, 0]), 2],
    ['with fewer entries than its width', bundle, 3],
    ['with more entries than its width', bundle, 1],
    ['empty', new Uint8Array(0), 1],
    ['of width 0', new Uint8Array(0), 0],
    ['of width 257', bundle, 257],
  ])('is refused with ENTRY_BUNDLE_MALFORMED when %s', (_name, bytes, width) => {
    expect(() => decodeEntryBundle(bytes, width)).toFailWithCode('ENTRY_BUNDLE_MALFORMED');
  });
});

describe("our ledger's record bundle", () => {
  it('carries the 32 bytes of each recordHash, which hash to the level-0 tile', () => {
    const hashes = recordHashes(300);
    const [fullTile] = tilesFromLeafHashes(hashes.map((h) => recordLeafHash(h)));
    const bundle = encodeRecordBundle(hashes.slice(0, 256));
    expect(bundle.length).toBe(256 * 34);
    expect(decodeRecordBundle(bundle, 256)).toEqual(hashes.slice(0, 256));
    expect(hex(bundleLeafHashes(decodeEntryBundle(bundle, 256)))).toEqual(
      hex(splitTileHashes(fullTile!.hashes)),
    );
  });

  it('refuses an entry that is not 32 bytes with ENTRY_BUNDLE_MALFORMED', () => {
    const bundle = encodeEntryBundle([new Uint8Array(32), new Uint8Array(31)]);
    expect(() => decodeRecordBundle(bundle, 2)).toFailWithCode('ENTRY_BUNDLE_MALFORMED');
  });

  it('refuses a recordHash that is not 64 lower-case hex with INVALID_INPUT', () => {
    expect(() => encodeRecordBundle(['AB'.repeat(32)])).toFailWithCode('INVALID_INPUT');
  });
});

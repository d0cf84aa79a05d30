import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../core/encoding';
import { decodeRecordsBundle, encodeRecordsBundle } from '../../../core/tlog/records-bundle';
import {
  EMPTY_LOG_EDGE,
  logObjectsFor,
  type LogEdge,
  type LogObject,
} from '../../../core/tlog/log-objects';
import { tilesFromLeafHashes } from '../../../core/tlog/tile-append';
import { hashTilePath } from '../../../core/tlog/tile-path';
import { recordLeafHash } from '../../../core/merkle/hasher';
import { sampleChain } from '../core/fixtures';

const records = sampleChain(300);

/** Grows the log in steps of the given sizes; returns every object by path, and the edge. */
function grow(steps: readonly number[]): { objects: Map<string, LogObject>; edge: LogEdge } {
  const objects = new Map<string, LogObject>();
  let edge = EMPTY_LOG_EDGE;
  for (const step of steps) {
    const grown = logObjectsFor(edge, records.slice(edge.size, edge.size + step));
    for (const object of grown.objects) objects.set(object.path, object);
    edge = grown.edge;
  }
  return { objects, edge };
}

describe('logObjectsFor', () => {
  it('writes the same objects at the final size whatever the steps', () => {
    const once = grow([300]).objects;
    const stepped = grow([1, 254, 2, 43]).objects;
    for (const [path, object] of once) expect(stepped.get(path)?.bytes).toEqual(object.bytes);
    expect([...once.keys()].sort()).toEqual(
      [
        'tile/0/000',
        'tile/0/001.p/44',
        'tile/1/000.p/1',
        'tile/entries/000',
        'tile/entries/001.p/44',
        'tile/records/000',
        'tile/records/001.p/44',
      ].sort(),
    );
  });

  it('writes the hash tiles a from-scratch tree has', () => {
    const { objects } = grow([100, 200]);
    for (const tile of tilesFromLeafHashes(records.map((r) => recordLeafHash(r.recordHash))))
      expect(objects.get(hashTilePath(tile))?.bytes).toEqual(tile.hashes);
  });

  it('puts every record of a partial range in its records bundle', () => {
    const { objects, edge } = grow([250, 10]);
    expect(decodeRecordsBundle(objects.get('tile/records/001.p/4')!.bytes, 4)).toEqual(
      records.slice(256, 260),
    );
    expect(edge.records).toEqual(records.slice(256, 260));
  });

  it('fails TILE_MALFORMED when the edge records are not its tile leaves', () => {
    const { edge } = grow([10]);
    const forged = { ...edge, records: [records[1]!, ...edge.records.slice(1)] };
    expect(() => logObjectsFor(forged, records.slice(10, 11))).toFailWithCode('TILE_MALFORMED');
  });

  it('fails INVALID_INPUT when the new records do not follow on', () => {
    expect(() => logObjectsFor(EMPTY_LOG_EDGE, records.slice(1, 2))).toFailWithCode(
      'INVALID_INPUT',
    );
  });
});

describe('decodeRecordsBundle', () => {
  it('reads back what encodeRecordsBundle wrote', () => {
    expect(decodeRecordsBundle(encodeRecordsBundle(records.slice(0, 3)), 3)).toEqual(
      records.slice(0, 3),
    );
  });

  it('fails ENTRY_BUNDLE_MALFORMED for a line that is not canonical JSON, or another count', () => {
    const pretty = utf8Encode(`${JSON.stringify(records[0], null, 1).replaceAll('\n', '')}\n`);
    expect(() => decodeRecordsBundle(pretty, 1)).toFailWithCode('ENTRY_BUNDLE_MALFORMED');
    expect(() => decodeRecordsBundle(encodeRecordsBundle(records.slice(0, 2)), 3)).toFailWithCode(
      'ENTRY_BUNDLE_MALFORMED',
    );
  });
});
